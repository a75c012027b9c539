package workbook

import (
	"errors"
	"testing"
)

func TestParseRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		sheet, cell string
		err         error
	}{
		{"Sheet1!A1", "Sheet1", "A1", nil},
		{"=Return!$B$7", "Return", "B7", nil},
		{"'VAT Return'!$C$7", "VAT Return", "C7", nil},
		{"'It''s'!$A$1", "It's", "A1", nil},
		{"'a!b'!c3", "a!b", "C3", nil},
		{" 'Q1 2026'!XFD1048576 ", "Q1 2026", "XFD1048576", nil},
		{"Données!B2", "Données", "B2", nil},
		{"Sheet1!A1:B2", "", "", errRefRange},
		{"Sheet1!$A:$A", "", "", errRefRange},
		{"Sheet1!1:1", "", "", errRefRange},
		{"#REF!", "", "", errRefDeleted},
		{"Sheet1!#REF!", "", "", errRefDeleted},
		{"[1]Sheet1!A1", "", "", errRefExternal},
		{"'[Book.xlsx]Sheet1'!A1", "", "", errRefExternal},
		{"'C:\\x\\[Book.xlsx]Sheet1'!A1", "", "", errRefExternal},
		{"=0.2*Sheet!A1", "", "", errRefFormula},
		{"=100", "", "", errRefFormula},
		{"SUM(Sheet1!A1:A3)", "", "", errRefFormula},
		{"Sheet1!A1+Sheet1!A2", "", "", errRefFormula},
		{"A1", "", "", errRefNoSheet},
		{"$C$7", "", "", errRefNoSheet},
		{"Sheet1!XFE1", "", "", errRefSyntax},
		{"Sheet1!A1048577", "", "", errRefSyntax},
		{"Sheet1!A0", "", "", errRefSyntax},
		{"'unterminated!A1", "", "", errRefSyntax},
		{"''!A1", "", "", errRefSyntax},
		{"", "", "", errRefSyntax},
		{"SomeName", "", "", errRefSyntax},
	}
	for _, tt := range tests {
		sheet, cell, err := parseRef(tt.in)
		if !errors.Is(err, tt.err) || sheet != tt.sheet || cell != tt.cell {
			t.Errorf("parseRef(%q) = %q, %q, %v; want %q, %q, %v", tt.in, sheet, cell, err, tt.sheet, tt.cell, tt.err)
		}
	}
}

func TestQuoteSheet(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Sheet1": "Sheet1", "VAT Return": "'VAT Return'", "It's": "'It''s'", "A1": "'A1'", "2026": "'2026'", "Ledger_2": "Ledger_2"} {
		if got := quoteSheet(in); got != want {
			t.Errorf("quoteSheet(%q) = %q, want %q", in, got, want)
		}
		if s, _, err := parseRef(quoteSheet(in) + "!A1"); err != nil || s != in {
			t.Errorf("parseRef(quoteSheet(%q)!A1) = %q, %v", in, s, err)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"'It''s'!$A$1", "[1]S!A1", "S!A1:B2", "=0.2*S!A1", "'''!A1", "S!XFD1048576"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sheet, cell, err := parseRef(s)
		if err != nil {
			return
		}
		if sheet == "" || !looksLikeCell(cell) {
			t.Fatalf("parseRef(%q) = %q, %q without error", s, sheet, cell)
		}
		s2, c2, err := parseRef(quoteSheet(sheet) + "!" + cell)
		if err != nil || s2 != sheet || c2 != cell {
			t.Fatalf("round trip of %q: %q, %q, %v", s, s2, c2, err)
		}
	})
}
