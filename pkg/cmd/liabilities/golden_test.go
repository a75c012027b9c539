package liabilities_test

import (
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestLiabilitiesGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryArrears})
	viewtest.Views(t, w, "last-12-months", "liabilities")
	// Longer than HMRC's one-year limit: split into windows and merged.
	viewtest.Views(t, w, "three-years", "liabilities", "--from", "2023-12-01")
	for _, sc := range []string{"SINGLE_LIABILITY", "MULTIPLE_LIABILITIES"} {
		viewtest.Views(t, w, "scenario-"+sc, "liabilities", "--from", "2017-01-02", "--to", "2017-12-21", "--test-scenario", sc)
	}
	e := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	viewtest.Views(t, e, "new-business", "liabilities")
}
