package penalties_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// emptyDoc reports whether out is the penalties document of a business without penalties:
// every part present, the lists empty (not missing) and the totals zero.
func emptyDoc(out string) bool {
	var doc struct {
		Totalisations         map[string]json.Number
		LateSubmissionPenalty struct{ Details []any }
		LatePaymentPenalty    struct{ Details []any }
	}
	d := json.NewDecoder(strings.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return false
	}
	if doc.LateSubmissionPenalty.Details == nil || len(doc.LateSubmissionPenalty.Details) != 0 ||
		doc.LatePaymentPenalty.Details == nil || len(doc.LatePaymentPenalty.Details) != 0 || len(doc.Totalisations) != 4 {
		return false
	}
	for _, v := range doc.Totalisations {
		if v.String() != "0.00" {
			return false
		}
	}
	return true
}

// HMRC answers {} for a business without penalties; vat's document has the same parts as for
// any other answer.
func TestPenaltiesNoPenaltiesScenarioDocument(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("penalties", "--test-scenario", "NO_PENALTIES", "-o", "json")
	if r.Code != 0 || !emptyDoc(r.Out) {
		t.Errorf("exit %d\n%s%s", r.Code, r.Out, r.Err)
	}
}

// Totals HMRC did not send are not made up when there are penalties to total: they are null.
func TestPenaltiesTotalsNotInvented(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("penalties", "--test-scenario", "LATE_SUBMISSION", "-o", "json")
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil || r.Code != 0 {
		t.Fatalf("exit %d, %v\n%s", r.Code, err, r.Out)
	}
	if string(doc["totalisations"]) != "null" || !strings.Contains(string(doc["latePaymentPenalty"]), `"details": []`) {
		t.Errorf("totalisations %s, latePaymentPenalty %s", doc["totalisations"], doc["latePaymentPenalty"])
	}
}
