package workbook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/workbook/csvlink"
)

func fileDigest(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestCSVBoxRows reads the one-row-per-box layout: UK amounts (£, thousands separators,
// accountants' brackets) exactly and without warnings, and evidence naming each box's row and
// column and the file's digest.
func TestCSVBoxRows(t *testing.T) {
	t.Parallel()
	path := filepath.Join(fixtures, "box-rows.csv")
	r, err := Read(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Return != standardReturn {
		t.Errorf("return = %+v, want %+v", r.Return, standardReturn)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings = %q, want none: UK amounts are the normal way to write a CSV", r.Warnings)
	}
	// Raw is the amount as an exact decimal; the cell reference leads to the text as written.
	want := []Source{
		{Box: 1, Name: "vatDueSales", Sheet: "box-rows.csv", Cell: "B2", Raw: "1234.56"},
		{Box: 2, Name: "Box2", Sheet: "box-rows.csv", Cell: "B3", Raw: "0"},
		{Box: 3, Name: "VAT_Box3", Sheet: "box-rows.csv", Cell: "B4", Raw: "1234.56"},
		{Box: 4, Name: "vatReclaimedCurrPeriod", Sheet: "box-rows.csv", Cell: "B5", Raw: "500.1"},
		{Box: 5, Name: "netVatDue", Sheet: "box-rows.csv", Cell: "B6", Raw: "734.46"},
		{Box: 6, Name: "totalValueSalesExVAT", Sheet: "box-rows.csv", Cell: "B7", Raw: "6172"},
		{Box: 7, Name: "Box7", Sheet: "box-rows.csv", Cell: "B8", Raw: "2500"},
		{Box: 8, Name: "Box8", Sheet: "box-rows.csv", Cell: "B9", Raw: "0"},
		{Box: 9, Name: "Box9", Sheet: "box-rows.csv", Cell: "B10", Raw: "0"},
	}
	for i, w := range want {
		if r.Sources[i] != w {
			t.Errorf("box %d source = %+v, want %+v", i+1, r.Sources[i], w)
		}
	}
	if r.SHA256 != fileDigest(t, path) || r.Path != path {
		t.Errorf("evidence %q %q", r.Path, r.SHA256)
	}
	if !r.PeriodStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !r.PeriodEnd.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) || r.VRN != "123456782" {
		t.Errorf("period/VRN = %v %v %q", r.PeriodStart, r.PeriodEnd, r.VRN)
	}
}

// TestCSVPeriodRows reads mcb30/hmrc's layout, choosing the row by period end, and refuses to
// guess when the file holds several periods and none is given.
func TestCSVPeriodRows(t *testing.T) {
	t.Parallel()
	path := filepath.Join(fixtures, "period-rows.csv")
	r, err := Read(t.Context(), path, Options{PeriodEnd: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Return != standardReturn {
		t.Errorf("return = %+v, want %+v", r.Return, standardReturn)
	}
	if s := r.Sources[0]; s.Name != "vatDueSales" || s.Sheet != "period-rows.csv" || s.Cell != "B3" || s.Raw != "1234.56" {
		t.Errorf("box 1 source = %+v", s)
	}
	if s := r.Sources[2]; !s.Computed {
		t.Errorf("box 3 source = %+v, want computed (the layout has no column for it)", s)
	}
	if !r.PeriodEnd.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) || r.SHA256 != fileDigest(t, path) {
		t.Errorf("period end %v, digest %q", r.PeriodEnd, r.SHA256)
	}

	_, err = Read(t.Context(), path, Options{})
	var fe *FileError
	var le *csvlink.LayoutError
	if !errors.As(err, &fe) || !errors.As(err, &le) || !strings.Contains(err.Error(), "2 periods (ending 2025-12-31, 2026-03-31)") {
		t.Errorf("no period end: %v, want a FileError listing both periods", err)
	}
	// mcb30/hmrc's own test file leaves out three boxes, which it reads as zero; vat asks.
	_, err = Read(t.Context(), filepath.Join(fixtures, "mcb30-quarterly.csv"), Options{})
	if !errors.As(err, &le) || le.Row != 1 || !strings.Contains(err.Error(), "no column for box 2 (vatDueAcquisitions)") {
		t.Errorf("mcb30 file: %v", err)
	}
}

// TestCSVProblems gives a bad amount the same message, with its cell, as in a workbook.
func TestCSVProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "q1.csv")
	body := "Box1,12.345\nBox2,n/a\nBox4,\nBox6,\"1,23\"\nBox7,0\nBox8,0\nBox9,0\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Read(t.Context(), path, Options{})
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("error = %v, want *Problems", err)
	}
	for _, w := range []string{
		"name Box1 → q1.csv!B1: 12.345 has more than two decimal places",
		`name Box2 → q1.csv!B2: holds the text "n/a", not an amount`,
		"name Box4 → q1.csv!B3: is empty",
		`name Box6 → q1.csv!B4: holds the text "1,23", not an amount`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("problems = %v\nwant %q", err, w)
		}
	}
}

// TestCSVWindows1252 reads the '£' Excel writes on Windows as one byte.
func TestCSVWindows1252(t *testing.T) {
	t.Parallel()
	r, err := Read(t.Context(), filepath.Join(fixtures, "excel-cp1252.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Return.VATDueSales != 123456 {
		t.Errorf("box 1 = %v, want 1234.56", r.Return.VATDueSales)
	}
}
