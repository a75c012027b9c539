package formula

import (
	"math/big"
	"strings"
	"time"
)

// coerceText reads text used in arithmetic the way Excel does under a UK locale: what VALUE()
// would accept. Anything else is #VALUE! in Excel, and here ok is false, so a box that depends
// on it is an error value, never a guess.
func coerceText(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return nil, false
	}
	if r, ok := ParseNumber(s); ok {
		return r, true
	}
	if serial, ok := parseDateText(s); ok {
		return big.NewRat(serial, 1), true
	}
	if serial, ok := parseUKDate(s); ok {
		return big.NewRat(serial, 1), true
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if strings.HasPrefix(s, "-") && !neg {
		neg, s = true, strings.TrimSpace(s[1:])
	} else if strings.HasPrefix(s, "+") {
		s = strings.TrimSpace(s[1:])
	}
	pct := false
	if strings.HasSuffix(s, "%") {
		pct, s = true, strings.TrimSpace(s[:len(s)-1])
	}
	if strings.HasPrefix(s, "£") {
		if pct {
			return nil, false
		}
		s = strings.TrimSpace(strings.TrimPrefix(s, "£"))
		if strings.HasPrefix(s, "-") && !neg {
			neg, s = true, s[1:]
		}
	}
	s, ok := stripThousands(s)
	if !ok || s == "" || s[0] == '-' || s[0] == '+' {
		return nil, false
	}
	r, ok := ParseNumber(s)
	if !ok {
		return nil, false
	}
	r = new(big.Rat).Set(r)
	if pct {
		r.Quo(r, ratHundred)
	}
	if neg {
		r.Neg(r)
	}
	return r, true
}

// stripThousands removes commas that separate groups of three digits before the decimal
// point; commas anywhere else make the text unreadable, as "1,23" is in a UK locale.
func stripThousands(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if strings.Contains(frac, ",") {
		return "", false
	}
	groups := strings.Split(whole, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	out := strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

// ukDateLayouts are the date texts a UK-locale Excel reads as dates: day before month.
var ukDateLayouts = []string{"2/1/2006", "02/01/2006", "2-1-2006", "2 January 2006", "2 Jan 2006", "2-Jan-2006", "2-Jan-06", "2/1/06"}

func parseUKDate(s string) (int64, bool) {
	if len(s) < 6 || len(s) > 20 || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	for _, l := range ukDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			y := t.Year()
			if strings.HasSuffix(l, "/06") || strings.HasSuffix(l, "-06") {
				// Two-digit years: 00–29 are 2000–2029, 30–99 are 1930–1999, as in Excel.
				if y >= 2030 {
					y -= 100
				}
			}
			// Text dates before 1900 are not dates to Excel (YEAR("7/5/1800") is #VALUE!); only
			// DATE() reads small years as offsets from 1900.
			if y < 1900 {
				return 0, false
			}
			return dateSerial(int64(y), int64(t.Month()), int64(t.Day()))
		}
	}
	return 0, false
}
