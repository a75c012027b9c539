package liabilities_test

import (
	"strings"

	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestLiabilitiesGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryArrears})
	viewtest.Views(t, w, "last-12-months", "liabilities")
	// Longer than HMRC's one-year limit: split into windows and merged.
	viewtest.Views(t, w, "three-years", "liabilities", "--from", "2023-12-01")
	for _, sc := range []string{"SINGLE_LIABILITY", "MULTIPLE_LIABILITIES"} {
		viewtest.Views(t, w, "scenario-"+sc, "liabilities", "--from", "2017-01-02", "--to", "2017-12-21", "--test-scenario", sc)
		viewtest.Views(t, w, "scenario-"+sc+"_2018_19", "liabilities", "--from", "2018-01-02", "--to", "2018-12-21", "--test-scenario", sc+"_2018_19")
	}
	e := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	viewtest.Views(t, e, "new-business", "liabilities")
}

// A scenario HMRC's sandbox does not know for the endpoint is a usage error pointing at --help.
func TestLiabilitiesUnknownScenario(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("liabilities", "--test-scenario", "NO_SUCH")
	if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err, "vat liabilities --help") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}

func TestLiabilitiesInsolventTrader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("liabilities", "--test-scenario", "INSOLVENT_TRADER")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "insolvent") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}

// HMRC holds no financial data before 6 April 2016: its refusal names the flag to change.
func TestLiabilitiesFromTooEarly(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("liabilities", "--from", "2015-01-01", "--to", "2015-06-30")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "refused --from") || !strings.Contains(r.Err, "2016-04-06") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}
