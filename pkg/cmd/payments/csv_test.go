package payments_test

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// The CSV's columns are HMRC's field names.
func TestPaymentsCSVHeader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("payments", "-o", "csv")
	if r.Code != 0 || !strings.HasPrefix(r.Out, "amount,received\n") {
		t.Errorf("exit %d\n%s%s", r.Code, r.Out, r.Err)
	}
}
