package information_test

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// The CSV carries the fields of the JSON, HMRC's answer, under HMRC's names, and nothing else:
// not the VRN asked about, which HMRC's answer does not hold.
func TestInformationCSVHasTheJSONFields(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("information", "--test-scenario", "DEFAULT", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if r.Code != 0 || err != nil || len(rows) != 2 {
		t.Fatalf("exit %d, %v\n%s%s", r.Code, err, r.Out, r.Err)
	}
	if want := []string{"effectiveRegistrationDate", "frsCategory", "frsStartDate"}; !slices.Equal(rows[0], want) {
		t.Errorf("header %v, want %v", rows[0], want)
	}
	var doc struct {
		CustomerDetails struct{ EffectiveRegistrationDate string }
		FlatRateScheme  struct{ FRSCategory, StartDate string }
	}
	j := w.Run("information", "--test-scenario", "DEFAULT", "-o", "json")
	if err := json.Unmarshal([]byte(j.Out), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{doc.CustomerDetails.EffectiveRegistrationDate, doc.FlatRateScheme.FRSCategory, doc.FlatRateScheme.StartDate}
	if !slices.Equal(rows[1], want) || strings.Contains(r.Out, w.VRN) {
		t.Errorf("row %v, want %v (the JSON's), without VRN %s", rows[1], want, w.VRN)
	}
}
