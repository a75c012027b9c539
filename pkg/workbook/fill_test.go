package workbook

import (
	"path/filepath"
	"testing"
	"time"
)

// A filled template reads back with the period and VRN it was given, and every example ledger
// row still counts, because each was dated inside the new period.
func TestFillTemplate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "vat.xlsx")
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	before, err := Read(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start, end := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	if err := FillTemplate(path, start, end, "123456782"); err != nil {
		t.Fatal(err)
	}
	after, err := Read(t.Context(), path, Options{})
	if err != nil {
		t.Fatalf("reading the filled template: %v", err)
	}
	if !after.PeriodStart.Equal(start) || !after.PeriodEnd.Equal(end) || after.VRN != "123456782" {
		t.Errorf("period %v to %v, VRN %q", after.PeriodStart, after.PeriodEnd, after.VRN)
	}
	if after.Return != before.Return || after.Return.TotalValueSalesExVAT == 0 {
		t.Errorf("return changed or empty after dating the ledger:\n before %+v\n after  %+v", before.Return, after.Return)
	}
}
