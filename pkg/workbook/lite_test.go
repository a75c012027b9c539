package workbook

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook/workbooktest"
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

// TestUnsupportedFormulaFallsBack writes formulas the lazy evaluator does not implement and
// checks they are computed through excelize instead of failing.
func TestUnsupportedFormulaFallsBack(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "lookup.xlsx")
	f := excelize.NewFile()
	const s = "Sheet1"
	rows := [][]any{{"sales", 1234.56}, {"purchases", 500.1}, {"sales net", 6172}, {"purchases net", 2500}}
	for i, r := range rows {
		if err := f.SetSheetRow(s, fmt.Sprintf("E%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	formulas := map[int]string{
		1: `VLOOKUP("sales",E1:F4,2,FALSE)`, 2: "0", 3: "B1+B2", 4: `INDEX(F1:F4,MATCH("purchases",E1:E4,0))`,
		5: "ABS(B3-B4)", 6: `VLOOKUP("sales net",E1:F4,2,FALSE)`, 7: "F4", 8: "0", 9: "0",
	}
	for n := 1; n <= 9; n++ {
		cell := fmt.Sprintf("B%d", n)
		if err := f.SetCellFormula(s, cell, formulas[n]); err != nil {
			t.Fatal(err)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("Box%d", n), RefersTo: s + "!$" + cell[:1] + "$" + cell[1:]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := Read(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := vatreturn.Return{VATDueSales: 123456, TotalVATDue: 123456, VATReclaimedCurrPeriod: 50010, NetVATDue: 73446, TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 250000}
	if res.Return != want {
		t.Errorf("Return = %+v\nwant     %+v", res.Return, want)
	}
}

func TestFallbackRefusesHugeSheets(t *testing.T) {
	t.Parallel()
	small := filepath.Join(fixtures, "good-basic.xlsx")
	if err := checkFallbackSize(small); err != nil {
		t.Errorf("checkFallbackSize(small) = %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.xlsx")
	if _, err := workbooktest.WriteLedger(big, workbooktest.LedgerOptions{Rows: 200000}); err != nil {
		t.Fatal(err)
	}
	err := checkFallbackSize(big)
	if err == nil || !strings.Contains(err.Error(), "save the workbook in Excel or LibreOffice") {
		t.Errorf("checkFallbackSize(200k rows) = %v, want a refusal with advice", err)
	}
}
