package xlsxlite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// calcParts is a workbook whose formulas exercise Calc's error paths.
func calcParts(cells string) [][2]string {
	parts := basicParts()
	for i, p := range parts {
		if p[0] == "xl/worksheets/sheet3.xml" {
			parts[i][1] = `<?xml version="1.0"?><worksheet ` + nsMain + `><sheetData>` + cells + `</sheetData></worksheet>`
		}
	}
	return parts
}

func TestCalcErrors(t *testing.T) {
	t.Parallel()
	p := writeZip(t, calcParts(
		`<row r="1"><c r="A1"><f>TEXTJOIN(",",TRUE,B1)</f></c><c r="B1"><f>C1+1</f></c><c r="C1"><f>B1*2</f></c></row>`+
			`<row r="2"><c r="A2"><f>SUM(</f></c><c r="B2"><f>Nowhere!A1</f></c><c r="C2"><f>'VAT Return'!B3*2</f></c></row>`+
			`<row r="3"><c r="A3"><f t="dataTable" ref="A3" dt2D="0" dtr="0" r1="B1"/><v>4</v></c></row>`))
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		ref   string
		check func(error) bool
	}{
		{"A1", func(err error) bool {
			var u interface{ Unsupported() bool }
			return errors.As(err, &u) && u.Unsupported() && errors.Is(err, ErrUnsupported)
		}},
		{"B1", func(err error) bool { var c *formula.CircularError; return errors.As(err, &c) }},
		{"A2", func(err error) bool { var s *formula.SyntaxError; return errors.As(err, &s) }},
		{"B2", func(err error) bool { return errors.Is(err, ErrNoSheet) }},
		{"A3", func(err error) bool { return errors.Is(err, ErrUnsupported) }},
	}
	for _, tt := range tests {
		got, err := f.Calc(t.Context(), "It's", tt.ref)
		if err == nil || !tt.check(err) {
			t.Errorf("Calc(%s) = %q, %v: wrong error", tt.ref, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "'It''s'!"+tt.ref) {
			t.Errorf("Calc(%s) error %q does not name the cell", tt.ref, err)
		}
	}
	// The evaluator stays usable after errors.
	if got, err := f.Calc(t.Context(), "It's", "C2"); err != nil || got != "82" {
		t.Errorf("Calc(C2) = %q, %v; want 82", got, err)
	}
	if _, err := f.Calc(t.Context(), "Nope", "A1"); !errors.Is(err, ErrNoSheet) {
		t.Errorf("Calc on a missing sheet: %v", err)
	}
	if _, err := f.Calc(t.Context(), "It's", "A1:B2"); !errors.Is(err, ErrBadRef) {
		t.Errorf("Calc on a range: %v", err)
	}
}

func TestCalcCancelledAndLimited(t *testing.T) {
	t.Parallel()
	p, _ := genLedger(t, t.TempDir(), 5000, false)
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f.smallSheet = 0
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Calc(ctx, "VAT Return", "B3"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Calc: %v", err)
	}
	f.Close()

	f, err = Open(p, Limits{MaxCells: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.smallSheet = 0
	var le *LimitError
	if _, err := f.Calc(t.Context(), "VAT Return", "B3"); !errors.As(err, &le) {
		t.Errorf("Calc beyond MaxCells: %v, want LimitError", err)
	}
}

func FuzzSheetXML(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f></c></row>`,
		`<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="inlineStr"><is><r><t>x</t></r></is></c></row>`,
		`<row r="1"><c r="A1"><f t="shared" si="0" ref="A1:A3">B1+1</f></c></row><row r="2"><c r="A2"><f t="shared" si="0"/></c></row>`,
		`<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="b"><v>1</v></c></row>`,
		`<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2"><![CDATA[x]]></c></row>`,
		`<row r="1"><c r="A1" t="s"><v>99</v></c><c r="B1" t="d"><v>2024-01-01</v></c></row>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cells string) {
		p := writeZip(t, calcParts(cells))
		for _, stream := range []bool{false, true} {
			wb, err := Open(p, Limits{MaxCells: 10_000})
			if err != nil {
				t.Fatal(err)
			}
			if stream {
				wb.smallSheet = 0
			}
			for _, ref := range []string{"A1", "B1", "A2", "B2", "C3"} {
				_, _ = wb.Cell("It's", ref)
				_, _ = wb.Calc(context.Background(), "It's", ref)
			}
			wb.Close()
		}
	})
}

func TestCalcDate1904(t *testing.T) {
	t.Parallel()
	parts := calcParts(`<row r="1"><c r="A1"><f>DATE(2024,4,1)</f></c><c r="B1" t="d"><v>2024-04-01</v></c><c r="C1"><f>B1-A1</f></c></row>`)
	for i, p := range parts {
		if p[0] == "xl/workbook.xml" {
			parts[i][1] = strings.Replace(p[1], "<sheets>", `<workbookPr date1904="1"/><sheets>`, 1)
		}
	}
	f, err := Open(writeZip(t, parts), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, want := range map[string]string{"A1": "43921", "C1": "0"} {
		if got, err := f.Calc(t.Context(), "It's", ref); err != nil || got != want {
			t.Errorf("Calc(%s) = %q, %v; want %s", ref, got, err, want)
		}
	}
}

// TestCalcArrayFormulas: a Ctrl+Shift+Enter formula takes arrays where its functions would take
// one value, so {=SUM(IF(B2:B6="Sales",D2:D6))} sums the Sales rows; entered normally the
// same text would need implicit intersection. Excel documents the pattern at
// https://support.microsoft.com/en-us/office/guidelines-and-examples-of-array-formulas-7d94a64e-3ff3-4686-9372-ecfd5caa57c7
func TestCalcArrayFormulas(t *testing.T) {
	t.Parallel()
	p := writeZip(t, calcParts(
		`<row r="1"><c r="A1"><f t="array" ref="A1">SUM(IF(B2:B6="Sales",D2:D6))</f></c>`+
			`<c r="B1"><f t="array" ref="B1">SUM(ROUND(D2:D6*20%,2))</f></c>`+
			`<c r="C1"><f t="array" ref="C1">MAX(IF(B2:B6="Sales",D2:D6))</f></c></row>`+
			`<row r="2"><c r="B2" t="inlineStr"><is><t>Sales</t></is></c><c r="D2"><v>100.05</v></c></row>`+
			`<row r="3"><c r="B3" t="inlineStr"><is><t>Purchase</t></is></c><c r="D3"><v>40</v></c></row>`+
			`<row r="4"><c r="B4" t="inlineStr"><is><t>sales</t></is></c><c r="D4"><v>10.02</v></c></row>`+
			`<row r="5"><c r="B5" t="inlineStr"><is><t>Other</t></is></c><c r="D5" t="inlineStr"><is><t>n/a</t></is></c></row>`+
			`<row r="6"><c r="B6" t="inlineStr"><is><t>Sales</t></is></c></row>`))
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, want := range map[string]string{"A1": "110.07", "C1": "100.05"} {
		if got, err := f.Calc(t.Context(), "It's", ref); err != nil || got != want {
			t.Errorf("Calc(%s) = %q, %v; want %s", ref, got, err, want)
		}
	}
	// "n/a"*20% is #VALUE! in Excel, and an error in an array makes SUM an error.
	if got, err := f.Calc(t.Context(), "It's", "B1"); err != nil || got != "#VALUE!" {
		t.Errorf("Calc(B1) = %q, %v; want #VALUE!", got, err)
	}
}
