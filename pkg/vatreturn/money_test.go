package vatreturn

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Money
		err  bool
	}{
		{"0", 0, false},
		{"1234.56", 123456, false},
		{"-1234.5", -123450, false},
		{".07", 7, false},
		{"50244367.1700", 5024436717, false},
		{"+3", 300, false},
		{"1.234", 0, true},
		{"abc", 0, true},
		{"", 0, true},
		{"1,000", 0, true},
		{"-", 0, true},
		{"99999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if _, err := ParseMoney("1.001"); !errors.Is(err, ErrPrecision) {
		t.Errorf("ParseMoney(1.001) error = %v, want ErrPrecision", err)
	}
}

func TestMoneyFormatting(t *testing.T) {
	t.Parallel()
	for m, want := range map[Money]string{0: "£0.00", 123456789: "£1,234,567.89", -300: "-£3.00", 5: "£0.05"} {
		if got := m.GBP(); got != want {
			t.Errorf("%d.GBP() = %q, want %q", m, got, want)
		}
	}
	b, _ := json.Marshal(struct{ A, B Money }{-5, 100050})
	if string(b) != `{"A":-0.05,"B":1000.50}` {
		t.Errorf("json = %s", b)
	}
	var back struct{ A, B Money }
	if err := json.Unmarshal(b, &back); err != nil || back.A != -5 || back.B != 100050 {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}
