package returns_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestReturnsHistoryGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	viewtest.Views(t, w, "four-years", "returns")
	viewtest.Views(t, w, "one-return", "returns", "26A2")
}

func TestReturnsEmptyGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	viewtest.Views(t, w, "new-business", "returns")
	r := w.Run("returns", "-o", "json")
	var doc struct{ Returns []any }
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil || doc.Returns == nil || len(doc.Returns) != 0 {
		t.Errorf("json: %v %q, want an empty array", err, r.Out)
	}
}

// The history of a quarterly business with 16 fulfilled quarters in four years costs one
// obligations request per year window and one view per quarter, and HMRC's rate limit (3 a
// second) is never hit: a 429 would show as a retried, so extra, request.
func TestReturnsHistoryRequests(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual, RateLimit: 3})
	w.FileLatest() // 15 quarters filed by other means, and the latest through the API
	before := w.Srv.Stats().Requests
	ob0, rv0 := before["obligations"], before["view-return"]
	r := w.Run("returns", "-o", "json")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Err)
	}
	var doc struct {
		Returns []struct {
			PeriodKey string          `json:"periodKey"`
			Return    json.RawMessage `json:"return"`
		}
	}
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Returns) != 16 {
		t.Fatalf("%d returns, want 16 fulfilled quarters", len(doc.Returns))
	}
	for _, it := range doc.Returns {
		if len(it.Return) == 0 {
			t.Errorf("%s: no return body", it.PeriodKey)
		}
	}
	after := w.Srv.Stats().Requests
	if n := after["obligations"] - ob0; n != 4 {
		t.Errorf("%d obligations requests, want 4 (one per year window)", n)
	}
	if n := after["view-return"] - rv0; n != 16 {
		t.Errorf("%d view requests, want 16 (one per period)", n)
	}
	if strings.Contains(r.Err, "429") || strings.Contains(r.Err, "THROTTLED") {
		t.Errorf("stderr: %s", r.Err)
	}
}

func TestReturnsInsolventTrader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	for _, args := range [][]string{{"returns"}, {"returns", "26A2"}} {
		r := w.Run(append(args, "--test-scenario", "INSOLVENT_TRADER")...)
		if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "insolvent") {
			t.Errorf("%v: exit %d, stderr %q", args, r.Code, r.Err)
		}
	}
}

func TestReturnsDateRangeTooLarge(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("returns", "26A2", "--test-scenario", "DATE_RANGE_TOO_LARGE")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "four years") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
}

func TestReturnsNotFoundScenarioIsEmpty(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("returns", "--test-scenario", "NOT_FOUND")
	if r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "no returns") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Out, r.Err)
	}
}
