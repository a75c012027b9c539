package hmrc

import (
	"encoding/json"
	"fmt"

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

// MarshalJSON writes the exact value as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
