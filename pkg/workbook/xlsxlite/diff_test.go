package xlsxlite

import (
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/formula"
	"github.com/xuri/excelize/v2"
)

// diffFormulas are evaluated by both this package and excelize's CalcCellValue on the same
// excelize-written file (so neither has a cached value to lean on).
var diffFormulas = []string{
	`SUM(Data!C2:C60)`,
	`SUM(Data!C:C)`,
	`SUM(Data!C2:D10,5,Data!F2)`,
	`SUMIF(Data!E2:E60,"sales",Data!D2:D60)`,
	`SUMIF(Data!E:E,"purchase",Data!C:C)`,
	`SUMIF(Data!C2:C60,">100")`,
	`SUMIF(Data!C2:C60,"<=0")`,
	`SUMIF(Data!E2:E60,"<>sales",Data!C2:C60)`,
	`SUMIF(Data!E2:E60,"eu*",Data!C2:C60)`,
	`SUMIF(Data!B2:B60,"Invoice 1?",Data!C2:C60)`,
	`SUMIFS(Data!D:D,Data!E:E,"purchase",Data!A:A,">="&B1)`,
	`SUMIFS(Data!D2:D60,Data!E2:E60,"sales",Data!A2:A60,">="&B1,Data!A2:A60,"<="&B2)`,
	`SUMIFS(Data!C2:C60,Data!A2:A60,">"&DATE(2024,3,1),Data!A2:A60,"<"&DATE(2024,6,1))`,
	`SUMIFS(Data!C2:C60,Data!E2:E60,"eu-acq")`,
	`ROUND(SUM(Data!C2:C60)*0.2,2)`,
	`ROUNDDOWN(SUM(Data!C2:C60),0)`,
	`ROUNDUP(Data!C2/3,2)`,
	`ROUND(Data!C7,-1)`,
	`ABS(Data!C3-Data!C4)`,
	`IF(Data!C2>Data!C3,"a","b")`,
	`IF(Data!F2,Data!C2,Data!C3)`,
	`MIN(Data!C2:C60)`,
	`MAX(Data!C2:C60)`,
	`INT(Data!C5/7)`,
	`INT(-Data!C5/7)`,
	`Data!C2+Data!C3*2-Data!C4/4`,
	`(Data!C2+1)*(Data!C3-1)`,
	`Data!C2^2`,
	`10%*Data!C2`,
	`Box1*2`,
	`Box1+VATRate`,
	`B3+B4`,
	`"n="&Data!A2`,
	`Data!E2&"-"&Data!B2`,
	`AND(Data!C2>0,Data!C3>0)`,
	`OR(Data!F2:F60)`,
	`NOT(Data!F3)`,
	`IFERROR(1/0,"err")`,
	`DATE(2024,4,1)`,
	`SUMIF(Data!G2:G60,"",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,"<>",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,"=",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,">=3",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,"<>abc",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,"ab?",Data!C2:C60)`,
	`SUMIF(Data!G2:G60,4,Data!C2:C60)`,
	`SUMIF(Data!G2:G60,"4",Data!C2:C60)`,
	`SUMIF(Data!F2:F60,TRUE,Data!C2:C60)`,
	`SUMIF(Data!F2:F60,"FALSE",Data!C2:C60)`,
	`SUMPRODUCT(Data!C2:C60,Data!D2:D60)`,
	`SUMPRODUCT((Data!E2:E60="sales")*Data!D2:D60)`,
	`SUMPRODUCT(--(Data!E2:E60="purchase"),Data!C2:C60)`,
	`SUMPRODUCT((Data!A2:A60>=B1)*(Data!A2:A60<=B2)*Data!D2:D60)`,
	`TRUNC(Data!C5/7,1)`,
	`TRUNC(-Data!C5/7)`,
	`YEAR(Data!A10)+MONTH(Data!A10)+DAY(Data!A10)`,
	`EOMONTH(B1,2)`,
	`EOMONTH(Data!A3,-1)`,
	`EDATE(DATE(2024,1,31),1)`,
	`SUMIFS(Data!C2:C60,Data!A2:A60,">="&B1,Data!A2:A60,"<="&EOMONTH(B1,2))`,
	`VLOOKUP("Invoice 7",Data!B2:D60,3,FALSE)`,
	`VLOOKUP("invoice 1*",Data!B2:C60,2,FALSE)`,
	`VLOOKUP(45352,Data!A2:C60,3,TRUE)`,
	`MATCH("eu-acq",Data!E2:E60,0)`,
	`MATCH(45353,Data!A2:A60,1)`,
	`INDEX(Data!C2:C60,MATCH("Invoice 12",Data!B2:B60,0))`,
	`INDEX(Data!A2:E60,3,4)`,
	`COUNT(Data!C2:G60)`,
	`COUNTA(Data!A1:G60)`,
	`AVERAGE(Data!C2:C60)`,
	`COUNTIF(Data!E2:E60,"sales")`,
	`COUNTIF(Data!G2:G60,"")`,
	`COUNTIF(Data!G2:G60,"<>abc")`,
	`COUNTIFS(Data!E2:E60,"purchase",Data!C2:C60,">0")`,
	`SUM(Data!C2:C60)/COUNTIFNOT`,
}

// excelizeEquivalents give excelize an equivalent formula where its own evaluation is wrong:
// its SUMPRODUCT mishandles array expressions ("-16", "#VALUE!", "formula not valid" for the
// three below), so the result is checked against the SUMIF/SUMIFS that means the same.
var excelizeEquivalents = map[string]string{
	`SUMPRODUCT((Data!E2:E60="sales")*Data!D2:D60)`:               `SUMIF(Data!E2:E60,"sales",Data!D2:D60)`,
	`SUMPRODUCT(--(Data!E2:E60="purchase"),Data!C2:C60)`:          `SUMIF(Data!E2:E60,"purchase",Data!C2:C60)`,
	`SUMPRODUCT((Data!A2:A60>=B1)*(Data!A2:A60<=B2)*Data!D2:D60)`: `SUMIFS(Data!D2:D60,Data!A2:A60,">="&B1,Data!A2:A60,"<="&B2)`,
}

// buildDiffWorkbook writes a Data sheet of ledger-like rows and a Calc sheet holding each of
// diffFormulas in column D (and excelize's oracle formula in column E).
func buildDiffWorkbook(t *testing.T) *excelize.File {
	t.Helper()
	x := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.SetSheetName("Sheet1", "Data"))
	_, err := x.NewSheet("Calc")
	must(err)
	types := []string{"sales", "purchase", "eu-acq", "eu-supply"}
	must(x.SetSheetRow("Data", "A1", &[]any{"Date", "Desc", "Net", "VAT", "Type", "Flag"}))
	for i := 0; i < 59; i++ {
		net := float64((i*7919)%50000-8000) / 100
		vat := float64(((i*7919)%50000-8000)*20/100) / 100
		row := []any{45292 + i*5, fmt.Sprintf("Invoice %d", i+1), net, vat, types[i%len(types)], i%3 == 0}
		must(x.SetSheetRow("Data", fmt.Sprintf("A%d", i+2), &row))
		// Column G mixes blanks, numbers, numeric text and other text, for criteria edge cases.
		switch i % 5 {
		case 1:
			must(x.SetCellValue("Data", fmt.Sprintf("G%d", i+2), i%7))
		case 2:
			must(x.SetCellStr("Data", fmt.Sprintf("G%d", i+2), fmt.Sprint(i%7)))
		case 3:
			must(x.SetCellStr("Data", fmt.Sprintf("G%d", i+2), "abc"))
		}
	}
	must(x.SetCellValue("Calc", "B1", 45352))
	must(x.SetCellValue("Calc", "B2", 45473))
	must(x.SetCellFormula("Calc", "B3", "SUM(Data!C2:C10)"))
	must(x.SetCellFormula("Calc", "B4", "ROUND(B3*0.2,2)"))
	must(x.SetDefinedName(&excelize.DefinedName{Name: "Box1", RefersTo: "Calc!$B$3"}))
	must(x.SetDefinedName(&excelize.DefinedName{Name: "VATRate", RefersTo: "0.2"}))
	for i, f := range diffFormulas {
		must(x.SetCellFormula("Calc", fmt.Sprintf("D%d", i+1), f))
		// excelize cannot evaluate a name that is a constant (#NAME?); it is given the constant.
		oracle := strings.ReplaceAll(f, "VATRate", "0.2")
		if eq, ok := excelizeEquivalents[f]; ok {
			oracle = eq
		}
		must(x.SetCellFormula("Calc", fmt.Sprintf("E%d", i+1), oracle))
	}
	return x
}

// excelizeWrong are formulas whose excelize result is wrong; TestLibreOfficeOracle checks them
// against LibreOffice instead, which agrees with this package and with Excel's documented rules.
var excelizeWrong = map[string]string{
	`SUMIF(Data!G2:G60,"",Data!C2:C60)`:      "blank cells match an empty criterion; excelize skips cells that do not exist",
	`SUMIF(Data!G2:G60,"=",Data!C2:C60)`:     "as above",
	`COUNTIF(Data!G2:G60,"")`:                "as above",
	`SUMIF(Data!G2:G60,">=3",Data!C2:C60)`:   "numeric comparisons never match text such as \"4\" or \"abc\"; excelize compares them",
	`SUMIF(Data!G2:G60,"<>abc",Data!C2:C60)`: "blank cells are not \"abc\" and match; excelize skips them",
}

func TestDifferentialWithExcelize(t *testing.T) {
	t.Parallel()
	x := buildDiffWorkbook(t)
	defer x.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "diff.xlsx")
	must(x.SaveAs(p))

	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			f, err := Open(p, Limits{})
			must(err)
			defer f.Close()
			if stream {
				f.smallSheet = 0
			}
			compareWithExcelize(t, x, f)
		})
	}
}

func compareWithExcelize(t *testing.T, x *excelize.File, f *File) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Plain cells read back exactly as excelize stores them.
	for r := 1; r <= 60; r++ {
		for c := 1; c <= 6; c++ {
			ref := formula.CellName(c, r)
			want, err := x.GetCellValue("Data", ref, excelize.Options{RawCellValue: true})
			must(err)
			got, err := f.Cell("Data", ref)
			must(err)
			if c == 6 && r > 1 {
				want = map[string]string{"1": "TRUE", "0": "FALSE"}[want] // booleans as book.go specifies
			}
			if got.Cached != want || got.HasCached != (want != "") {
				t.Errorf("Cell(Data, %s) = %+v, excelize %q", ref, got, want)
			}
		}
	}
	for i, src := range diffFormulas {
		ref := fmt.Sprintf("D%d", i+1)
		cv, err := f.Cell("Calc", ref)
		must(err)
		if cv.Formula != src || cv.HasCached {
			t.Errorf("Cell(Calc, %s) = %+v, want formula %q and no cached value", ref, cv, src)
		}
		if _, wrong := excelizeWrong[src]; wrong {
			continue
		}
		want, xerr := x.CalcCellValue("Calc", "E"+ref[1:], excelize.Options{RawCellValue: true})
		got, err := f.Calc(t.Context(), "Calc", ref)
		if src == `SUM(Data!C2:C60)/COUNTIFNOT` {
			// An undefined name: both agree it is #NAME?.
			if got != formula.ErrName || !strings.Contains(want+fmt.Sprint(xerr), "#NAME?") {
				t.Errorf("%s: got %q, excelize %q (%v)", src, got, want, xerr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v (excelize %q)", src, err, want)
			continue
		}
		if !sameResult(got, want) {
			t.Errorf("%s: got %q, excelize %q (%v)", src, got, want, xerr)
		}
	}
}

// sameResult compares our exact text with excelize's float64 text: numbers to 1e-9 relative,
// anything else exactly.
func sameResult(got, want string) bool {
	if got == want {
		return true
	}
	a, ok1 := new(big.Rat).SetString(got)
	b, ok2 := new(big.Rat).SetString(want)
	if !ok1 || !ok2 {
		return false
	}
	diff := new(big.Rat).Sub(a, b)
	diff.Abs(diff)
	tol := new(big.Rat).Abs(b)
	if tol.Cmp(big.NewRat(1, 1)) < 0 {
		tol.SetInt64(1)
	}
	tol.Mul(tol, big.NewRat(1, 1_000_000_000))
	return diff.Cmp(tol) <= 0
}
