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
