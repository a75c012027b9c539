package hmrc

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Decimal is an exact amount of any precision. HMRC's financial details carry amounts and
// interest computed by its accounting system (ETMP) that may have more than two decimals
// (accruing interest especially); they are kept exactly, never rounded and never refused.
// Use Money to get pence when the value is whole pennies.
type Decimal struct {
	vatreturn.Decimal
}

// UnmarshalJSON reads a JSON number, or a string holding one, exactly.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("amount %s: %w", clip(string(b)), err)
	}
	v, err := vatreturn.ParseDecimal(n.String())
	if err != nil {
		return fmt.Errorf("amount %s: %w", clip(string(b)), err)
	}
	d.Decimal = v
	return nil
}

// MarshalJSON writes the exact value as a JSON number with at least two decimals ("0.00",
// "1060.10", "12.345"), as vat writes every amount: HMRC's own JSON drops trailing zeros, and
// a script reading vat's output should not meet 1060.1 beside 1060.10.
func (d Decimal) MarshalJSON() ([]byte, error) {
	s := d.String()
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	return []byte(whole + "." + frac), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
