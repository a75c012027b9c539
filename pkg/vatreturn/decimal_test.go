package vatreturn

import (
	"errors"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		err      bool
	}{
		{"0", "0", false},
		{"12.345", "12.345", false},
		{"-0.07", "-0.07", false},
		{"50244367.170000002", "50244367.170000002", false},
		{"1.5E-3", "0.0015", false},
		{"1.5e3", "1500", false},
		{"+.5", "0.5", false},
		{"7.", "7", false},
		{"", "", true},
		{".", "", true},
		{"-", "", true},
		{"1,000", "", true},
		{"£3", "", true},
		{"1e", "", true},
		{"1e9999", "", true},
		{"0x10", "", true},
		{"1.2.3", "", true},
		{"12345678901234567890123456789012345678901234567890123456789012345", "", true},
	}
	for _, tt := range tests {
		d, err := ParseDecimal(tt.in)
		if tt.err {
			if !errors.Is(err, ErrNotDecimal) {
				t.Errorf("ParseDecimal(%q) error = %v, want ErrNotDecimal", tt.in, err)
			}
			continue
		}
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDecimal(%q) = %s, %v; want %s", tt.in, d, err, tt.want)
		}
	}
}

func TestDecimalMoneyAndRounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in               string
		money            Money
		moneyErr         bool
		penny, truncated Money
	}{
		{"1234.56", 123456, false, 123456, 123400},
		{"12.345", 0, true, 1235, 1200},
		{"-12.345", 0, true, -1235, -1200},
		{"12.344999", 0, true, 1234, 1200},
		{"-1234.99", -123499, false, -123499, -123400},
		{"0.005", 0, true, 1, 0},
		{"0.0049", 0, true, 0, 0},
		{"1E2", 10000, false, 10000, 10000},
		{"99999999999999999999", 0, true, 0, 0}, // too large for pence: errors below
	}
	for _, tt := range tests {
		d, err := ParseDecimal(tt.in)
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", tt.in, err)
		}
		m, err := d.Money()
		if (err != nil) != tt.moneyErr || m != tt.money {
			t.Errorf("%s.Money() = %v, %v; want %v err=%v", tt.in, m, err, tt.money, tt.moneyErr)
		}
		if tt.in == "99999999999999999999" {
			if _, err := d.RoundPenny(); err == nil {
				t.Errorf("RoundPenny of %s: want overflow error", tt.in)
			}
			continue
		}
		if p, err := d.RoundPenny(); err != nil || p != tt.penny {
			t.Errorf("%s.RoundPenny() = %v, %v; want %v", tt.in, p, err, tt.penny)
		}
		if p, err := d.TruncatePounds(); err != nil || p != tt.truncated {
			t.Errorf("%s.TruncatePounds() = %v, %v; want %v", tt.in, p, err, tt.truncated)
		}
	}
	if !errors.Is(func() error { _, err := mustDec(t, "1.001").Money(); return err }(), ErrPrecision) {
		t.Error("Money of 1.001: want ErrPrecision")
	}
}

func mustDec(t *testing.T, s string) Decimal {
	t.Helper()
	d, err := ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecimalArithmetic(t *testing.T) {
	t.Parallel()
	a, b := mustDec(t, "0.1"), mustDec(t, "0.2")
	if got := a.Add(b); got.Cmp(mustDec(t, "0.3")) != 0 || got.String() != "0.3" {
		t.Errorf("0.1+0.2 = %s", got)
	}
	if got := a.Sub(b).Abs(); got.String() != "0.1" {
		t.Errorf("|0.1-0.2| = %s", got)
	}
	if (Decimal{}).String() != "0" || (Decimal{}).Sign() != 0 {
		t.Error("zero Decimal is not 0")
	}
	if DecimalFromMoney(-5).String() != "-0.05" {
		t.Errorf("DecimalFromMoney(-5) = %s", DecimalFromMoney(-5))
	}
}

func TestRoundBox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		box     int
		in      string
		want    Money
		changed bool
		text    string
	}{
		{1, "100.005", 10001, true, "box 1: 100.005 rounded to 100.01 (nearest penny)"},
		{4, "100.00", 10000, false, ""},
		{6, "1234.56", 123400, true, "box 6: 1234.56 rounded down to 1234 (whole pounds, pence left out)"},
		{9, "-10.5", -1000, true, "box 9: -10.5 rounded down to -10 (whole pounds, pence left out)"},
		{7, "300", 30000, false, ""},
	}
	for _, tt := range tests {
		d := mustDec(t, tt.in)
		m, changed, err := RoundBox(tt.box, d)
		if err != nil || m != tt.want || changed != tt.changed {
			t.Errorf("RoundBox(%d, %s) = %v, %v, %v; want %v, %v", tt.box, tt.in, m, changed, err, tt.want, tt.changed)
		}
		if changed {
			if s := (Change{Box: tt.box, From: d, To: m}).String(); s != tt.text {
				t.Errorf("Change text = %q, want %q", s, tt.text)
			}
		}
	}
}
