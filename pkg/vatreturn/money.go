// Package vatreturn holds the nine boxes of a UK VAT return as exact money and HMRC's rules for them.
// It is a leaf package: it imports nothing else from vat.
package vatreturn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in pence. Integer pence keep every box exact: HMRC compares box 3 with
// box 1 + box 2 by decimal equality, which float64 arithmetic cannot promise.
type Money int64

// Pounds makes Money from whole pounds.
func Pounds(p int64) Money { return Money(p * 100) }

// ErrPrecision reports a value with digits below a penny.
var ErrPrecision = errors.New("more than two decimal places")

// ParseMoney reads a plain decimal such as "-1234.5" or "0.07" exactly. It accepts no
// exponent, thousands separators or currency symbols; callers that accept those clean them first.
// A value with non-zero digits past the second decimal place fails with ErrPrecision.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty amount")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("%q is not a plain decimal number", s)
			}
		}
	}
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > 2 {
		return 0, ErrPrecision
	}
	for len(trimmed) < 2 {
		trimmed += "0"
	}
	if whole == "" {
		whole = "0"
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 16 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	var pounds int64
	if whole != "" {
		var err error
		if pounds, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, fmt.Errorf("%q is too large", s)
		}
	}
	pence, _ := strconv.ParseInt(trimmed, 10, 64)
	m := Money(pounds*100 + pence)
	if neg {
		m = -m
	}
	return m, nil
}

// String formats with exactly two decimals and no currency sign, e.g. "-1234.50".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// GBP formats for people, e.g. "£1,234.50" or "-£3.00".
func (m Money) GBP() string {
	s := m.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + "£" + b.String() + "." + frac
}

// IsWholePounds reports whether the amount has no pence, as boxes 6 to 9 require.
func (m Money) IsWholePounds() bool { return m%100 == 0 }

// WholePounds returns the amount in pounds, truncated toward zero.
func (m Money) WholePounds() int64 { return int64(m) / 100 }

// Abs returns the absolute value.
func (m Money) Abs() Money {
	if m < 0 {
		return -m
	}
	return m
}

// MarshalJSON writes a JSON number with exactly two decimals: HMRC judges decimal places by the
// scale of the number as sent, so "1.230" would be refused while "1.23" is accepted.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number (or a numeric string) exactly, never through float64.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("money: %w", err)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	v, err := ParseMoney(s)
	if err != nil {
		return fmt.Errorf("money: %w", err)
	}
	*m = v
	return nil
}
