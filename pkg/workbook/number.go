package workbook

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// normaliseNumber turns a number as stored in a cell into an exact decimal, removing binary
// floating-point noise. Excel stores doubles with 17 significant digits, so a sum that "is"
// 50244367.17 is written as 50244367.170000002; reading that text exactly would report a
// sub-penny amount that nobody typed. A value is treated as noise only when it is within a
// relative 1e-9 (and an absolute ten-thousandth of a penny, so large amounts get no licence to
// swallow real pence) of a two-decimal amount; 12.345 is real precision and stays as it is.
func normaliseNumber(raw string) (vatreturn.Decimal, bool, error) {
	d, err := vatreturn.ParseDecimal(raw)
	if err != nil {
		return vatreturn.Decimal{}, false, err
	}
	if _, err := d.Money(); err == nil {
		return d, false, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return d, false, nil //nolint:nilerr // not a double: there is no noise to remove
	}
	// The shortest text that reads back as the same double is what the author most likely meant.
	short := strconv.FormatFloat(f, 'f', -1, 64)
	if sd, err := vatreturn.ParseDecimal(short); err == nil {
		if _, err := sd.Money(); err == nil {
			return sd, true, nil
		}
	}
	penny, err := d.RoundPenny()
	if err != nil {
		return d, false, nil //nolint:nilerr // too large to round: kept as read, and checked later
	}
	cand := vatreturn.DecimalFromMoney(penny)
	diff, err := strconv.ParseFloat(d.Sub(cand).Abs().String(), 64)
	if err != nil {
		return d, false, nil //nolint:nilerr // not comparable as a double: kept as read
	}
	tol := math.Min(1e-9*math.Max(math.Abs(f), 1), 1e-6)
	// Doubles above about 2^53/100 cannot even hold every penny; allow a few units in the last place.
	if ulp := math.Nextafter(math.Abs(f), math.Inf(1)) - math.Abs(f); tol < 4*ulp {
		tol = 4 * ulp
	}
	if diff <= tol {
		return cand, true, nil
	}
	return d, false, nil
}

// errNotNumberText reports text that is not a recognisable amount.
var errNotNumberText = errors.New("not an amount")

// maxTextNumber bounds how much of a text cell is examined as a number.
const maxTextNumber = 64

// parseTextNumber reads amounts that people type as text: "£1,234.56", "-£3.00", "(1,234.56)"
// (accountants' negative), "1 234.56", "GBP 12". Thousands separators must sit in groups of
// three, so "1,23" is refused rather than misread as 123.
func parseTextNumber(s string) (vatreturn.Decimal, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if s == "" || len(s) > maxTextNumber {
		return vatreturn.Decimal{}, errNotNumberText
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "\u2212") {
		if neg {
			return vatreturn.Decimal{}, errNotNumberText
		}
		neg = true
		s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "\u2212")
	}
	s = strings.TrimSpace(s)
	for _, cur := range []string{"£", "GBP"} {
		if strings.HasPrefix(s, cur) {
			s = strings.TrimSpace(s[len(cur):])
			break
		}
	}
	if strings.HasPrefix(s, "-") && !neg {
		neg, s = true, s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if strings.ContainsAny(whole, ", ") {
		groups := strings.FieldsFunc(whole, func(r rune) bool { return r == ',' || r == ' ' })
		if len(groups) < 2 || len(groups[0]) > 3 || len(groups[0]) == 0 {
			return vatreturn.Decimal{}, errNotNumberText
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return vatreturn.Decimal{}, errNotNumberText
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || strings.ContainsAny(whole+frac, "eE+-") {
		return vatreturn.Decimal{}, errNotNumberText
	}
	num := whole
	if hasDot {
		num += "." + frac
	}
	d, err := vatreturn.ParseDecimal(num)
	if err != nil {
		return vatreturn.Decimal{}, errNotNumberText
	}
	if neg {
		d = vatreturn.Decimal{}.Sub(d)
	}
	return d, nil
}

// shorten keeps quoted cell text in messages readable and bounded.
func shorten(s string) string {
	const max = 40
	r := []rune(s)
	if len(r) > max {
		return strconv.Quote(string(r[:max]) + "…")
	}
	return strconv.Quote(s)
}

func describeValue(v CellValue) string {
	switch v.Type {
	case TypeBool:
		return fmt.Sprintf("holds the logical value %s, not an amount", v.Cached)
	case TypeError:
		return fmt.Sprintf("holds the error %s; fix the formula so it gives an amount", v.Cached)
	case TypeEmpty:
		return "is empty; enter the amount (0 if nothing to declare)"
	case TypeDate:
		return fmt.Sprintf("holds the date %s, not an amount", v.Cached)
	}
	return fmt.Sprintf("holds the text %s, not an amount", shorten(v.Cached))
}
