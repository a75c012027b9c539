package formula

import (
	"testing"
)

// TestExcelSemantics pins behaviour to Microsoft's documentation of each function, so that a
// box computed here is the box Excel shows.
func TestExcelSemantics(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{
		"S!A1": "'1,250.00", "S!A2": "'20%", "S!A3": "'(12)", "S!A4": "'£1,234", "S!A5": "'01/03/2024",
		"S!A6": "'  42 ", "S!A7": "'1,23", "S!A8": "'£(5)", "S!A9": "'-£3.50",
		"S!C1": "1", "S!C2": "2", "S!C3": "3",
		// D: ledger dates (29, 30 Sep and 1 Oct 2026), E: amounts; F1: a period end typed as text.
		"S!D1": "46294", "S!D2": "46295", "S!D3": "46296", "S!E1": "10", "S!E2": "20", "S!E3": "40",
		"S!F1": "'30/09/2026",
		// B1 is blank: a date column with a missing date.
	})
	tests := []struct {
		doc, formula, want string
	}{
		// Text in arithmetic is converted as VALUE converts it:
		// https://support.microsoft.com/en-us/office/value-function-257d0108-07dc-437d-ae1c-bc2d3953d8c2
		{"VALUE", "A1+0", "1250"},
		{"VALUE", "A2*100", "20"},
		{"VALUE", "A3+0", "-12"},
		{"VALUE", "A4+0", "1234"},
		{"VALUE (UK day-first order)", "A5+0", "45352"}, // 1 March 2024
		{"VALUE", "A6+0", "42"},
		{"VALUE", "A7+0", "#VALUE!"},
		{"VALUE", "A9*2", "-7"},
		{"VALUE", `"1e3"+0`, "1000"},
		{"VALUE (no text dates before 1900)", `"7/5/1800"+0`, "#VALUE!"},
		{"VALUE (no text dates before 1900)", `"1800-05-07"+0`, "#VALUE!"},
		// https://support.microsoft.com/en-us/office/year-function-c64f017a-1354-490d-981f-578e8ec8d3b9
		// A blank cell is serial 0, which Excel reads as 0 January 1900.
		{"YEAR", "YEAR(B1)", "1900"},
		{"MONTH", "MONTH(B1)", "1"},
		{"DAY", "DAY(B1)", "0"},
		{"YEAR", "YEAR(0)", "1900"},
		// https://support.microsoft.com/en-us/office/eomonth-function-7314ffa1-2bc9-4005-9d66-f49db127d628
		{"EOMONTH", "EOMONTH(B1,0)", "31"},
		{"EOMONTH", "EOMONTH(B1,1)", "59"},
		// https://support.microsoft.com/en-us/office/edate-function-3c920eb2-6e66-44e7-a1f5-753ae47ee4f5
		{"EDATE", "EDATE(B1,0)", "0"},
		// https://support.microsoft.com/en-us/office/offset-function-c8de19ae-dd79-4b9b-a14e-b4d906d11b66
		{"OFFSET", "SUM(OFFSET(C1,0,0,3,1))", "6"},
		{"OFFSET", "SUM(OFFSET(C1,1,0,COUNT(C:C)-1))", "5"},
		{"OFFSET", "OFFSET(C1,-1,0)", "#REF!"},
		// https://support.microsoft.com/en-us/office/indirect-function-474b3a3a-8a26-4be9-90d3-8c9e3a3a0e7c
		{"INDIRECT", `SUM(INDIRECT("C1:C"&2))`, "3"},
		{"INDIRECT", `INDIRECT("not a ref")`, "#REF!"},
		// Criteria that read as numbers or dates compare as numbers; a UK-locale Excel reads
		// "30/09/2026" day first:
		// https://support.microsoft.com/en-us/office/sumifs-function-c9e748f5-7ea7-455d-9406-611cebce642b
		{"SUMIFS (UK date text)", `SUMIFS(E1:E3,D1:D3,"<="&F1)`, "30"},
		{"SUMIFS (UK date text)", `SUMIFS(E1:E3,D1:D3,">30/09/2026")`, "40"},
		{"COUNTIF (UK date text)", `COUNTIF(D1:D3,"30/09/2026")`, "1"},
	}
	for _, tt := range tests {
		e := NewEvaluator(src)
		v, err := e.EvalFormula(t.Context(), "S", tt.formula)
		if err != nil {
			t.Errorf("%s: %s: %v", tt.doc, tt.formula, err)
			continue
		}
		if got := v.Text(); got != tt.want {
			t.Errorf("%s: %s = %s, want %s", tt.doc, tt.formula, got, tt.want)
		}
	}
}

// TestStoredFloatNoise: Excel keeps 15 significant digits, so the doubles a program stores as
// 8.199999999999999 and 66.39999999999999 are 8.2 and 66.4 to ROUNDDOWN, INT and TRUNC there
// (https://learn.microsoft.com/en-us/office/troubleshoot/excel/floating-point-arithmetic-inaccurate-result).
// Read exactly, per-row ROUNDDOWN would lose a penny a row.
func TestStoredFloatNoise(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{"S!A1": "8.199999999999999", "S!A2": "66.39999999999999", "S!A3": "0.30000000000000004", "S!A4": "12.345"})
	tests := map[string]string{
		"ROUNDDOWN(A1,1)":                  "8.2",
		"INT(A2*10)":                       "664",
		"TRUNC(A3,1)":                      "0.3",
		"A4":                               "12.345",
		"SUMPRODUCT(ROUNDDOWN(A1:A2*1,1))": "74.6",
		"SUM(A1:A2)":                       "74.6",
	}
	for f, want := range tests {
		v, err := NewEvaluator(src).EvalFormula(t.Context(), "S", f)
		if err != nil || v.Text() != want {
			t.Errorf("%s = %q, %v; want %s", f, v.Text(), err, want)
		}
	}
}
