package payments_test

import (
	"strings"

	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestPaymentsGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryLatePayer})
	viewtest.Views(t, w, "last-12-months", "payments")
	// Longer than HMRC's one-year limit: split into windows and merged.
	viewtest.Views(t, w, "three-years", "payments", "--from", "2023-12-01")
	for _, sc := range []string{"SINGLE_PAYMENT", "MULTIPLE_PAYMENTS"} {
		viewtest.Views(t, w, "scenario-"+sc, "payments", "--from", "2017-01-02", "--to", "2017-12-21", "--test-scenario", sc)
		viewtest.Views(t, w, "scenario-"+sc+"_2018_19", "payments", "--from", "2018-01-02", "--to", "2018-12-21", "--test-scenario", sc+"_2018_19")
	}
	e := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	viewtest.Views(t, e, "new-business", "payments")
}

func TestPaymentsInsolventTrader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("payments", "--test-scenario", "INSOLVENT_TRADER", "-o", "json")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, `"RULE_INSOLVENT_TRADER"`) || !strings.Contains(r.Err, "insolvent") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}
