package workbook

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// problemTexts lists a Read error's problems as text with the file name removed, so an .ods
// and an .xlsx of the same workbook can be compared.
func problemTexts(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("error = %v (%T), want *Problems", err, err)
	}
	var out []string
	for _, c := range p.Cells {
		out = append(out, c.Error())
	}
	return out
}

// odsDiffers lists where LibreOffice's conversion itself changed a fixture, so the .ods
// rightly reads differently: each entry is a problem the .ods must report instead.
var odsDiffers = map[string][]string{
	// TRUE is not an amount in either format (LibreOffice also saves box 3 as 1 + box 1).
	"booleans": {"name Box2 → 'VAT Return'!C8: holds the logical value TRUE"},
	// LibreOffice does not add text, so its saved box 3 and box 5 are #VALUE!; vat reports the
	// saved value rather than recomputing it differently.
	"text-numbers": {"name Box3 → 'VAT Return'!C9: holds the error #VALUE!", "name Box5 → 'VAT Return'!C11: holds the error #VALUE!"},
	// LibreOffice does not keep an empty string: the cell is simply empty.
	"empty-cell": {"name Box8 → 'VAT Return'!C14: is empty", "name Box9 → 'VAT Return'!C15: is empty"},
}

// TestODSMatchesXLSX reads each LibreOffice-written .ods fixture and the .xlsx it was converted
// from: the return, the evidence (name, sheet, cell, value, formula), the warnings and every
// problem message must be the same, which is what "the same rules for every format" means.
func TestODSMatchesXLSX(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"good-basic", "sheet-scoped", "quoted-sheet", "duplicate-names", "no-cache",
		"text-numbers", "error-cells", "booleans", "empty-cell", "ref-range", "ref-deleted",
		"ref-missing-sheet", "ref-formula", "missing-name", "box3-box5-missing"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			x, xerr := Read(t.Context(), filepath.Join(fixtures, name+".xlsx"), Options{})
			o, oerr := Read(t.Context(), filepath.Join(fixtures, name+".ods"), Options{})
			if xerr != nil && x == nil {
				t.Fatalf("xlsx: %v", xerr)
			}
			if oerr != nil && o == nil {
				t.Fatalf("ods: %v", oerr)
			}
			xp, op := problemTexts(t, xerr), problemTexts(t, oerr)
			if want, ok := odsDiffers[name]; ok {
				if len(op) != len(want) {
					t.Errorf("ods problems = %q, want %d", op, len(want))
				}
				for _, w := range want {
					if !containsAny(op, w) {
						t.Errorf("ods problems = %q, want one containing %q", op, w)
					}
				}
				return
			}
			// LibreOffice keeps the text of a definition it cannot resolve as it read it,
			// lower-cased ('vat return'!#ref!), and upper-cases function names.
			if !slices.EqualFunc(xp, op, strings.EqualFold) {
				t.Errorf("problems differ\nxlsx: %q\nods:  %q", xp, op)
			}
			if x.Return != o.Return {
				t.Errorf("return: ods %+v, xlsx %+v", o.Return, x.Return)
			}
			for i := range x.Sources {
				xs, os := x.Sources[i], o.Sources[i]
				// LibreOffice recalculates on load; a value it writes may be spelled differently
				// (1234.5 for 1234.50) but must be the same number.
				if xs.Raw != os.Raw {
					xd, e1 := vatreturn.ParseDecimal(xs.Raw)
					od, e2 := vatreturn.ParseDecimal(os.Raw)
					if e1 != nil || e2 != nil || xd.Cmp(od) != 0 {
						t.Errorf("box %d raw: ods %q, xlsx %q", i+1, os.Raw, xs.Raw)
					}
					xs.Raw, os.Raw = "", ""
				}
				if strings.EqualFold(xs.Formula, os.Formula) {
					xs.Formula = os.Formula
				}
				if xs != os {
					t.Errorf("box %d source:\nods  %+v\nxlsx %+v", i+1, os, xs)
				}
			}
			// Box1 is a cell address only in Excel's sheets (LibreOffice's end at column AMJ), so
			// only the .xlsx twin is warned about it.
			xw := slices.DeleteFunc(slices.Clone(x.Warnings), func(w string) bool { return strings.Contains(w, "cell address") })
			if !slices.Equal(xw, o.Warnings) {
				t.Errorf("warnings:\nods  %q\nxlsx %q", o.Warnings, xw)
			}
			if !x.PeriodStart.Equal(o.PeriodStart) || !x.PeriodEnd.Equal(o.PeriodEnd) || x.VRN != o.VRN {
				t.Errorf("period/VRN: ods %v %v %q, xlsx %v %v %q", o.PeriodStart, o.PeriodEnd, o.VRN, x.PeriodStart, x.PeriodEnd, x.VRN)
			}
			if len(o.SHA256) != 64 || o.SHA256 == x.SHA256 {
				t.Errorf("ods digest %q", o.SHA256)
			}
		})
	}
}

// TestODSValueTypes reads currency, percentage, date and number cells written by LibreOffice,
// names local to a sheet and a name defined on another sheet, with their formulas as evidence.
func TestODSValueTypes(t *testing.T) {
	t.Parallel()
	r, err := Read(t.Context(), filepath.Join(fixtures, "value-types.ods"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := vatreturn.Return{VATDueSales: 123440, TotalVATDue: 123440, VATReclaimedCurrPeriod: 50010, NetVATDue: 73430,
		TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 250000}
	if r.Return != want {
		t.Errorf("return = %+v, want %+v", r.Return, want)
	}
	b1 := r.Sources[0]
	if b1.Name != "vatDueSales" || b1.Sheet != "VAT Return" || b1.Cell != "C7" || b1.Raw != "1234.4" || b1.Formula != "Ledger!B1*Ledger!B1002" {
		t.Errorf("box 1 source = %+v", b1)
	}
	if s := r.Sources[2]; s.Formula != "SUM(C7,C8)" || s.Name != "Box3" {
		t.Errorf("box 3 source = %+v", s)
	}
	if s := r.Sources[1]; s.Name != "VAT_Box2" || s.Raw != "0" {
		t.Errorf("box 2 (a percentage cell) source = %+v", s)
	}
	if !r.PeriodStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !r.PeriodEnd.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) || r.VRN != "123456782" {
		t.Errorf("period/VRN = %v %v %q", r.PeriodStart, r.PeriodEnd, r.VRN)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings = %q", r.Warnings)
	}
	if !strings.HasSuffix(r.Path, "value-types.ods") || len(r.SHA256) != 64 {
		t.Errorf("evidence path/digest = %q %q", r.Path, r.SHA256)
	}
}

// TestODSMap reads an .ods through a --map file, by names and by a plain cell reference, with
// the same result as the .xlsx it was converted from.
func TestODSMap(t *testing.T) {
	t.Parallel()
	fh, err := os.Open(filepath.Join(fixtures, "custom-names.map"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	m, err := ParseMap(fh)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Read(t.Context(), filepath.Join(fixtures, "custom-names.xlsx"), Options{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Read(t.Context(), filepath.Join(fixtures, "custom-names.ods"), Options{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if o.Return != x.Return || o.Sources[2].Cell != "C9" || o.Sources[2].Name != "" || o.Sources[0].Name != "SalesVAT" {
		t.Errorf("ods %+v %+v\nxlsx %+v", o.Return, o.Sources, x.Return)
	}
}
