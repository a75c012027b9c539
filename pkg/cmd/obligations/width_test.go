package obligations_test

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// On a narrow terminal the obligations fit: the start and end dates are left out and named
// (the period's name says the same), and every due date and key stays whole.
func TestObligationsFitNarrowTerminals(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	for _, width := range []int{60, 70} {
		r := viewtest.Fits(t, w, width, "obligations", "--status", "all", "--from", "01/01/2025", "--to", "31/12/2025")
		for _, want := range []string{"7 Nov 2025", "25A3", "Not shown at"} {
			if !strings.Contains(r.Out, want) {
				t.Errorf("at %d columns %q is missing:\n%s", width, want, r.Out)
			}
		}
	}
}
