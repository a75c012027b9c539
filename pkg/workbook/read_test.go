package workbook

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

const fixtures = "../../testdata/workbooks"

// standardReturn is what every "good" fixture holds.
var standardReturn = vatreturn.Return{
	VATDueSales: 123456, VATDueAcquisitions: 0, TotalVATDue: 123456, VATReclaimedCurrPeriod: 50010,
	NetVATDue: 73446, TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 250000,
}

// wantCell is one expected problem: its location and words its message must contain.
type wantCell struct {
	box               int
	name, sheet, cell string
	words             []string
}

func TestReadFixtures(t *testing.T) {
	t.Parallel()
	const vr = "VAT Return"
	tests := []fixtureCase{
		{file: "good-basic.xlsx", want: &standardReturn, check: func(t *testing.T, r *Result) {
			if !r.PeriodStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !r.PeriodEnd.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("period = %v to %v", r.PeriodStart, r.PeriodEnd)
			}
			if r.VRN != "123456782" {
				t.Errorf("VRN = %q", r.VRN)
			}
			want := Source{Box: 3, Name: "Box3", Sheet: vr, Cell: "C9", Raw: "1234.56", Formula: "C7+C8"}
			if r.Sources[2] != want {
				t.Errorf("Sources[2] = %+v, want %+v", r.Sources[2], want)
			}
			if len(r.SHA256) != 64 || !strings.HasSuffix(r.Path, "good-basic.xlsx") {
				t.Errorf("evidence = %q %q", r.Path, r.SHA256)
			}
			for _, w := range r.Warnings {
				if !strings.Contains(w, "cell address") {
					t.Errorf("warning %q", w)
				}
			}
		}},
		{file: "good-conventions.xlsx", want: &standardReturn, check: func(t *testing.T, r *Result) {
			if r.Sources[0].Name != "vatDueSales" || r.Sources[1].Name != "VAT_BOX2" {
				t.Errorf("names = %q, %q", r.Sources[0].Name, r.Sources[1].Name)
			}
		}},
		{file: "sheet-scoped.xlsx", want: &standardReturn},
		{file: "date1904.xlsx", want: &standardReturn, check: func(t *testing.T, r *Result) {
			if !r.PeriodStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !r.PeriodEnd.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("1904-system period = %v to %v, want 2026-01-01 to 2026-03-31", r.PeriodStart, r.PeriodEnd)
			}
		}},
		{file: "quoted-sheet.xlsx", want: &standardReturn, check: func(t *testing.T, r *Result) {
			if r.Sources[0].Sheet != "It's VAT" || r.Sources[0].Cell != "C7" {
				t.Errorf("source = %+v", r.Sources[0])
			}
		}},
		{file: "encrypted-pw-secret.xlsx", opts: Options{Password: "secret"}, want: &standardReturn},
		{file: "template.xlsx", want: &vatreturn.Return{
			VATDueSales: 130010, VATDueAcquisitions: 6000, TotalVATDue: 136010, VATReclaimedCurrPeriod: 30000, NetVATDue: 106010,
			TotalValueSalesExVAT: 730000, TotalValuePurchasesExVAT: 150000, TotalValueGoodsSuppliedExVAT: 80000, TotalAcquisitionsExVAT: 30000,
		}, check: func(t *testing.T, r *Result) {
			if r.Sources[0].Raw != "1300.1" || !strings.HasPrefix(r.Sources[0].Formula, "ROUND(SUMIF(") {
				t.Errorf("computed source = %+v", r.Sources[0])
			}
		}},
		{file: "no-cache.xlsx", want: &vatreturn.Return{
			VATDueSales: 25011, TotalVATDue: 25011, VATReclaimedCurrPeriod: 8000, NetVATDue: 17011,
			TotalValueSalesExVAT: 125000, TotalValuePurchasesExVAT: 40000,
		}},
		{file: "large-ledger.xlsx", want: &vatreturn.Return{
			VATDueSales: 668736461, TotalVATDue: 668736461, VATReclaimedCurrPeriod: 334617539, NetVATDue: 334118922,
			TotalValueSalesExVAT: 3343708900, TotalValuePurchasesExVAT: 1673101000,
		}},
		{file: "float-noise.xlsx", want: &vatreturn.Return{
			VATDueSales: 5024436717, TotalVATDue: 5024436717, VATReclaimedCurrPeriod: 30, NetVATDue: 5024436687,
			TotalValueSalesExVAT: 25122183600, TotalValuePurchasesExVAT: 250000,
		}},
		{file: "text-numbers.xlsx", want: &vatreturn.Return{
			VATDueSales: 123456, TotalVATDue: 123456, VATReclaimedCurrPeriod: -50010, NetVATDue: 173466,
			TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 250000,
		}, warnings: []string{`'VAT Return'!C7 holds the text "£1,234.56", read as the number 1234.56`, `"(500.10)", read as the number -500.10`, `"6,172", read as the number 6172.00`}},
		{file: "box3-box5-missing.xlsx", want: &standardReturn,
			warnings: []string{"box 3 (totalVatDue): the workbook has no name for it; computed as box 1 + box 2 = 1234.56", "box 5 (netVatDue): the workbook has no name for it; computed as the difference between box 3 and box 4 = 734.46"},
			check: func(t *testing.T, r *Result) {
				if !r.Sources[2].Computed || !r.Sources[4].Computed || r.Sources[0].Computed {
					t.Errorf("Computed flags wrong: %+v", r.Sources)
				}
			}},
		{file: "extra-precision.xlsx", opts: Options{Round: true}, want: &vatreturn.Return{
			VATDueSales: 1235, TotalVATDue: 1235, NetVATDue: 1235, TotalValueSalesExVAT: 123400, TotalValuePurchasesExVAT: 250000,
		}, warnings: []string{"box 1: 12.345 rounded to 12.35 (nearest penny) ('VAT Return'!C7)", "box 6: 1234.56 rounded down to 1234 (whole pounds, pence left out) ('VAT Return'!C12)"}},
		{file: "custom-names.xlsx", opts: Options{Map: map[int]string{1: "SalesVAT", 2: "EUVAT", 3: "'VAT Return'!$C$9", 4: "InputVAT", 5: "netvat", 6: "Sales", 7: "Purchases", 8: "EUSupplies", 9: "EUAcquisitions"}},
			want: &standardReturn, check: func(t *testing.T, r *Result) {
				if s := r.Sources[2]; s.Name != "" || s.Sheet != vr || s.Cell != "C9" {
					t.Errorf("mapped reference source = %+v", s)
				}
			}},

		// Written by LibreOffice Calc (scripts/gen-libreoffice.sh), which stores cached results.
		{file: "lo-good-basic.xlsx", want: &standardReturn, check: func(t *testing.T, r *Result) {
			if r.VRN != "123456782" || r.PeriodStart.IsZero() || r.PeriodEnd.IsZero() {
				t.Errorf("period/VRN = %v %v %q", r.PeriodStart, r.PeriodEnd, r.VRN)
			}
		}},
		{file: "lo-template.xlsx", want: &vatreturn.Return{
			VATDueSales: 130010, VATDueAcquisitions: 6000, TotalVATDue: 136010, VATReclaimedCurrPeriod: 30000, NetVATDue: 106010,
			TotalValueSalesExVAT: 730000, TotalValuePurchasesExVAT: 150000, TotalValueGoodsSuppliedExVAT: 80000, TotalAcquisitionsExVAT: 30000,
		}, warnings: []string{`the Ledger sheet still holds 5 of the template's example rows (Ledger!B2 "Example: consultancy invoice 1001"…), which count in the boxes: replace them with the period's own transactions`}},
		{file: "lo-no-cache.xlsx", want: &vatreturn.Return{
			VATDueSales: 25011, TotalVATDue: 25011, VATReclaimedCurrPeriod: 8000, NetVATDue: 17011,
			TotalValueSalesExVAT: 125000, TotalValuePurchasesExVAT: 40000,
		}},
		// A real spreadsheet cannot add text: LibreOffice's recalculation turned box 3 and 5 into #VALUE!.
		{file: "lo-text-numbers.xlsx", problems: []wantCell{
			{3, "Box3", vr, "C9", []string{"#VALUE!"}}, {5, "Box5", vr, "C11", []string{"#VALUE!"}},
		}, warnings: []string{`"£1,234.56", read as the number 1234.56`}},

		// Problems with names.
		{file: "ref-range.xlsx", problems: []wantCell{{box: 1, name: "Box1", words: []string{"$C$7:$C$8", "range"}}}},
		{file: "ref-deleted.xlsx", problems: []wantCell{{box: 1, name: "Box1", words: []string{"#REF!", "deleted"}}}},
		{file: "ref-external.xlsx", problems: []wantCell{{box: 1, name: "Box1", words: []string{"[1]Sheet1", "another workbook"}}}},
		{file: "ref-formula.xlsx", problems: []wantCell{{box: 1, name: "Box1", words: []string{"0.2*", "formula or constant"}}}},
		{file: "ref-constant.xlsx", problems: []wantCell{{box: 1, name: "Box1", words: []string{`"100"`, "formula or constant"}}}},
		{file: "ref-missing-sheet.xlsx", problems: []wantCell{{box: 1, name: "Box1", sheet: "Gone", cell: "C7", words: []string{"not in the workbook"}}}},
		{file: "duplicate-names.xlsx", problems: []wantCell{{box: 1, name: "Box1", sheet: vr, cell: "C7", words: []string{"name Box1 → 'VAT Return'!C7", "name vatDueSales → 'VAT Return'!C20"}}}},
		{file: "missing-name.xlsx", problems: []wantCell{{box: 4, words: []string{"no defined name", "Box4", "vatReclaimedCurrPeriod", "--map"}}}},
		{file: "custom-names.xlsx", opts: Options{Map: map[int]string{1: "NoSuchName"}}, problems: []wantCell{
			{box: 1, name: "NoSuchName", words: []string{"--map names"}},
			{box: 2}, {box: 4}, {box: 6}, {box: 7}, {box: 8}, {box: 9},
		}},

		// Problems with values: every one names box, name, sheet and cell.
		{file: "text-not-number.xlsx", problems: []wantCell{{1, "Box1", vr, "C7", []string{`text "n/a"`}}}},
		{file: "error-cells.xlsx", problems: []wantCell{
			{1, "Box1", vr, "C7", []string{"#DIV/0!"}}, {2, "Box2", vr, "C8", []string{"#REF!"}}, {3, "Box3", vr, "C9", []string{"#DIV/0!"}},
			{4, "Box4", vr, "C10", []string{"#NAME?"}}, {5, "Box5", vr, "C11", []string{"#DIV/0!"}},
		}},
		{file: "booleans.xlsx", problems: []wantCell{{2, "Box2", vr, "C8", []string{"logical value TRUE"}}}},
		{file: "empty-cell.xlsx", problems: []wantCell{{8, "Box8", vr, "C14", []string{"empty"}}, {9, "Box9", vr, "C15", []string{`text ""`}}}},
		{file: "extra-precision.xlsx", problems: []wantCell{
			{1, "Box1", vr, "C7", []string{"12.345", "more than two decimal places", "--round"}},
			{3, "Box3", vr, "C9", []string{"12.345"}}, {5, "Box5", vr, "C11", []string{"12.345"}},
			{6, "Box6", vr, "C12", []string{"1234.56", "whole pounds"}},
		}},
		{file: "box3-disagrees.xlsx", problems: []wantCell{
			{3, "Box3", vr, "C9", []string{"holds 1000.00", "box 1 + box 2 is 1234.56", "box 1 'VAT Return'!C7 = 1234.56", "box 2 'VAT Return'!C8 = 0.00", "VAT_TOTAL_VALUE"}},
			{5, "Box5", vr, "C11", []string{"box 3 'VAT Return'!C9 = 1000.00", "box 4 'VAT Return'!C10 = 500.10"}},
		}},
		// The saved result of box 1 (1234.56) no longer follows from its formula (SUM of 1000 and
		// 300): filing it would send a figure the records do not support.
		{file: "stale-results.xlsx", problems: []wantCell{
			{1, "Box1", vr, "C7", []string{`saved result "1234.56"`, `gives "1300"`, "out of date", "recalculate", "save, and run again"}},
			{3, "Box3", vr, "C9", []string{`saved result "1234.56"`, `gives "1300"`}},
			{5, "Box5", vr, "C11", []string{`saved result "734.46"`, `gives "799.9"`}},
		}},
		{file: "volatile.xlsx", want: &standardReturn, warnings: []string{"depends on TODAY (in 'VAT Return'!E7)", "when the workbook was calculated"}},
		{file: "offset.xlsx", want: &standardReturn, warnings: []string{"depend on OFFSET in 'VAT Return'!C7", "volatile"}},
		{file: "manual-calc.xlsx", want: &standardReturn, warnings: []string{"manual calculation"}},
		{file: "box5-disagrees.xlsx", problems: []wantCell{{5, "Box5", vr, "C11", []string{"holds 700.00", "is 734.46", "VAT_NET_VALUE"}}}},
		{file: "negative-box5.xlsx", problems: []wantCell{{5, "Box5", vr, "C11", []string{"-765.44 is negative"}}}},
		{file: "period-bad.xlsx", problems: []wantCell{
			{0, "PeriodStart", vr, "C3", []string{`"next Tuesday"`, "not a date"}},
			{0, "VRN", vr, "C5", []string{`"12345"`, "9-digit"}},
		}},
	}
	// Both readers must agree on every fixture: the lazy one Read picks for plain packages, and
	// excelize, which Read uses for encrypted files and as the fallback.
	readers := []struct {
		name string
		open opener
	}{{"lite", openBook}, {"excelize", openExcel}}
	for _, tt := range tests {
		for _, rd := range readers {
			name := tt.file + "/" + rd.name
			if tt.opts.Round || tt.opts.Map != nil {
				name += "/options"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				readFixture(t, rd.open, tt)
			})
		}
	}
}

// fixtureCase is one row of TestReadFixtures.
type fixtureCase struct {
	file     string
	opts     Options
	want     *vatreturn.Return
	problems []wantCell
	warnings []string
	check    func(t *testing.T, r *Result)
}

func readFixture(t *testing.T, open opener, tt fixtureCase) {
	t.Helper()
	res, err := read(t.Context(), filepath.Join(fixtures, tt.file), tt.opts, open)
	if len(tt.problems) == 0 {
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
	} else {
		checkProblems(t, err, tt.problems)
		if res == nil {
			t.Fatal("Result is nil alongside Problems; want the partial result")
		}
	}
	if tt.want != nil && res.Return != *tt.want {
		t.Errorf("Return = %+v\nwant     %+v", res.Return, *tt.want)
	}
	for _, w := range tt.warnings {
		if !containsAny(res.Warnings, w) {
			t.Errorf("no warning containing %q in %q", w, res.Warnings)
		}
	}
	// The generated fixtures name their boxes Box1…Box9, as older workbooks do; the warning
	// about those names has its own test.
	var other []string
	for _, w := range res.Warnings {
		if !strings.Contains(w, "cell address") {
			other = append(other, w)
		}
	}
	if len(tt.warnings) == 0 && len(tt.problems) == 0 && len(other) > 0 && tt.check == nil {
		t.Errorf("unexpected warnings %q", other)
	}
	if tt.check != nil {
		tt.check(t, res)
	}
}

// TestLibreOfficeCachedValues guards the point of the LibreOffice fixtures: they must carry
// cached results, so Read takes the cached path for them rather than computing.
func TestLibreOfficeCachedValues(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"lo-template.xlsx", "lo-no-cache.xlsx"} {
		bk, err := openBook(filepath.Join(fixtures, file), kindZip, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, cell := range []string{"C9", "C11"} {
			sheet := "VAT Return"
			v, err := bk.Cell(sheet, cell)
			if err != nil || v.Formula == "" || !v.HasCached || v.Type != TypeNumber {
				t.Errorf("%s %s = %+v, %v; want a formula with a cached number", file, cell, v, err)
			}
		}
		bk.Close()
	}
}

func checkProblems(t *testing.T, err error, want []wantCell) {
	t.Helper()
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error = %v (%T), want *Problems", err, err)
	}
	if len(ps.Cells) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ps.Cells), len(want), err)
	}
	for i, w := range want {
		c := ps.Cells[i]
		if c.Box != w.box || w.name != "" && c.Name != w.name || c.Sheet != w.sheet || c.Cell != w.cell {
			t.Errorf("problem %d = {box %d name %q sheet %q cell %q}, want {%d %q %q %q}: %v", i, c.Box, c.Name, c.Sheet, c.Cell, w.box, w.name, w.sheet, w.cell, c)
		}
		msg := c.Error()
		words := append([]string{}, w.words...)
		if w.box > 0 {
			words = append(words, "box "+string(rune('0'+w.box)), vatreturn.Boxes[w.box-1].Field)
		}
		if w.name != "" {
			words = append(words, w.name)
		}
		if w.cell != "" {
			words = append(words, quoteSheet(w.sheet)+"!"+w.cell)
		}
		for _, word := range words {
			if !strings.Contains(msg, word) {
				t.Errorf("problem %d message %q lacks %q", i, msg, word)
			}
		}
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("Problems.Error() lacks %q", msg)
		}
	}
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestReadBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		opts  Options
		words string
		is    error
	}{
		{"legacy.xls", Options{}, "legacy Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx)", nil},
		{"spreadsheet.ods", Options{}, "damaged: it is marked as an OpenDocument spreadsheet but cannot be read", nil},
		{"binary.xlsb", Options{}, "Excel binary workbook (.xlsb)", nil},
		{"document.docx", Options{}, "Word document", nil},
		{"corrupt.xlsx", Options{}, "damaged", nil},
		{"not-a-workbook.xlsx", Options{}, "not an Excel workbook", nil},
		{"empty.xlsx", Options{}, "empty", nil},
		{"zip-bomb.xlsx", Options{}, "would unpack to 5120 MB", nil},
		{"zip-bomb-ratio.xlsx", Options{}, "zip bomb", nil},
		{"enormous-sheet.xlsx", Options{}, "would unpack to 300 MB, more than the 256 MB", nil},
		{"encrypted-pw-secret.xlsx", Options{}, "password-protected", ErrPasswordRequired},
		{"encrypted-pw-secret.xlsx", Options{Password: "Secret"}, "password does not open", ErrWrongPassword},
		{"no-such-file.xlsx", Options{}, "cannot open the file: no such file or directory", nil},
		{".", Options{}, "is a directory", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.opts.Password, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(fixtures, tt.file)
			res, err := Read(t.Context(), path, tt.opts)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want *FileError", err, err)
			}
			if res != nil {
				t.Errorf("Result = %+v, want nil for an unreadable file", res)
			}
			if fe.Path != path || !strings.Contains(err.Error(), tt.words) || strings.Contains(fe.Message, "\n") {
				t.Errorf("error = %q, want path %q and %q in one line", err, path, tt.words)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if strings.Contains(err.Error(), tt.opts.Password) && tt.opts.Password != "" {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestReadCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Read(ctx, filepath.Join(fixtures, "good-basic.xlsx"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestBoxNameIsCellAddress: since Excel 2007 a sheet runs to column XFD, so Box1 is also the
// cell in column BOX, row 1; Excel refuses such a name and may rename or drop it on opening.
// Reading still works, with a warning that says what to rename it to.
func TestBoxNameIsCellAddress(t *testing.T) {
	t.Parallel()
	res, err := Read(t.Context(), filepath.Join(fixtures, "good-basic.xlsx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range res.Warnings {
		if strings.Contains(w, "cell address") {
			n++
		}
	}
	// One warning for the nine names, not nine lines on every check and submit.
	if n != 1 || !containsAny(res.Warnings, "the defined names Box1, Box2, Box3, Box4, Box5, Box6, Box7, Box8, Box9 are also cell addresses in Excel 2007 and later (column BOX)") ||
		!containsAny(res.Warnings, "rename them VAT_Box1…VAT_Box9") {
		t.Errorf("warnings %q, want one naming the nine names, column BOX and the new names", res.Warnings)
	}
}

// TestBoxesCarryValuesAlongsideProblems: when a rule across boxes fails, `vat check -o json`
// still shows every box's value and its own problems, so Result.Boxes is filled with the
// *Problems error: box 3 keeps the 1000.00 its cell holds, flagged; boxes 1 and 4 keep theirs,
// unflagged.
func TestBoxesCarryValuesAlongsideProblems(t *testing.T) {
	t.Parallel()
	res, err := Read(t.Context(), filepath.Join(fixtures, "box3-disagrees.xlsx"), Options{})
	var p *Problems
	if !errors.As(err, &p) || res == nil {
		t.Fatalf("Read = %v, %v; want a Result with *Problems", res, err)
	}
	for n, want := range map[int]vatreturn.Money{1: 123456, 2: 0, 3: 100000, 4: 50010, 5: 73446, 6: 617200} {
		b := res.Boxes[n-1]
		if b.Number != n || !b.OK || b.Value != want {
			t.Errorf("box %d = %+v, want value %s", n, b, want)
		}
	}
	if b := res.Boxes[2]; len(b.Problems) != 1 || !strings.Contains(b.Problems[0].Message, "box 1 + box 2 is 1234.56") {
		t.Errorf("box 3 problems = %v", b.Problems)
	}
	if b := res.Boxes[0]; len(b.Problems) != 0 {
		t.Errorf("box 1 problems = %v, want none", b.Problems)
	}
	// A box that could not be read is not OK, and says why.
	res, _ = Read(t.Context(), filepath.Join(fixtures, "text-not-number.xlsx"), Options{})
	if b := res.Boxes[0]; b.OK || len(b.Problems) != 1 || !strings.Contains(b.Problems[0].Message, `"n/a"`) {
		t.Errorf("box 1 = %+v, want not OK with the text problem", b)
	}
}
