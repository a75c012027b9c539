package xlsxlite

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFixturesAgainstExcelize reads every committed workbook fixture (including those written
// by LibreOffice, with cached values and its own XML habits) through both readers and checks
// that they agree on sheets, names, every cell and every formula result excelize can compute.
func TestFixturesAgainstExcelize(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../../testdata/workbooks/*.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no fixtures in testdata/workbooks")
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			x, xerr := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: 1 << 30})
			f, err := Open(p, Limits{})
			if xerr != nil {
				// Neither reader may accept what the other refuses as broken.
				if err == nil {
					f.Close()
					t.Fatalf("excelize refuses it (%v) but xlsxlite opens it", xerr)
				}
				return
			}
			defer x.Close()
			if err != nil {
				var le *LimitError
				if errors.As(err, &le) {
					t.Skipf("refused by limits: %v", err)
				}
				t.Fatalf("excelize opens it, xlsxlite does not: %v", err)
			}
			defer f.Close()
			compareFixture(t, filepath.Base(p), x, f)
		})
	}
}

// excelizeDivergences are cells where excelize's CalcCellValue is known to differ from
// spreadsheet programs, with the reason; the LibreOffice-written twin of each file confirms it.
var excelizeDivergences = map[string]string{
	"text-numbers.xlsx|VAT Return!C11":    "excelize treats text in arithmetic as 0; Excel converts it as VALUE does",
	"text-numbers.xlsx|VAT Return!C9":     "as above",
	"text-not-number.xlsx|VAT Return!C11": "as above",
	"lo-text-numbers.xlsx|VAT Return!C11": "as above",
	"lo-text-numbers.xlsx|VAT Return!C9":  "as above",
	"offset.xlsx|VAT Return!C11":          "excelize fails on SUM(OFFSET(...)) in C7 and then computes ABS(C9-C10) as 0",
}

// libreOfficeDivergences are cells where LibreOffice's saved result differs from Excel's, which
// Calc follows. Excel converts text in arithmetic as VALUE does ("You do not generally need to
// use the VALUE function in a formula because Excel automatically converts text to numbers",
// and VALUE("$1,000") is 1000:
// https://support.microsoft.com/en-us/office/value-function-257d0108-07dc-437d-ae1c-bc2d3953d8c2);
// LibreOffice by default gives #VALUE! for "£1,234.56"+0.
var libreOfficeDivergences = map[string]string{
	"lo-text-numbers.xlsx|VAT Return!C9":  "1234.56",
	"lo-text-numbers.xlsx|VAT Return!C11": "1734.66",
}

func compareFixture(t *testing.T, name string, x *excelize.File, f *File) {
	// Files written by LibreOffice carry results computed by a real spreadsheet program: those are
	// the oracle for Calc. Generated fixtures may carry deliberately stale values, so for them
	// excelize's CalcCellValue is.
	byLibreOffice := strings.HasPrefix(name, "lo-")
	if got, want := f.SheetNames(), x.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, excelize %q", got, want)
	}
	var xn []string
	for _, n := range x.GetDefinedName() {
		scope := n.Scope
		if scope == "Workbook" {
			scope = ""
		}
		xn = append(xn, n.Name+"="+n.RefersTo+"@"+scope)
	}
	var ln []string
	for _, n := range f.DefinedNames() {
		ln = append(ln, n.Name+"="+n.RefersTo+"@"+n.Scope)
	}
	if strings.Join(ln, "|") != strings.Join(xn, "|") {
		t.Errorf("names\n%q\nexcelize\n%q", ln, xn)
	}
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > 2000 {
			rows = rows[:2000]
		}
		for r, row := range rows {
			for c, want := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				got, err := f.Cell(sheet, ref)
				if err != nil {
					t.Errorf("%s!%s: %v", sheet, ref, err)
					continue
				}
				if typ, _ := x.GetCellType(sheet, ref); typ == excelize.CellTypeBool {
					want = map[string]string{"1": "TRUE", "0": "FALSE", "TRUE": "TRUE", "FALSE": "FALSE"}[want]
				}
				if got.Cached != want {
					t.Errorf("%s!%s = %+v, excelize %q", sheet, ref, got, want)
				}
				xf, _ := x.GetCellFormula(sheet, ref)
				if got.Formula != xf {
					t.Errorf("%s!%s formula %q, excelize %q", sheet, ref, got.Formula, xf)
				}
				if xf == "" {
					continue
				}
				lv, err := f.Calc(t.Context(), sheet, ref)
				var u interface{ Unsupported() bool }
				if errors.As(err, &u) {
					continue
				}
				if byLibreOffice && got.HasCached {
					want := got.Cached
					if excel, ok := libreOfficeDivergences[name+"|"+sheet+"!"+ref]; ok {
						want = excel
					}
					if err != nil || !sameResult(lv, want) {
						t.Errorf("Calc %s!%s (%s) = %q, %v; LibreOffice cached %q", sheet, ref, xf, lv, err, got.Cached)
					}
				}
				if _, known := excelizeDivergences[name+"|"+sheet+"!"+ref]; known {
					continue
				}
				xv, xerr := x.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if xerr != nil {
					continue // excelize cannot compute it; nothing to compare
				}
				if err != nil || !sameResult(lv, xv) {
					t.Errorf("Calc %s!%s (%s) = %q, %v; excelize %q", sheet, ref, xf, lv, err, xv)
				}
			}
		}
	}
}
