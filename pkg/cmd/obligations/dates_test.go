package obligations_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// People read the dates of obligations as the other views write them ("7 Nov 2026"), at a
// terminal and piped; JSON and CSV keep ISO dates. Every one of the agent's tables does too.
func TestObligationsTableDatesAreUKDates(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	if r := w.Run("clients", "add", "Own Business Ltd", "--vrn", w.VRN); r.Code != 0 {
		t.Fatalf("clients add: exit %d\n%s", r.Code, r.Err)
	}
	for _, args := range [][]string{
		{"obligations", "--status", "all", "--from", "2025-01-01", "--to", "2025-12-31"},
		{"obligations", "--all-clients"},
	} {
		for _, r := range []viewtest.Result{w.Run(args...), w.RunTTY(80, args...)} {
			if r.Code != 0 || isoDate.MatchString(r.Out) || !strings.Contains(r.Out, " 20") {
				t.Errorf("%v: exit %d, ISO date in the table:\n%s%s", args, r.Code, r.Out, r.Err)
			}
		}
		if r := w.Run(append(args, "-o", "csv")...); !isoDate.MatchString(r.Out) {
			t.Errorf("%v -o csv lost its ISO dates:\n%s", args, r.Out)
		}
	}
	if r := w.Run("obligations", "--status", "all", "--from", "2025-01-01", "--to", "2025-12-31"); !strings.Contains(r.Out, "7 May 2025") || !strings.Contains(r.Out, "6 May 2025") {
		t.Errorf("no due or received date as people write it:\n%s", r.Out)
	}
}
