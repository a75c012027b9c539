package workbook

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
		if s := res.Sources[n-1]; s.Name != "VAT_Box"+string(rune('0'+n)) || s.Sheet != templateReturn || s.Formula == "" {
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

// TestTemplateAsAnAccountantWantsIt: the template, filled for the open obligation's period and
// VRN (FillTemplate), takes only ledger rows dated within the period (a running ledger holds
// several), covers reverse charges and postponed import VAT as HMRC's guidance puts them, says in
// red when a row's Type matches no box, prints one page wide, and uses names Excel accepts.
func TestTemplateAsAnAccountantWantsIt(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "vat.xlsx")
	start, end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	if err := FillTemplate(path, start, end, "123456782"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Replace the examples: one row per type inside the period, plus rows outside it and a
	// misspelt type inside it.
	for r := 2; r <= 6; r++ {
		for _, c := range "ABCDE" {
			if err := f.SetCellValue(templateLedger, string(c)+strconv.Itoa(r), nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	in, before, after := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{in, "sale", 1000, 200, typeSales},
		{in, "purchase", 500, 100, typePurchase},
		{in, "consultant in France", 300, 60, typeReverseServices},
		{in, "subcontractor (CIS)", 2000, 400, typeReverseDomestic},
		{in, "imported stock", 700, 140, typePostponedImport},
		{before, "last quarter's sale", 9000, 1800, typeSales},
		{after, "next quarter's sale", 9000, 1800, typeSales},
		{end, "sale on the last day", 10, 2, typeSales},
		{in, "typo", 50, 10, "Sale"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(templateLedger, "A"+strconv.Itoa(i+2), &r); err != nil {
			t.Fatal(err)
		}
	}
	edited := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := Read(t.Context(), edited, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Box 1: 200 + 60 + 400 + 140 + 2; box 4: 100 + 60 + 400 + 140; box 6: 1000 + 300 + 10;
	// box 7: 500 + 300 + 2000 + 700.
	want := vatreturn.Return{VATDueSales: 80200, TotalVATDue: 80200, VATReclaimedCurrPeriod: 70000, NetVATDue: 10200,
		TotalValueSalesExVAT: 131000, TotalValuePurchasesExVAT: 350000}
	if res.Return != want {
		t.Errorf("Return = %+v\nwant     %+v", res.Return, want)
	}
	if !res.PeriodStart.Equal(start) || !res.PeriodEnd.Equal(end) || res.VRN != "123456782" {
		t.Errorf("period %v–%v VRN %q", res.PeriodStart, res.PeriodEnd, res.VRN)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "cell address") {
			t.Errorf("the template's names draw %q", w)
		}
	}
	bk, err := openBook(edited, kindZip, "")
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()
	warning, err := bk.Calc(t.Context(), templateReturn, "A19")
	if err != nil || !strings.Contains(warning, "1 ledger row(s) in the period have a Type that matches no box") {
		t.Errorf("warning cell = %q, %v", warning, err)
	}

	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, sheet := range []string{templateReturn, templateLedger} {
		props, err := x.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page = %v, %v", sheet, props.FitToPage, err)
		}
		pl, err := x.GetPageLayout(sheet)
		if err != nil || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
			t.Errorf("%s: page layout %+v, %v; want one page wide", sheet, pl, err)
		}
	}
	for _, cell := range []string{"C4", "C5", "C6"} {
		id, err := x.GetCellStyle(templateReturn, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := x.GetStyle(id)
		if err != nil || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
			t.Errorf("%s is not highlighted: %+v, %v", cell, st, err)
		}
	}
}
