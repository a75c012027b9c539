package formula

import (
	"math/big"
	"testing"
)

func TestParseDec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // exact value, or "" when parseDec must refuse it
	}{
		{"0", "0"},
		{"45383", "45383"},
		{"-1234.56", "-1234.56"},
		{"0.05", "0.05"},
		{"1.50", "1.5"},
		{".5", "0.5"},
		{"2.0000000000000004E-2", "0.020000000000000004"},
		{"1E+5", "100000"},
		{"1e-3", "0.001"},
		{"-7.5E2", "-750"},
		{"123456789012345678", "123456789012345678"},
		{"1234567890123456789", ""}, // 19 digits: big.Rat's job
		{"9E+30", ""},
		{"1.2.3", ""},
		{"abc", ""},
		{"", ""},
		{"-", ""},
		{"1e", ""},
		{"1e1234", ""},
		{"12x", ""},
	}
	for _, tt := range tests {
		d, ok := parseDec(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("parseDec(%q) = %+v, want refusal", tt.in, d)
			}
			continue
		}
		if !ok {
			t.Errorf("parseDec(%q) refused", tt.in)
			continue
		}
		if got := DecimalText(d.rat()); got != tt.want {
			t.Errorf("parseDec(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCmpDecAndSum(t *testing.T) {
	t.Parallel()
	nums := []string{"0.1", "0.2", "-0.3", "45383", "999999999999999.999", "1e-30", "100", "-100.00"}
	for _, a := range nums {
		for _, b := range nums {
			da, okA := parseDec(a)
			db, okB := parseDec(b)
			if !okA || !okB {
				t.Fatalf("parseDec(%q, %q) refused", a, b)
			}
			ra, _ := ParseNumber(a)
			rb, _ := ParseNumber(b)
			if c, ok := cmpDec(da, db); ok && c != ra.Cmp(rb) {
				t.Errorf("cmpDec(%s, %s) = %d, big.Rat says %d", a, b, c, ra.Cmp(rb))
			}
		}
	}
	// A sum that overflows int64 in one scale bucket still comes out exact.
	s := newSum()
	want := new(big.Rat)
	for i := 0; i < 20; i++ {
		d, _ := parseDec("999999999999999.999")
		s.addDec(d)
		want.Add(want, d.rat())
		s.add(big.NewRat(1, 3))
		want.Add(want, big.NewRat(1, 3))
	}
	if got := s.result(); got.Cmp(want) != 0 {
		t.Fatalf("sum = %s, want %s", got.FloatString(5), want.FloatString(5))
	}
}

func TestWildMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p, s string
		want bool
	}{
		{"s*", "sales", true},
		{"*les", "sales", true},
		{"s?les", "sales", true},
		{"s?les", "sles", false},
		{"*", "", true},
		{"a~*b", "a*b", true},
		{"a~*b", "axb", false},
		{"a~?", "a?", true},
		{"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"£*", "£100", true},
		{"?", "£", true},
	}
	for _, tt := range tests {
		if got := wildMatch(tt.p, tt.s); got != tt.want {
			t.Errorf("wildMatch(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}
