package vatreturn

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseMoney checks that ParseMoney never panics and that whatever it accepts survives a
// round trip through String, the form sent to HMRC.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "1234.56", "-0.07", ".5", "1.234", "99999999999999999", "+3", "1e3", "£1", " 12 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %v, but ParseMoney(%q) = %v, %v", s, m, m.String(), back, err)
		}
		if len(strings.TrimSpace(s)) > maxDecimalText {
			return // ParseDecimal bounds its input; ParseMoney, linear in its input, need not
		}
		d, err := ParseDecimal(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("ParseMoney accepted %q but ParseDecimal refused it: %v", s, err)
		}
		if dm, err := d.Money(); err != nil || dm != m {
			t.Fatalf("ParseDecimal(%q).Money() = %v, %v; ParseMoney = %v", s, dm, err, m)
		}
	})
}

// FuzzParseDecimal checks that ParseDecimal never panics and that rounding never fails on values
// that fit, whatever the text.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.345", "-1E-400", "1e400", "50244367.170000002", "-.5", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if !errors.Is(err, ErrNotDecimal) {
				t.Fatalf("ParseDecimal(%q) error %v is not ErrNotDecimal", s, err)
			}
			return
		}
		if len(d.String()) > maxDecimalText {
			return // exponents make long expansions; ParseDecimal rightly refuses such long text
		}
		back, err := ParseDecimal(d.String())
		if err != nil || back.Cmp(d) != 0 {
			t.Fatalf("ParseDecimal(%q) = %s does not round trip: %v", s, d, err)
		}
	})
}
