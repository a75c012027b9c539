package root_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/internal/booktest"
	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/workbook"
)

// agentWorld is the goldens' emulator and fixed day with an agent signed in in place of the
// business: its profile marked an agent's, as 'vat sandbox create-user --type agent --save'
// leaves it.
type agentWorld struct {
	*viewtest.World
	t     *testing.T
	agent string // the agent's user ID, drawn at random
	dir   string // the clients' workbooks: dir/VRN/YYYY-MM.xlsx
}

// The clients: businesses registered long ago with every return filed on time but the latest
// ended quarter's, Jul–Sep 2026 (26A3), which is open and overdue on the goldens' day.
var agentClients = []struct{ name string }{
	{"Acme Widgets Ltd"},
	{"Bloggs & Sons"},
	{"Northern Lights Community Interest Company"},
	{"Zed Ltd"},
}

// clientVRN is the i-th client's VRN: fixed, so that it needs no mask.
func clientVRN(t *testing.T, i int) string {
	t.Helper()
	vrn, err := sandbox.VRNWithHistory(sandbox.HistoryPunctual, i+1)
	if err != nil {
		t.Fatal(err)
	}
	return vrn
}

// quarter26A3 is the period each client's workbook is for.
var quarter26A3 = hmrc.Obligation{PeriodKey: "26A3", Start: hmrc.Date{Y: 2026, M: time.July, D: 1}, End: hmrc.Date{Y: 2026, M: time.September, D: 30}}

func newAgentWorld(t *testing.T) *agentWorld {
	t.Helper()
	w := &agentWorld{World: viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual}), t: t, dir: t.TempDir()}
	r := w.Run("sandbox", "create-user", "--type", "agent", "--save", "-o", "json")
	var agent hmrc.TestUser
	if err := json.Unmarshal([]byte(r.Out), &agent); r.Code != 0 || err != nil || agent.UserID == "" {
		t.Fatalf("create-user --type agent: exit %d, %v\n%s%s", r.Code, err, r.Out, r.Err)
	}
	w.agent = agent.UserID
	for i := range agentClients {
		if _, err := w.Srv.CreateUserWith("organisation", []string{"mtd-vat"}, sandbox.UserSpec{VRN: clientVRN(t, i), VATRegistrationDate: "2015-06-15"}); err != nil {
			t.Fatal(err)
		}
	}
	w.SignIn(agent)
	return w
}

// must runs a setup step, which must succeed.
func (w *agentWorld) must(args ...string) {
	w.t.Helper()
	if r := w.Run(args...); r.Code != 0 {
		w.t.Fatalf("vat %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Out, r.Err)
	}
}

// authorise lets the agent act for the clients numbered, as each client's acceptance would.
func (w *agentWorld) authorise(clients ...int) {
	w.t.Helper()
	for _, i := range clients {
		if err := w.Srv.AuthoriseAgent(w.agent, clientVRN(w.t, i)); err != nil {
			w.t.Fatal(err)
		}
	}
}

// addClient adds client i with its workbook pattern ("" for the world's folder of workbooks).
func (w *agentWorld) addClient(i int, pattern string) {
	w.t.Helper()
	if pattern == "" {
		pattern = filepath.Join(w.dir, "{vrn}", "{period-end:2006-01}.xlsx")
	}
	w.must("clients", "add", agentClients[i].name, "--vrn", clientVRN(w.t, i), "--workbook", pattern)
}

// writeWorkbook makes client i's workbook for 26A3, as the client's bookkeeping would.
func (w *agentWorld) writeWorkbook(i int) {
	w.t.Helper()
	vrn := clientVRN(w.t, i)
	path := filepath.Join(w.dir, vrn, "2026-09.xlsx")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := workbook.WriteTemplate(path); err != nil {
		w.t.Fatal(err)
	}
	ob := quarter26A3
	if err := demo.FillWorkbook(path, &ob, vrn); err != nil {
		w.t.Fatal(err)
	}
	booktest.KeepBooks(w.t, path)
}

// goldensEach is goldens for a command that changes what it acts on: each format runs in a
// world of its own, made by setup, so that all five start from the same state (the second
// 'clients add' of one name would otherwise be refused, the second batch find nothing due).
// fix gets the world, to mask what that world drew at random. The JSON is validated against
// the committed schema named.
func goldensEach(t *testing.T, name, schema string, setup func(t *testing.T) *agentWorld, fix func(w *agentWorld, s string) string, args ...string) {
	t.Helper()
	for _, f := range viewtest.Formats {
		w := setup(t)
		r := w.RunTTY(f.Width, append(append([]string{}, args...), f.Args...)...)
		checkGolden(t, name, f.Suffix, f.Width, r, func(s string) string {
			if fix == nil {
				return s
			}
			return fix(w, s)
		})
		if f.Suffix == "json" {
			if err := checkSchema(schema, r.Out); err != nil {
				t.Errorf("%s -o json: %v\n%s", name, err, r.Out)
			}
		}
	}
}

func TestClientsAddEditRemoveImportGolden(t *testing.T) {
	t.Parallel()
	practice := func(t *testing.T) *agentWorld {
		w := newAgentWorld(t)
		w.addClient(0, "~/clients/acme/{period-end:2006-01}.xlsx")
		w.addClient(1, "/srv/books/{vrn}/{period-key}.xlsx")
		return w
	}
	goldensEach(t, "clients-add", "clients-add", func(t *testing.T) *agentWorld { return newAgentWorld(t) }, nil,
		"clients", "add", agentClients[2].name, "--vrn", clientVRN(t, 2), "--workbook", "~/clients/{vrn}/{period-end:2006-01}.xlsx", "--method", "BATCH_PROCESS_DIRECT")
	goldensEach(t, "clients-edit", "clients-edit", practice, nil,
		"clients", "edit", "bloggs & sons", "--name", "Joe Bloggs & Sons", "--workbook", "/srv/books/bloggs/{period-key}.xlsx", "--method", "batch_process_direct")
	goldensEach(t, "clients-remove", "clients-remove", practice, nil, "clients", "remove", "Acme Widgets Ltd")

	list := filepath.Join(t.TempDir(), "practice.csv")
	if err := os.WriteFile(list, []byte("name,vrn,workbook,method\n"+
		agentClients[2].name+","+clientVRN(t, 2)+",~/clients/{vrn}/{period-end:2006-01}.xlsx,\n"+
		agentClients[3].name+",GB "+clientVRN(t, 3)+",,BATCH_PROCESS_DIRECT\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	goldensEach(t, "clients-import", "clients-import", practice, nil, "clients", "import", list)

	// A list with wrong rows imports nothing, not even its good row: every format starts from
	// the same two clients, and the refusal names each wrong row by its line.
	// A committed list, named relative to the package: the refusal quotes the path, and a
	// temporary directory's varying length would move where the message wraps.
	bad := filepath.Join("testdata", "clients-import-refused.csv")
	if b, err := os.ReadFile(bad); err != nil || !strings.Contains(string(b), ","+clientVRN(t, 2)+",") || !strings.Contains(string(b), ","+clientVRN(t, 3)+",") {
		t.Fatalf("%s must hold the VRNs of clients 2 and 3 (%v)", bad, err)
	}
	w := practice(t)
	goldens(t, w.World, "clients-import-refused", nil, "clients", "import", bad)
	r := w.Run("clients", "import", bad, "-o", "json")
	if err := checkSchema("error", r.Err); r.Code != 3 || err != nil {
		t.Errorf("a refused import -o json: exit %d, %v\n%s", r.Code, err, r.Err)
	}
	r = w.Run("clients", "list", "-o", "json")
	if !strings.Contains(r.Out, agentClients[1].name) || strings.Contains(r.Out, "Typo") || strings.Count(r.Out, `"vrn"`) != 2 {
		t.Errorf("a refused import changed the clients:\n%s", r.Out)
	}
}

// TestSandboxAuthoriseGolden: authorising is idempotent, so one world serves every format.
func TestSandboxAuthoriseGolden(t *testing.T) {
	t.Parallel()
	w := newAgentWorld(t)
	goldens(t, w.World, "sandbox-authorise", func(s string) string { return replacer(w.agent, "AGENT-ID").Replace(s) },
		"sandbox", "authorise", "--agent", w.agent, clientVRN(t, 0), clientVRN(t, 1))
	r := w.Run("sandbox", "authorise", "--agent", w.agent, clientVRN(t, 0), "-o", "json")
	if err := checkSchema("sandbox-authorise", r.Out); r.Code != 0 || err != nil {
		t.Errorf("sandbox authorise -o json: exit %d, %v\n%s", r.Code, err, r.Out)
	}
	// The agent may now read the client's obligations: the authorisation reached the emulator.
	if r := w.Run("obligations", "--vrn", clientVRN(t, 0), "-o", "json"); r.Code != 0 {
		t.Errorf("obligations for an authorised client: exit %d\n%s", r.Code, r.Err)
	}
	if r := w.Run("obligations", "--vrn", clientVRN(t, 2), "-o", "json"); r.Code != 4 {
		t.Errorf("obligations for a client who has not authorised the agent: exit %d, want 4\n%s", r.Code, r.Err)
	}
}

var (
	formBundleRE  = regexp.MustCompile(`\b[0-9]{12}\b`)
	receiptJSONRE = regexp.MustCompile(`("(receiptId|correlationId|receiptTimestamp|processingDate|chargeRefNumber)": )"[^"]*"`)
)

// fixBatch masks what HMRC draws for each return (form bundle numbers, receipt and correlation
// IDs, charge references, times) and the workbooks' temporary folder. The VRNs, periods, outcomes
// and exit code are fixed and kept.
func fixBatch(w *agentWorld, s string) string {
	s = strings.ReplaceAll(s, w.dir, "DIR")
	s = receiptJSONRE.ReplaceAllString(s, `$1"MASKED"`)
	s = formBundleRE.ReplaceAllStringFunc(s, func(m string) string { return pad("FORM-BUNDLE", m) })
	return fixClock(s)
}

func TestSubmitAllClientsGolden(t *testing.T) {
	t.Parallel()
	allFile := func(t *testing.T) *agentWorld {
		w := newAgentWorld(t)
		for i := range 3 {
			w.addClient(i, "")
			w.writeWorkbook(i)
		}
		w.authorise(0, 1, 2)
		return w
	}
	goldensEach(t, "submit-all-clients", "submit-all-clients", allFile, fixBatch, "submit", "--all-clients", "--yes")

	// One client filed; one has not authorised the agent (HMRC answers 403), one has no
	// workbook where its pattern points, one a workbook with error cells. The summary counts
	// each, and the exit code is the worst outcome's: 4, not authorised.
	refused := func(t *testing.T) *agentWorld {
		w := newAgentWorld(t)
		w.addClient(0, "")
		w.writeWorkbook(0)
		w.addClient(1, "")
		w.writeWorkbook(1)
		w.addClient(2, "/nonexistent/books/{vrn}/{period-end:2006-01}.xlsx")
		w.addClient(3, filepath.Join(workbooks, "error-cells.xlsx"))
		w.authorise(0, 2, 3)
		return w
	}
	goldensEach(t, "submit-all-clients-refused", "submit-all-clients", refused, fixBatch, "submit", "--all-clients", "--yes")
}

var (
	csiRE   = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)
	frameRE = regexp.MustCompile(`(?m)^filing ([0-9]+)/([0-9]+) .*\n`)
)

// TestSubmitAllClientsAtATerminal runs the batches with stderr a real terminal, where the
// progress bar is drawn. The bar is redrawn on mpb's own clock (a frame every 150ms, the time
// elapsed, the client that finished last, the bar's length fitted around that name), so no
// golden can hold it: it is checked here apart, and what is left, the table and the summary,
// must be the golden's, byte for byte. The goldens' piped, JSON and CSV runs show that no bar
// reaches a stderr that is not a terminal: their stderr is exactly the declaration and summary.
func TestSubmitAllClientsAtATerminal(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		golden  string
		clients int
		setup   func(w *agentWorld)
	}{
		{"submit-all-clients", 3, func(w *agentWorld) {
			for i := range 3 {
				w.addClient(i, "")
				w.writeWorkbook(i)
			}
			w.authorise(0, 1, 2)
		}},
		{"submit-all-clients-refused", 4, func(w *agentWorld) {
			w.addClient(0, "")
			w.writeWorkbook(0)
			w.addClient(1, "")
			w.writeWorkbook(1)
			w.addClient(2, "/nonexistent/books/{vrn}/{period-end:2006-01}.xlsx")
			w.addClient(3, filepath.Join(workbooks, "error-cells.xlsx"))
			w.authorise(0, 2, 3)
		}},
	} {
		for _, width := range []int{80, 120} {
			w := newAgentWorld(t)
			tt.setup(w)
			r, err := w.RunOnTerminal(width, "submit", "--all-clients", "--yes")
			if err != nil && runtime.GOOS != "linux" {
				t.Skip(err) // a pseudo-terminal is opened on Linux only
			}
			if err != nil {
				t.Fatal(err)
			}
			screen := csiRE.ReplaceAllString(r.Err, "")
			frames := frameRE.FindAllStringSubmatch(screen, -1)
			if len(frames) == 0 {
				t.Fatalf("%s at %d columns: no progress bar on the terminal:\n%q", tt.golden, width, r.Err)
			}
			// The last frame drawn shows every client done: it stays on the screen as a record.
			if last := frames[len(frames)-1]; last[1] != fmt.Sprint(tt.clients) || last[2] != fmt.Sprint(tt.clients) || !strings.Contains(last[0], "["+strings.Repeat("=", 10)) {
				t.Errorf("%s at %d columns: the bar's last frame is %q", tt.golden, width, last[0])
			}
			for _, f := range frames {
				if n := len([]rune(strings.TrimSuffix(f[0], "\n"))); n > width {
					t.Errorf("%s at %d columns: a frame of %d: %q", tt.golden, width, n, f[0])
				}
			}
			r.Err = frameRE.ReplaceAllString(screen, "")
			got := viewtest.Transcript(r)
			if r.Code != 0 {
				got = fmt.Sprintf("exit %d\n%s", r.Code, got)
			}
			viewtest.Golden(t, fmt.Sprintf("golden/%s.%d.txt", tt.golden, width), fixBatch(w, got))
		}
	}
}

// writeTemplateBook makes client i's workbook for 26A3 straight from the template, its example
// rows still in the ledger, as 'vat template' leaves it before the books are kept.
func (w *agentWorld) writeTemplateBook(i int) {
	w.t.Helper()
	vrn := clientVRN(w.t, i)
	path := filepath.Join(w.dir, vrn, "2026-09.xlsx")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := workbook.WriteTemplate(path); err != nil {
		w.t.Fatal(err)
	}
	// As 'vat template --vrn' writes it: dated into the period, the examples still there.
	if err := workbook.FillTemplate(path, quarter26A3.Start.Time(), quarter26A3.End.Time(), vrn); err != nil {
		w.t.Fatal(err)
	}
}

// setManualCalculation leaves client i's kept workbook set to manual calculation, which the
// reader warns about and accepts.
func (w *agentWorld) setManualCalculation(i int) {
	w.t.Helper()
	path := filepath.Join(w.dir, clientVRN(w.t, i), "2026-09.xlsx")
	x, err := excelize.OpenFile(path)
	if err != nil {
		w.t.Fatal(err)
	}
	manual := "manual"
	if err := x.SetCalcProps(&excelize.CalcPropsOptions{CalcMode: &manual}); err != nil {
		w.t.Fatal(err)
	}
	if err := x.Save(); err != nil {
		w.t.Fatal(err)
	}
	x.Close()
}

// A batch made with --yes has nobody to read a warning. A workbook still holding the
// template's example rows is refused (invalid workbook, exit 3, nothing sent) with the
// warning beside the refusal; a return filed despite another warning says so in its outcome,
// lists the warning under the table (in JSON its warnings, in CSV a column), and every return
// filed shows box 5 in the table and all nine boxes in JSON and CSV.
func TestSubmitAllClientsExampleRowsGolden(t *testing.T) {
	t.Parallel()
	mixed := func(t *testing.T) *agentWorld {
		w := newAgentWorld(t)
		for i := range 3 {
			w.addClient(i, "")
		}
		w.writeWorkbook(0)
		w.writeTemplateBook(1)
		w.writeWorkbook(2)
		w.setManualCalculation(2)
		w.authorise(0, 1, 2)
		return w
	}
	goldensEach(t, "submit-all-clients-examples", "submit-all-clients", mixed, fixBatch, "submit", "--all-clients", "--yes")

	// The example rows are never sent, with --dry-run or without, and the JSON says why.
	for _, dry := range []bool{false, true} {
		w := mixed(t)
		args := []string{"submit", "--all-clients", "--yes", "-o", "json"}
		if dry {
			args = []string{"submit", "--all-clients", "--dry-run", "-o", "json"}
		}
		r := w.Run(args...)
		var doc struct {
			Results []struct {
				Outcome  string
				Warnings []string
				Return   *struct{ NetVATDue json.Number }
				Error    *struct{ Code, Message, Hint string }
			}
			Summary map[string]int
		}
		if err := json.Unmarshal([]byte(r.Out), &doc); err != nil || r.Code != 3 || len(doc.Results) != 3 {
			t.Fatalf("%q: exit %d, %v\n%s%s", args, r.Code, err, r.Out, r.Err)
		}
		ok := map[bool]string{false: "filed", true: "ready"}[dry]
		ex := doc.Results[1]
		if ex.Outcome != "invalid-workbook" || ex.Return != nil || ex.Error == nil || ex.Error.Code != "INVALID_DATA" ||
			!strings.Contains(ex.Error.Message, "example rows") || len(ex.Warnings) != 1 || !strings.Contains(ex.Warnings[0], "example rows") {
			t.Errorf("%q: the template's workbook: %+v", args, ex)
		}
		for _, i := range []int{0, 2} {
			if res := doc.Results[i]; res.Outcome != ok || res.Return == nil || res.Return.NetVATDue != "1060.10" {
				t.Errorf("%q: client %d: %+v, want %s with its boxes", args, i, res, ok)
			}
		}
		if n := len(doc.Results[2].Warnings); n != 1 {
			t.Errorf("%q: the manual workbook's warnings: %q", args, doc.Results[2].Warnings)
		}
		if doc.Summary[ok] != 2 || doc.Summary["invalidWorkbook"] != 1 {
			t.Errorf("%q: summary %v", args, doc.Summary)
		}
		if n := len(w.Srv.Returns(clientVRN(t, 1))); n != 0 {
			t.Errorf("%q: HMRC holds %d returns of the template's example rows", args, n)
		}
	}
}
