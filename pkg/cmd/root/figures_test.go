package root_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// TestCheckVRNGolden: check refuses a workbook whose VRN name holds another business's number
// than the one vat files for (here VAT_VRN), as submit would, naming the cell.
func TestCheckVRNGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	goldens(t, w, "check-vrn-mismatch", nil, "check", filepath.Join(workbooks, "good-basic.xlsx"))
}

// moneyKinds names the JSON properties that hold money, from the committed schemas: in vat's
// documents a "number" (not an "integer") is an amount of money unless it is a rate or a
// percentage. The nine boxes keep their own rule; other amounts (HMRC's account figures, which
// vat never rounds) have at least two decimals.
func moneyKinds(t *testing.T) map[string]string {
	t.Helper()
	kinds := map[string]string{}
	files, err := filepath.Glob(filepath.Join("testdata", "schema", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("schemas: %v", err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name, p := range props {
					ps, _ := p.(map[string]any)
					lower := strings.ToLower(name)
					if ps["type"] == "number" && !strings.Contains(lower, "rate") && !strings.Contains(lower, "percentage") {
						kinds[name] = "amount"
					}
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		walk(s)
	}
	for _, b := range vatreturn.Boxes {
		kinds[b.Field] = "pence"
		if b.WholePounds {
			kinds[b.Field] = "pounds"
		}
	}
	return kinds
}

var (
	penceRE  = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)
	poundsRE = regexp.MustCompile(`^-?[0-9]+$`)
	amountRE = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2,}$`)
)

// moneyProblem says how literal breaks the rule of its kind, or "".
func moneyProblem(kind, literal string) string {
	switch {
	case kind == "pence" && !penceRE.MatchString(literal):
		return "not an amount with two decimals"
	case kind == "pounds" && !poundsRE.MatchString(literal):
		return "not whole pounds as an integer"
	case kind == "amount" && !amountRE.MatchString(literal):
		return "not an amount with (at least) two decimals"
	}
	return ""
}

// jsonDocs are the JSON documents in a golden transcript: each starts with a '{' or '[' at
// the start of a line (stdout, or the error document on stderr).
func jsonDocs(s string) []any {
	var docs []any
	for i := 0; i < len(s); i++ {
		if (s[i] != '{' && s[i] != '[') || (i > 0 && s[i-1] != '\n') {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			continue
		}
		docs = append(docs, v)
		i += int(dec.InputOffset()) - 1
	}
	return docs
}

// Money reaches JSON by one rule, in every committed golden of vat's output: an amount with
// two decimals (1060.10, 0.00; HMRC's account amounts at least two), boxes 6 to 9 as whole
// pounds (7300), and a box's "value" beside its "field" by its box's rule.
func TestGoldenMoneyFollowsOneRule(t *testing.T) {
	t.Parallel()
	kinds := moneyKinds(t)
	boxKind := func(field any) string {
		f, _ := field.(string)
		for _, b := range vatreturn.Boxes {
			if b.Field == f {
				return kinds[f]
			}
		}
		return ""
	}
	checked := 0
	err := filepath.WalkDir(filepath.Join("..", ".."), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// HMRC's own example bodies and the machine facts fraud prevention reads are inputs,
		// and the schemas are the contract itself.
		if d.IsDir() && (d.Name() == "schema" || path == filepath.Join("..", "..", "hmrc") || path == filepath.Join("..", "..", "fraud")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") || !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var walk func(where string, v any)
		walk = func(where string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					kind := kinds[k]
					if k == "value" {
						kind = boxKind(v["field"])
					}
					if n, ok := c.(json.Number); ok && kind != "" {
						checked++
						if p := moneyProblem(kind, n.String()); p != "" {
							t.Errorf("%s: %s%s = %s: %s", path, where, k, n, p)
						}
					}
					walk(where+k+".", c)
				}
			case []any:
				for _, c := range v {
					walk(where, c)
				}
			}
		}
		for _, doc := range jsonDocs(string(b)) {
			walk("", doc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d amounts checked: the walk found too few goldens", checked)
	}
}

// latestWorkbook writes the demo's workbook for the latest ended period of w's business.
func latestWorkbook(t *testing.T, w *viewtest.World) string {
	t.Helper()
	r := w.Run("obligations", "-o", "json")
	if r.Code != 0 {
		t.Fatalf("obligations: %d %s", r.Code, r.Err)
	}
	ob, err := demo.LatestEnded([]byte(r.Out), hmrc.DateOf(viewtest.Today))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := workbook.WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	if err := demo.FillWorkbook(path, ob, w.VRN); err != nil {
		t.Fatal(err)
	}
	return path
}

var anyUUID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// fixIDs masks what differs from run to run in a submission: the journal's and HMRC's IDs,
// the clocks and the workbook's temporary directory.
func fixIDs(dir string) func(string) string {
	return func(s string) string {
		s = strings.ReplaceAll(s, dir, "TMP")
		s = anyUUID.ReplaceAllStringFunc(s, func(m string) string { return pad("ID", m) })
		return fixClock(s)
	}
}

// submitDoc is what the tests read of 'vat submit -o json'.
type submitDoc struct {
	ID           string                     `json:"id"`
	AlreadyFiled *bool                      `json:"alreadyFiled"`
	Receipt      map[string]json.RawMessage `json:"receipt"`
}

func decodeSubmit(t *testing.T, r viewtest.Result) submitDoc {
	t.Helper()
	var d submitDoc
	if err := json.Unmarshal([]byte(r.Out), &d); err != nil || d.AlreadyFiled == nil {
		t.Fatalf("submit -o json (exit %d): %v\n%s\n%s", r.Code, err, r.Out, r.Err)
	}
	return d
}

// A submission whose answer was lost is reconciled by the next run: its receipt leaves out
// what HMRC's lost answer would have said (no "" where a date belongs), and says that this run
// sent nothing; the run after that says the same, under the same journal ID, and its receipt
// fits an 80-column terminal, the amount to pay whole.
func TestSubmitReconciledGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	wb := latestWorkbook(t, w)
	fix := fixIDs(filepath.Dir(wb))
	w.Srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultDropAfterProcessing})
	if r := w.Run("submit", "--workbook", wb, "--yes", "-o", "json"); r.Code != 7 {
		t.Fatalf("submit with the answer lost: exit %d, want 7\n%s", r.Code, r.Err)
	}
	r := w.Run("submit", "--workbook", wb, "--yes", "-o", "json")
	checkGolden(t, "submit-reconciled", "json", 0, r, fix)
	rec := decodeSubmit(t, r)
	if !*rec.AlreadyFiled || rec.ID == "" {
		t.Errorf("reconciling run: alreadyFiled %v, id %q; want true and the journal's ID", *rec.AlreadyFiled, rec.ID)
	}
	for _, k := range []string{"processingDate", "formBundleNumber", "receiptId", "receiptTimestamp", "paymentIndicator", "chargeRefNumber"} {
		if v, ok := rec.Receipt[k]; ok {
			t.Errorf("reconciled receipt has %s = %s; a field HMRC's lost answer held is left out", k, v)
		}
	}
	checkGolden(t, "submit-reconciled-again", "80.txt", 80, w.RunTTY(80, "submit", "--workbook", wb, "--yes"), fix)
	again := decodeSubmit(t, w.Run("submit", "--workbook", wb, "--yes", "-o", "json"))
	if !*again.AlreadyFiled || again.ID != rec.ID {
		t.Errorf("running it again: alreadyFiled %v, id %q; want true and %q", *again.AlreadyFiled, again.ID, rec.ID)
	}
	checkGolden(t, "receipts-list-reconciled", "json", 0, w.Run("receipts", "list", "-o", "json"), fix)
}

// submit -o json tells a filing from a run that found the same return already filed, and
// names the journal entry 'vat receipts show' opens: the table's "Receipt kept" line.
func TestSubmitJSONSaysWhatThisRunDid(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual, N: 1})
	wb := latestWorkbook(t, w)
	first := decodeSubmit(t, w.Run("submit", "--workbook", wb, "--yes", "-o", "json"))
	if *first.AlreadyFiled || first.ID == "" {
		t.Errorf("first run: alreadyFiled %v, id %q; want false and the journal's ID", *first.AlreadyFiled, first.ID)
	}
	if r := w.Run("receipts", "show", first.ID, "-o", "json"); r.Code != 0 {
		t.Errorf("receipts show %s: exit %d %s", first.ID, r.Code, r.Err)
	}
	second := decodeSubmit(t, w.Run("submit", "--workbook", wb, "--yes", "-o", "json"))
	if !*second.AlreadyFiled || second.ID != first.ID {
		t.Errorf("second run: alreadyFiled %v, id %q; want true and %q", *second.AlreadyFiled, second.ID, first.ID)
	}
}
