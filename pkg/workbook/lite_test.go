package workbook

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestOpenBookPrefersLazyReader(t *testing.T) {
	t.Parallel()
	bk, err := openBook(filepath.Join(fixtures, "good-basic.xlsx"), kindZip, "")
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()
	if _, ok := bk.(*liteBook); !ok {
		t.Errorf("openBook gave %T for a plain package, want *liteBook", bk)
	}
}

// TestUnsupportedFormulaRefused: a formula the exact evaluator does not implement used to be
// computed by excelize in float64, which returned 0 for structured references and could be a
// pound out after ROUNDDOWN. Now the box is refused, naming the construct, the cell that uses
// it (here a precedent on another row, not the box itself) and the remedy; the other boxes are
// still read.
func TestUnsupportedFormulaRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "unsupported.xlsx")
	f := excelize.NewFile()
	const s = "Sheet1"
	if err := f.SetCellValue(s, "E1", 1234.56); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula(s, "E2", `TEXTJOIN(",",TRUE,E1)`); err != nil {
		t.Fatal(err)
	}
	formulas := map[int]string{1: "E2*1", 2: "0", 3: "B1+B2", 4: "0", 5: "ABS(B3-B4)", 6: "0", 7: "0", 8: "0", 9: "0"}
	for n := 1; n <= 9; n++ {
		cell := fmt.Sprintf("B%d", n)
		if err := f.SetCellFormula(s, cell, formulas[n]); err != nil {
			t.Fatal(err)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("VAT_Box%d", n), RefersTo: s + "!$B$" + cell[1:]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := Read(t.Context(), path, Options{})
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want *Problems", err)
	}
	var box1 *CellError
	for _, c := range p.Cells {
		if c.Box == 1 {
			box1 = c
		}
	}
	if box1 == nil || box1.Cell != "B1" {
		t.Fatalf("problems %v, want one for box 1 at B1", p.Cells)
	}
	for _, want := range []string{"TEXTJOIN", "Sheet1!E2", Remedy} {
		if !strings.Contains(box1.Message, want) {
			t.Errorf("box 1 message %q does not contain %q", box1.Message, want)
		}
	}
	if res == nil || res.Return.VATDueSales != 0 || res.Return.TotalValueSalesExVAT != 0 {
		t.Errorf("Result = %+v, want box 1 unset and the rest read", res)
	}
}
