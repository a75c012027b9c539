package financialdetails_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// On a narrow terminal the charge keeps its amount and what is outstanding, whole; the interest
// columns left out are named under the table, and their totals follow it.
func TestFinancialDetailsFitsNarrowTerminals(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	args := []string{"financial-details", "XP123456789012", "--test-scenario", "DEFAULT"}
	for _, width := range []int{56, 80} {
		out := viewtest.Fits(t, w, width, args...).Out
		flat := strings.Join(strings.Fields(out), " ")
		for _, want := range []string{"£123.45", "£12.34", "Interest charged: £13.12", "Interest still accruing: £12.10",
			"Not shown at " + strconv.Itoa(width) + " columns:", "Interest accruing", "Rate %"} {
			if !strings.Contains(flat, want) {
				t.Errorf("at %d columns %q is missing:\n%s", width, want, out)
			}
		}
	}
	if out := viewtest.Fits(t, w, 120, args...).Out; strings.Contains(out, "Not shown") {
		t.Errorf("at 120 columns every column fits:\n%s", out)
	}
}
