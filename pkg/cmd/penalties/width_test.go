package penalties_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

var (
	amountRE = regexp.MustCompile(`£[0-9,]+\.[0-9]{2}`)
	urlRE    = regexp.MustCompile(`https://[^ )]+[^ ).]`)
	refRE    = regexp.MustCompile(`X[A-Z][0-9]{12}`)
)

// At any terminal width every line fits (a URL alone on its line excepted), and every amount,
// URL and charge reference of the piped report is still there whole: wrapping and leaving out
// a date column never cut one.
func TestPenaltiesFitNarrowTerminals(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	for _, sc := range []string{"DEFAULT", "MULTIPLE_PENALTIES", "CHARGE_LATE_SUBMISSION_PENALTIES"} {
		args := []string{"penalties", "--test-scenario", sc}
		piped := w.Run(args...)
		for _, width := range []int{56, 64, 100} {
			r := viewtest.Fits(t, w, width, args...)
			for _, re := range []*regexp.Regexp{amountRE, urlRE, refRE} {
				for _, want := range re.FindAllString(piped.Out, -1) {
					if !strings.Contains(r.Out, want) {
						t.Errorf("%s at %d columns: %s is missing or cut:\n%s", sc, width, want, r.Out)
					}
				}
			}
		}
	}
}
