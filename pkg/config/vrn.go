package config

import (
	"errors"
	"strings"
)

// NormalizeVRN reads a VRN as people write it — "GB 221 3556 96", "gb221355696" — as the nine
// digits HMRC's API takes. Anything else is left for ValidateVRN to refuse with a reason.
func NormalizeVRN(v string) string {
	v = strings.ToUpper(strings.Join(strings.Fields(v), ""))
	return strings.TrimPrefix(v, "GB")
}

// ValidateVRN checks a UK VAT registration number: nine digits whose last two are a mod-97
// check over the first seven (weights 8..2), in either the classic or the "97-55" scheme that
// HMRC has issued since 2010. Catching a typo here saves a confusing 403 from HMRC later.
func ValidateVRN(v string) error {
	if len(v) != 9 {
		return errors.New("a VRN has exactly 9 digits")
	}
	sum := 0
	for i, c := range v {
		if c < '0' || c > '9' {
			return errors.New("a VRN has only digits (leave out the GB prefix and spaces)")
		}
		if i < 7 {
			sum += int(c-'0') * (8 - i)
		}
	}
	check := int(v[7]-'0')*10 + int(v[8]-'0')
	for _, s := range []int{sum, sum + 55} {
		if (check+s)%97 == 0 {
			return nil
		}
	}
	return errors.New("the check digits do not match: is a digit mistyped?")
}
