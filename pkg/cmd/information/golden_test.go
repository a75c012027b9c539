package information_test

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/information"
	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestInformationGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	viewtest.Views(t, w, "registered-2015", "information")
	for _, sc := range information.Scenarios {
		if sc == "CUSTOMER_INFO_NOT_FOUND" {
			continue
		}
		t.Run(sc, func(t *testing.T) {
			viewtest.Views(t, w, "scenario-"+sc, "information", "--test-scenario", sc)
		})
	}
}

func TestInformationNewBusiness(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	viewtest.Views(t, w, "registered-recently", "information")
}

func TestInformationNotFound(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("information", "--test-scenario", "CUSTOMER_INFO_NOT_FOUND")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "HMRC holds no customer information for VRN "+w.VRN) {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}

// Asking about a VRN the login does not hold is HMRC's CLIENT_OR_AGENT_NOT_AUTHORISED: exit 4 with
// what to do.
func TestInformationNotAuthorised(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	other, err := sandbox.VRNWithHistory(sandbox.HistoryLateFiler, 3)
	if err != nil {
		t.Fatal(err)
	}
	r := w.Run("information", "--vrn", other)
	if r.Code != cmdutil.ExitAuth || !strings.Contains(r.Err, "not authorised to see VRN "+other) || !strings.Contains(r.Err, "vat login --vrn "+other) {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}
