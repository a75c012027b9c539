package liabilities_test

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// On a narrow terminal the liabilities fit: the period's dates, then the original amount, are
// left out and named, and every outstanding amount and due date stays whole.
func TestLiabilitiesFitNarrowTerminals(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	for _, width := range []int{56, 64, 70} {
		r := viewtest.Fits(t, w, width, "liabilities")
		if !strings.Contains(r.Out, "£25,760.44") || !strings.Contains(r.Out, "7 Aug 2026") {
			t.Errorf("at %d columns an outstanding amount or a due date is missing:\n%s", width, r.Out)
		}
		if !strings.Contains(r.Out, "Not shown at") {
			t.Errorf("at %d columns nothing is named as left out:\n%s", width, r.Out)
		}
	}
}
