package workbook

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

func TestWriteTemplate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "vat.xlsx")
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	res, err := Read(t.Context(), path, Options{})
	if err != nil {
		t.Fatalf("reading the fresh template: %v", err)
	}
	if ps := res.Return.Validate(); ps != nil {
		t.Errorf("template's example return breaks HMRC's rules: %v", ps)
	}
	if res.PeriodEnd != time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC) || res.VRN != "" {
		t.Errorf("period end %v, VRN %q", res.PeriodEnd, res.VRN)
	}
	for n := 1; n <= 9; n++ {
		if s := res.Sources[n-1]; s.Name != "Box"+string(rune('0'+n)) || s.Sheet != templateReturn || s.Formula == "" {
			t.Errorf("box %d source = %+v", n, s)
		}
	}

	// A user fills it in: replace the examples with their own rows and a VRN.
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.RemoveRow(templateLedger, 2); err != nil { // drop the first example sale
		t.Fatal(err)
	}
	rows := [][]any{{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), "Widgets", 999.99, 200.004, typeSales}}
	for i, r := range rows {
		if err := f.SetSheetRow(templateLedger, "A"+string(rune('7'+i)), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStr(templateReturn, "C6", "GB123456782"); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err = Read(t.Context(), edited, Options{})
	if err != nil {
		t.Fatalf("reading the filled-in template: %v", err)
	}
	want := vatreturn.Return{ // examples minus the 5000/1000 sale, plus 999.99/200.004 (rounded by the formula)
		VATDueSales: 50010, VATDueAcquisitions: 6000, TotalVATDue: 56010, VATReclaimedCurrPeriod: 30000, NetVATDue: 26010,
		TotalValueSalesExVAT: 330000, TotalValuePurchasesExVAT: 150000, TotalValueGoodsSuppliedExVAT: 80000, TotalAcquisitionsExVAT: 30000,
	}
	if res.Return != want || res.VRN != "123456782" {
		t.Errorf("Return = %+v VRN %q\nwant     %+v", res.Return, res.VRN, want)
	}

	// Never over a user's workbook.
	err = WriteTemplate(edited)
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, os.ErrExist) {
		t.Errorf("WriteTemplate over an existing file = %v, want a FileError wrapping os.ErrExist", err)
	}
}
