package root_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

const bom = "\uFEFF"

// A spreadsheet opens vat's CSV with numbers as numbers: the CSV of 'vat receipts list', of
// 'vat returns' and of 'vat check' is converted by LibreOffice Calc, as a double-click would, and read back with
// excelize; every box is a numeric cell holding exactly the amount filed.
func TestCSVLoadsAsNumbers(t *testing.T) {
	t.Parallel()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("VAT_TEST_REAL") == "1" {
			t.Fatal("soffice (LibreOffice Calc) is needed to open the CSV as a spreadsheet does")
		}
		t.Skip("no soffice: LibreOffice Calc opens the CSV in this test")
	}
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	w.FileLatest()
	dir := t.TempDir()

	for _, tt := range []struct {
		name string
		args []string
		// boxCols are the columns holding amounts: the nine boxes of a receipt, a check's values.
		boxCols []string
		want    []float64
	}{
		{"receipts", []string{"receipts", "list"}, []string{"K", "L", "M", "N", "O", "P", "Q", "R", "S"},
			[]float64{1300.10, 60, 1360.10, 300, 1060.10, 7300, 1500, 800, 300}},
		// The newest return first: the one just filed, with all nine boxes.
		{"returns", []string{"returns"}, []string{"G", "H", "I", "J", "K", "L", "M", "N", "O"},
			[]float64{1300.10, 60, 1360.10, 300, 1060.10, 7300, 1500, 800, 300}},
		// The workbook's VRN name, which check compares with the VRN vat files for.
		{"check", []string{"check", "--vrn", "123456782", filepath.Join(workbooks, "good-basic.xlsx")}, []string{"D"},
			[]float64{1234.56}},
	} {
		r := w.Run(append(tt.args, "-o", "csv", "--bom")...)
		if r.Code != 0 || !strings.HasPrefix(r.Out, bom) {
			t.Fatalf("%s: exit %d, BOM %v\n%s", tt.name, r.Code, strings.HasPrefix(r.Out, bom), r.Err)
		}
		if strings.ContainsAny(r.Out, "£") {
			t.Errorf("%s: the CSV holds a £ sign:\n%s", tt.name, r.Out)
		}
		csvPath := filepath.Join(dir, tt.name+".csv")
		if err := os.WriteFile(csvPath, []byte(r.Out), 0o600); err != nil {
			t.Fatal(err)
		}
		// Comma-separated, double-quoted, UTF-8 (76), from the first line.
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "lo-"+tt.name), "--headless",
			"--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, csvPath)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		x, err := excelize.OpenFile(strings.TrimSuffix(csvPath, ".csv") + ".xlsx")
		if err != nil {
			t.Fatal(err)
		}
		sheet := x.GetSheetName(0)
		if v, _ := x.GetCellValue(sheet, "A1"); strings.HasPrefix(v, bom) || v == "" {
			t.Errorf("%s: first header %q: the byte-order mark was read as text", tt.name, v)
		}
		for i, col := range tt.boxCols {
			cell := col + "2"
			typ, err := x.GetCellType(sheet, cell)
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("%s %s: cell type %v (%v), want a number", tt.name, cell, typ, err)
			}
			v, _ := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f != tt.want[i] {
				t.Errorf("%s %s = %q, want %v", tt.name, cell, v, tt.want[i])
			}
		}
		x.Close()
	}
}

// Without --bom there is no byte-order mark; VAT_CSV_BOM asks for it as the profile's csv_bom does.
func TestCSVBOMOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	w.Setenv("VAT_VRN", "") // the workbook holds another business's VRN, which check would refuse
	good := filepath.Join(workbooks, "good-basic.xlsx")
	if r := w.Run("check", good, "-o", "csv"); r.Code != 0 || !strings.HasPrefix(r.Out, "box,") {
		t.Errorf("without --bom: %q", r.Out[:min(len(r.Out), 10)])
	}
	w.Setenv("VAT_CSV_BOM", "1")
	r := w.Run("check", good, "-o", "csv")
	if !bytes.HasPrefix([]byte(r.Out), []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("VAT_CSV_BOM=1: %q", r.Out[:min(len(r.Out), 10)])
	}
	// JSON never gets one.
	if r := w.Run("check", good, "-o", "json", "--bom"); strings.HasPrefix(r.Out, bom) {
		t.Error("-o json --bom wrote a byte-order mark")
	}
}
