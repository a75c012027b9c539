package workbook

import (
	"testing"
)

func TestNormaliseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, want string
		noise     bool
	}{
		{"1234.56", "1234.56", false},
		{"0", "0", false},
		{"50244367.170000002", "50244367.17", true},
		{"50244367.1700002", "50244367.17", true}, // accumulated error, not just representation
		{"50244367.1749", "50244367.1749", false},
		{"0.30000000000000004", "0.3", true},
		{"251221835.99999997", "251221836", true},
		{"-1234.5600000000001", "-1234.56", true},
		{"1.0000000000000001E-2", "0.01", true},
		{"12.345", "12.345", false}, // real precision stays, to be refused or rounded
		{"0.001", "0.001", false},   // a tenth of a penny is not noise
		{"1234.5649999", "1234.5649999", false},
		{"9999999999999.99", "9999999999999.99", false},
		{"1E+21", "1000000000000000000000", false},
	}
	for _, tt := range tests {
		d, noise, err := normaliseNumber(tt.raw)
		if err != nil || d.String() != tt.want || noise != tt.noise {
			t.Errorf("normaliseNumber(%q) = %s, %v, %v; want %s, %v", tt.raw, d, noise, err, tt.want, tt.noise)
		}
	}
	if _, _, err := normaliseNumber("abc"); err == nil {
		t.Error("normaliseNumber(abc) gave no error")
	}
}

func TestParseTextNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"£1,234.56", "1234.56", true},
		{"1234.56", "1234.56", true},
		{"(1,234.56)", "-1234.56", true},
		{"-£3.00", "-3", true},
		{"£-3", "-3", true},
		{" GBP 12 ", "12", true},
		{"1 234 567.89", "1234567.89", true},
		{"\u00a31\u00a0000", "1000", true},
		{"12.345", "12.345", true},
		{"−7.5", "-7.5", true},
		{"1,23", "", false},
		{"1,2345", "", false},
		{",123", "", false},
		{"n/a", "", false},
		{"", "", false},
		{"$12", "", false},
		{"1e5", "", false},
		{"(-5)", "", false},
		{"12 apples", "", false},
		{"--5", "", false},
	}
	for _, tt := range tests {
		d, err := parseTextNumber(tt.in)
		if (err == nil) != tt.ok || tt.ok && d.String() != tt.want {
			t.Errorf("parseTextNumber(%q) = %s, %v; want %s ok=%v", tt.in, d, err, tt.want, tt.ok)
		}
	}
}
