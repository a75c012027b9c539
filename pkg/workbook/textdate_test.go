package workbook

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// A period end typed as text ('30/09/2026) is common in hand-kept workbooks. The template's
// SUMIFS compare ledger dates with it; a UK-locale Excel reads the text as a date, so the boxes
// must not collapse to 0, and the user is told the cell should be a date.
func TestPeriodEndTypedAsText(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q3.xlsx")
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	start, end := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	if err := FillTemplate(path, start, end, ""); err != nil {
		t.Fatal(err)
	}
	want, err := Read(t.Context(), path, Options{})
	if err != nil && want == nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellStr("VAT Return", "C5", "30/09/2026"); err != nil {
		t.Fatal(err)
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()
	got, err := Read(t.Context(), path, Options{})
	if got == nil {
		t.Fatal(err)
	}
	if got.Return != want.Return || got.Return.VATDueSales == 0 {
		t.Errorf("boxes with a text period end = %+v, want %+v as with a date", got.Return, want.Return)
	}
	if !got.PeriodEnd.Equal(end) {
		t.Errorf("PeriodEnd = %v", got.PeriodEnd)
	}
	warned := false
	for _, w := range got.Warnings {
		warned = warned || strings.Contains(w, `PeriodEnd ('VAT Return'!C5) holds the text "30/09/2026", not a date`)
	}
	if !warned {
		t.Errorf("no warning about the text period end: %q", got.Warnings)
	}
}

// The advice for a box without a name suggests names Excel accepts, never BoxN (a cell address
// in Excel, which vat itself warns about).
func TestMissingNameAdviceLeadsWithNamesExcelAccepts(t *testing.T) {
	t.Parallel()
	_, err := Read(t.Context(), filepath.Join("..", "..", "testdata", "workbooks", "missing-name.xlsx"), Options{})
	var probs *Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	for _, c := range probs.Cells {
		if strings.Contains(c.Message, "no defined name") {
			if !strings.Contains(c.Message, fmt.Sprintf("name its cell VAT_Box%d (or VATBox%d, ", c.Box, c.Box)) || strings.Contains(c.Message, fmt.Sprintf(" Box%d", c.Box)) {
				t.Errorf("advice: %s", c.Message)
			}
			return
		}
	}
	t.Fatalf("no missing-name problem in %v", probs.Cells)
}
