package root

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/internal/booktest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/workbook"
)

// practiceWorld is an emulator, an agent signed in through the real commands, and n clients
// with a workbook each for their earliest ended open period.
type practiceWorld struct {
	t       testing.TB
	srv     *sandbox.Server
	rate    string // --rate for the setup's batch commands
	env     map[string]string
	dir     string // workbooks: dir/VRN/YYYY-MM.xlsx
	vrns    []string
	agent   string                     // the agent's user ID
	periods map[string]hmrc.Obligation // VRN → the period to file
}

func (w *practiceWorld) run(args ...string) (int, string, string) {
	return runEnv(w.env, args...)
}

func (w *practiceWorld) must(args ...string) string {
	w.t.Helper()
	code, out, errOut := w.run(args...)
	if code != 0 {
		w.t.Fatalf("vat %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func (w *practiceWorld) workbook(vrn string) string {
	return filepath.Join(w.dir, vrn, w.periods[vrn].End.Time().Format("2006-01")+".xlsx")
}

// newPracticeWorld sets up n clients; the ones in unauthorised never authorise the agent.
func newPracticeWorld(t testing.TB, n int, unauthorised map[int]bool) *practiceWorld {
	return newPracticeWorldWith(t, n, unauthorised, sandbox.Options{}, "1000")
}

// newPracticeWorldWith is newPracticeWorld with the emulator's options and the --rate the
// setup's own batch commands use ("": none is run, and no period is read).
func newPracticeWorldWith(t testing.TB, n int, unauthorised map[int]bool, opts sandbox.Options, rate string) *practiceWorld {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	w := &practiceWorld{t: t, srv: srv, rate: rate, dir: t.TempDir(), periods: map[string]hmrc.Obligation{}, env: map[string]string{
		"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_CONFIG_DIR": filepath.Join(t.TempDir(), "config"), "VAT_TOKEN_STORE": "file",
	}}
	// The agent, made and saved in the profile as a person would.
	var agent hmrc.TestUser
	if err := json.Unmarshal([]byte(w.must("sandbox", "create-user", "--type", "agent", "--save", "-o", "json")), &agent); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("name,vrn,workbook\n")
	authorise := []string{"sandbox", "authorise", "--agent", agent.UserID}
	for i := range n {
		u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
		if err != nil {
			t.Fatal(err)
		}
		w.vrns = append(w.vrns, u.VRN)
		fmt.Fprintf(&csv, "Client %02d,%s,%s\n", i, u.VRN, filepath.Join(w.dir, "{vrn}", "{period-end:2006-01}.xlsx"))
		if !unauthorised[i] {
			authorise = append(authorise, u.VRN)
		}
	}
	if n <= 25 {
		w.must(authorise...)
	} else {
		// The command sends one request a VRN at the application's rate: the emulator's own
		// call keeps a large practice's setup quick.
		for _, vrn := range authorise[4:] {
			if err := srv.AuthoriseAgent(agent.UserID, vrn); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.agent = agent.UserID
	list := filepath.Join(t.TempDir(), "clients.csv")
	if err := os.WriteFile(list, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	w.must("clients", "import", list)
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), w.env, agent); err != nil {
		t.Fatalf("agent login: %v", err)
	}
	if rate == "" {
		return w // the caller needs no periods
	}
	wantCode := 0
	if len(unauthorised) > 0 {
		wantCode = cmdutil.ExitAuth
	}
	w.readPeriods(wantCode, unauthorised)
	return w
}

// readPeriods runs the practice-wide view of what is due, checks it, and notes each client's
// earliest ended open period: the one its workbook is for.
func (w *practiceWorld) readPeriods(wantCode int, unauthorised map[int]bool) {
	w.t.Helper()
	code, out, errOut := w.run("obligations", "--all-clients", "--rate", w.rate, "-o", "json")
	if code != wantCode {
		w.t.Fatalf("obligations --all-clients: exit %d, want %d\n%s", code, wantCode, errOut)
	}
	if err := CheckSchema("obligations-all-clients", out); err != nil {
		w.t.Errorf("obligations --all-clients -o json: %v\n%s", err, out)
	}
	var due struct {
		Due []struct {
			VRN, PeriodKey, Start, End, Due string
			DaysLeft                        int
		} `json:"due"`
		Clients []struct {
			VRN, Outcome string
			Error        *struct{ Code string }
		} `json:"clients"`
	}
	if err := json.Unmarshal([]byte(out), &due); err != nil {
		w.t.Fatal(err)
	}
	today := hmrc.DateOf(time.Now())
	for i, d := range due.Due {
		if i > 0 && d.Due < due.Due[i-1].Due {
			w.t.Fatalf("obligations --all-clients is not sorted by urgency: %s after %s", d.Due, due.Due[i-1].Due)
		}
		end, _ := hmrc.ParseDate(d.End)
		if _, seen := w.periods[d.VRN]; seen || !end.Before(today) {
			continue
		}
		ob := hmrc.Obligation{PeriodKey: d.PeriodKey, End: end}
		ob.Start, _ = hmrc.ParseDate(d.Start)
		ob.Due, _ = hmrc.ParseDate(d.Due)
		w.periods[d.VRN] = ob
	}
	for i, c := range due.Clients {
		if unauthorised[i] != (c.Outcome == "not-authorised") || unauthorised[i] && c.Error.Code != hmrc.CodeClientOrAgentNotAuthorised {
			w.t.Fatalf("obligations --all-clients, client %d: %+v", i, c)
		}
	}
}

// writeWorkbook makes the client's workbook for its period.
func (w *practiceWorld) writeWorkbook(vrn string) {
	w.t.Helper()
	path := w.workbook(vrn)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		w.t.Fatal(err)
	}
	ob := w.periods[vrn]
	_ = os.Remove(path) // a junk file from an earlier step
	if err := workbook.WriteTemplate(path); err != nil {
		w.t.Fatal(err)
	}
	if err := demo.FillWorkbook(path, &ob, vrn); err != nil {
		w.t.Fatal(err)
	}
	booktest.KeepBooks(w.t, path)
}

type batchDoc struct {
	DryRun  bool `json:"dryRun"`
	Results []struct {
		Client, VRN, Outcome, Declaration string
		Period                            *struct{ PeriodKey string }
		Receipt                           *struct{ FormBundleNumber, VRN string }
		Error                             *struct{ Code, Message string }
	} `json:"results"`
	Summary map[string]int `json:"summary"`
}

// Twenty clients: one has not authorised the agent, one has no workbook, one an unreadable one,
// and HMRC answers 503 to one's submission. The other sixteen are filed, each exactly once, and
// the run says what happened to every client.
func TestSubmitAllClients(t *testing.T) {
	t.Parallel()
	const unauth, missing, invalid, unavailable = 3, 7, 11, 15
	setup := func(t *testing.T) *practiceWorld {
		w := newPracticeWorld(t, 20, map[int]bool{unauth: true})
		for i, vrn := range w.vrns {
			switch i {
			case unauth, missing:
			case invalid:
				_ = os.MkdirAll(filepath.Dir(w.workbook(vrn)), 0o700)
				if err := os.WriteFile(w.workbook(vrn), []byte("not a workbook"), 0o600); err != nil {
					t.Fatal(err)
				}
			default:
				w.writeWorkbook(vrn)
			}
		}
		w.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultUnavailable, VRN: w.vrns[unavailable]})
		return w
	}
	want := func(i int) string {
		return map[int]string{unauth: "not-authorised", missing: "workbook-missing", invalid: "invalid-workbook", unavailable: "hmrc-error"}[i]
	}
	filedOnce := func(t *testing.T, w *practiceWorld) {
		t.Helper()
		for i, vrn := range w.vrns {
			held := len(w.srv.Returns(vrn))
			if want(i) == "" && held != 1 || want(i) != "" && held != 0 {
				t.Errorf("client %d: HMRC holds %d returns", i, held)
			}
		}
		// Sixteen filed and the one refused with a 503: nothing was sent twice.
		if n := w.srv.Stats().Requests["submit"]; n != 17 {
			t.Errorf("%d submit requests, want 17", n)
		}
	}

	t.Run("json", func(t *testing.T) {
		t.Parallel()
		w := setup(t)
		// A dry run sends nothing: its clients are "ready", with a period and no receipt.
		_, out, _ := w.run("submit", "--all-clients", "--dry-run", "--rate", "1000", "-o", "json")
		if err := CheckSchema("submit-all-clients", out); err != nil || !strings.Contains(out, `"ready"`) {
			t.Errorf("submit --all-clients --dry-run -o json: %v\n%s", err, out)
		}
		code, out, errOut := w.run("submit", "--all-clients", "--yes", "--rate", "1000", "--method", "BATCH_PROCESS_DIRECT", "-o", "json")
		if code != cmdutil.ExitUnavailable {
			t.Errorf("exit %d, want %d (the worst: an HMRC error)\n%s", code, cmdutil.ExitUnavailable, errOut)
		}
		if err := CheckSchema("submit-all-clients", out); err != nil {
			t.Errorf("submit --all-clients -o json: %v\n%s", err, out)
		}
		var doc batchDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(doc.Results) != 20 || doc.DryRun {
			t.Fatalf("results = %d", len(doc.Results))
		}
		for i, r := range doc.Results {
			wo := want(i)
			if wo == "" {
				wo = "filed"
			}
			if r.VRN != w.vrns[i] || r.Client != fmt.Sprintf("Client %02d", i) || r.Outcome != wo {
				t.Errorf("result %d = %+v, want %s", i, r, wo)
				continue
			}
			if wo == "filed" && (r.Receipt == nil || r.Receipt.FormBundleNumber == "" || r.Receipt.VRN != w.vrns[i] || r.Declaration != receipts.DeclarationAgent || r.Error != nil) {
				t.Errorf("filed result %d = %+v", i, r)
			}
			if wo != "filed" && (r.Error == nil || r.Receipt != nil) {
				t.Errorf("failed result %d has no error: %+v", i, r)
			}
		}
		if e := doc.Results[unauth].Error; e.Code != hmrc.CodeClientOrAgentNotAuthorised {
			t.Errorf("unauthorised: %+v", e)
		}
		if e := doc.Results[unavailable].Error; e.Code != "SERVICE_UNAVAILABLE" || !strings.Contains(e.Message, "not filed") {
			t.Errorf("503: %+v", e)
		}
		wantSummary := map[string]int{"filed": 16, "ready": 0, "nothingDue": 0, "workbookMissing": 1, "invalidWorkbook": 1,
			"notAuthorised": 1, "hmrcError": 1, "outcomeUnknown": 0}
		for k, v := range wantSummary {
			if doc.Summary[k] != v {
				t.Errorf("summary %s = %d, want %d (%v)", k, doc.Summary[k], v, doc.Summary)
			}
		}
		if errOut != "" {
			t.Errorf("stderr under -o json without a terminal: %q", errOut)
		}
		filedOnce(t, w)
		// The journal kept the agent's declaration with every return it filed.
		j, err := receipts.Open(filepath.Join(w.env["VAT_CONFIG_DIR"], "receipts"))
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		es, err := j.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		agent, shown := 0, ""
		for _, e := range es {
			if e.Receipt != nil && e.Receipt.Outcome == receipts.OutcomeAccepted && e.Intent.Declaration == receipts.DeclarationAgent {
				agent++
				shown = e.Intent.ID
			}
		}
		// 'vat receipts show' says which declaration was made.
		for _, args := range [][]string{{"receipts", "show", shown, "-o", "json"}, {"receipts", "show", shown}} {
			out := w.must(args...)
			if !strings.Contains(out, `"declaration": "agent"`) && !strings.Contains(out, "the client has seen and approved the return") {
				t.Errorf("vat %s does not show the agent's declaration:\n%s", strings.Join(args, " "), out)
			}
		}
		if agent != 16 {
			t.Errorf("%d accepted returns recorded with the agent's declaration, want 16", agent)
		}
		// The run declared itself a batch process, and HMRC's feedback finds its headers valid.
		code, out, errOut = w.run("fraud-headers", "feedback", "--method", "BATCH_PROCESS_DIRECT", "-o", "json")
		var fb hmrc.FraudFeedback
		if code != 0 || json.Unmarshal([]byte(out), &fb) != nil || len(fb.Requests) == 0 {
			t.Fatalf("feedback: exit %d\n%s%s", code, out, errOut)
		}
		for _, r := range fb.Requests {
			for _, h := range r.Headers {
				// Warnings depend on the machine (a container has no device model); errors do not.
				if len(h.Errors) > 0 || h.Header == "gov-client-connection-method" && (h.Value != "BATCH_PROCESS_DIRECT" || h.Code != "VALID_HEADER") {
					t.Errorf("feedback on %s %s: %+v", r.Method, r.Path, h)
				}
			}
		}
	})

	t.Run("table", func(t *testing.T) {
		t.Parallel()
		w := setup(t)
		code, out, errOut := w.run("submit", "--all-clients", "--yes", "--rate", "1000")
		if code != cmdutil.ExitUnavailable {
			t.Errorf("exit %d, want %d\n%s", code, cmdutil.ExitUnavailable, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 21 || !strings.HasPrefix(lines[0], "Client") {
			t.Fatalf("table:\n%s", out)
		}
		for i, line := range lines[1:] {
			text := map[string]string{"not-authorised": "not authorised", "workbook-missing": "workbook missing",
				"invalid-workbook": "invalid workbook", "hmrc-error": "HMRC error", "": "filed"}[want(i)]
			if !strings.HasPrefix(line, fmt.Sprintf("Client %02d", i)) || !strings.Contains(line, w.vrns[i]) || !strings.Contains(line, "  "+text+"  ") {
				t.Errorf("row %d = %q, want %q", i, line, text)
			}
		}
		if !strings.Contains(lines[1+unauth], "ask them to accept your request") {
			t.Errorf("the unauthorised row says no more than %q", lines[1+unauth])
		}
		if !strings.Contains(errOut, "20 clients: 16 filed, 1 workbook missing, 1 invalid workbook, 1 not authorised, 1 HMRC error") {
			t.Errorf("summary on stderr:\n%s", errOut)
		}
		if !strings.Contains(errOut, receipts.DeclarationAgent) && !strings.Contains(errOut, "my client has received a copy") {
			t.Errorf("the agent's declaration was not shown:\n%s", errOut)
		}
		filedOnce(t, w)

		// The next morning: the missing workbook is written, the junk one fixed, the client has
		// authorised the agent, HMRC is back. Only those four are sent; nobody is filed twice.
		w.must("sandbox", "authorise", "--agent", w.agent, w.vrns[unauth])
		w.readPeriods(0, nil)
		for _, i := range []int{unauth, missing, invalid} {
			w.writeWorkbook(w.vrns[i])
		}
		code, out, errOut = w.run("submit", "--all-clients", "--yes", "--rate", "1000")
		if code != 0 {
			t.Fatalf("the next morning: exit %d\n%s%s", code, out, errOut)
		}
		if !strings.Contains(errOut, "20 clients: 4 filed, 16 nothing due") {
			t.Errorf("the next morning's summary:\n%s", errOut)
		}
		for i, vrn := range w.vrns {
			if n := len(w.srv.Returns(vrn)); n != 1 {
				t.Errorf("client %d: HMRC holds %d returns", i, n)
			}
		}
		if n := w.srv.Stats().Requests["submit"]; n != 21 {
			t.Errorf("%d submit requests in all, want 21", n)
		}
	})
}

// Under cron the morning after the sign-in lapsed: exit 4, one sentence saying to sign in
// again, and nothing sent to HMRC for any client.
func TestAllClientsAfterTheSignInLapsed(t *testing.T) {
	t.Parallel()
	w := newPracticeWorld(t, 3, nil)
	w.must("logout")
	before := w.srv.Stats().Requests
	for _, args := range [][]string{
		{"obligations", "--all-clients", "--rate", "1000"},
		{"submit", "--all-clients", "--yes", "--rate", "1000"},
	} {
		code, _, errOut := w.run(args...)
		if code != cmdutil.ExitAuth {
			t.Errorf("%s: exit %d, want %d\n%s", args[0], code, cmdutil.ExitAuth, errOut)
		}
		if n := strings.Count(errOut, "vat login"); n != 1 || !strings.Contains(errOut, "no client could be reached") {
			t.Errorf("%s: want one sentence saying to run 'vat login', got:\n%s", args[0], errOut)
		}
	}
	after := w.srv.Stats().Requests
	for _, ep := range []string{"obligations", "submit"} {
		if after[ep] != before[ep] {
			t.Errorf("%d %s requests without a sign-in", after[ep]-before[ep], ep)
		}
	}
}
