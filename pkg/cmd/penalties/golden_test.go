package penalties_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/penalties"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// Each kind of account history, in every format: the punctual business is the empty result.
func TestPenaltiesGolden(t *testing.T) {
	for _, kind := range sandbox.HistoryKinds {
		t.Run(kind, func(t *testing.T) {
			w := viewtest.New(t, viewtest.Business{History: kind})
			viewtest.Views(t, w, "history-"+kind, "penalties")
		})
	}
}

// Every scenario HMRC documents for the endpoint, as the emulator plays it.
func TestPenaltiesScenariosGolden(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	for _, sc := range penalties.Scenarios {
		t.Run(sc, func(t *testing.T) {
			viewtest.Views(t, w, "scenario-"+sc, "penalties", "--test-scenario", sc)
		})
	}
}

// A business with nothing to report says so on stderr; JSON is the document every answer gets,
// with empty lists and zero totals; CSV the header alone; and the exit is 0.
func TestPenaltiesEmpty(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
	r := w.Run("penalties")
	if r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "no penalties") {
		t.Errorf("table: exit %d, stdout %q, stderr %q", r.Code, r.Out, r.Err)
	}
	r = w.Run("penalties", "-o", "json")
	if r.Code != 0 || !emptyDoc(r.Out) {
		t.Errorf("json: exit %d, stdout %q", r.Code, r.Out)
	}
	r = w.Run("penalties", "-o", "csv")
	if r.Code != 0 || strings.Count(r.Out, "\n") != 1 || !strings.HasPrefix(r.Out, "kind,") {
		t.Errorf("csv: exit %d, stdout %q", r.Code, r.Out)
	}
}

// Every charge the report names can be looked up with the command it prints.
func TestPenaltiesNextCommandsWork(t *testing.T) {
	for _, kind := range []string{sandbox.HistoryLatePayer, sandbox.HistorySerialFiler, sandbox.HistoryArrears} {
		w := viewtest.New(t, viewtest.Business{History: kind})
		r := w.Run("penalties", "-o", "csv")
		var n int
		for _, line := range strings.Split(r.Out, "\n") {
			i := strings.Index(line, "vat financial-details ")
			if i < 0 {
				continue
			}
			n++
			args := strings.Fields(line[i+len("vat "):])
			if got := w.Run(args...); got.Code != 0 {
				t.Errorf("%s: vat %s: exit %d %s", kind, strings.Join(args, " "), got.Code, got.Err)
			}
		}
		if n == 0 {
			t.Errorf("%s: no next command in %s", kind, r.Out)
		}
	}
}

// The JSON is HMRC's document: money keeps its pence exactly as sent.
func TestPenaltiesJSONIsHMRCs(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("penalties", "--test-scenario", "DEFAULT", "-o", "json")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"totalisations", "lateSubmissionPenalty", "latePaymentPenalty"} {
		if doc[k] == nil {
			t.Errorf("no %q in %s", k, r.Out)
		}
	}
}

func TestPenaltiesScenarioRefusedInProduction(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	w.Setenv("VAT_API_URL", "") // production refuses the emulator's plain-http address first
	r := w.Run("penalties", "--env", "production", "--test-scenario", "DEFAULT")
	if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err, "only in HMRC's sandbox") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
	w.Setenv("VAT_GOV_TEST_SCENARIO", "DEFAULT")
	r = w.Run("penalties", "--env", "production")
	if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err, "VAT_GOV_TEST_SCENARIO") {
		t.Errorf("env: exit %d, stderr %q", r.Code, r.Err)
	}
}

func TestPenaltiesHelpNamesScenarios(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("penalties", "--help")
	for _, sc := range penalties.Scenarios {
		if !strings.Contains(r.Out, sc) {
			t.Errorf("help lacks %s", sc)
		}
	}
}
