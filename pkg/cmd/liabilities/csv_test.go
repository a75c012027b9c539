package liabilities_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// The CSV's columns are HMRC's field names, the tax period's two dates apart; people still read
// words at a terminal.
func TestLiabilitiesCSVHeader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryArrears})
	r := w.Run("liabilities", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if r.Code != 0 || err != nil || len(rows) < 2 {
		t.Fatalf("exit %d, %v\n%s%s", r.Code, err, r.Out, r.Err)
	}
	if want := []string{"type", "periodFrom", "periodTo", "originalAmount", "outstandingAmount", "due"}; !slices.Equal(rows[0], want) {
		t.Errorf("header %v, want %v", rows[0], want)
	}
	if t2 := w.Run("liabilities"); !strings.HasPrefix(t2.Out, "Type") {
		t.Errorf("table:\n%s", t2.Out)
	}
}
