package root

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/workbook"
)

// TestMain lets a test re-run this binary as the vat command (VAT_E2E_MAIN=1), so end-to-end
// tests can kill a real vat process at the worst moment.
func TestMain(m *testing.M) {
	if os.Getenv("VAT_E2E_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], iostreams.System()))
	}
	os.Exit(m.Run())
}

// world is an emulator with one signed-in business and a workbook for its latest ended period.
type world struct {
	t        *testing.T
	srv      *sandbox.Server
	url      string
	env      map[string]string
	user     sandbox.TestUser
	workbook string
	period   hmrc.Obligation
}

// newAccount starts an emulator over real HTTP with one MTD VAT business, and the environment a
// vat command needs to reach it with a private config dir and file token store.
func newAccount(t *testing.T) (*sandbox.Server, string, sandbox.TestUser, map[string]string) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_CONFIG_DIR": filepath.Join(t.TempDir(), "config"),
		"VAT_TOKEN_STORE": "file", "VAT_VRN": u.VRN,
	}
	return srv, hs.URL, u, env
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv, url, u, env := newAccount(t)
	dir := t.TempDir()
	w := &world{t: t, srv: srv, url: url, user: u, env: env}
	// Sign in through the real OAuth flow, exactly as the demo does.
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), w.env, hmrc.TestUser{UserID: u.UserID, Password: u.Password}); err != nil {
		t.Fatalf("login: %v", err)
	}
	code, out, errOut := w.run("obligations", "-o", "json")
	if code != 0 {
		t.Fatalf("obligations: %d %s", code, errOut)
	}
	ob, err := demo.LatestEnded([]byte(out), hmrc.DateOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	w.period = *ob
	w.workbook = filepath.Join(dir, "q.xlsx")
	if err := workbook.WriteTemplate(w.workbook); err != nil {
		t.Fatal(err)
	}
	if err := demo.FillWorkbook(w.workbook, ob, u.VRN); err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs vat in-process with the world's environment.
func (w *world) run(args ...string) (int, string, string) {
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return w.env[k] }
	code := Run(context.Background(), args, f)
	return code, out.String(), errOut.String()
}

// process runs vat as a real child process.
func (w *world) process(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"VAT_E2E_MAIN=1", "HOME=" + w.t.TempDir()}
	for k, v := range w.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func (w *world) journal() []receipts.Entry {
	w.t.Helper()
	j, err := receipts.Open(filepath.Join(w.env["VAT_CONFIG_DIR"], "receipts"))
	if err != nil {
		w.t.Fatal(err)
	}
	// Receipted entries and open intents; intents cleared by reconciliation are not listed.
	es, err := j.List(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	open, err := j.OpenIntents(context.Background(), "")
	if err != nil {
		w.t.Fatal(err)
	}
	for _, in := range open {
		e, err := j.Get(context.Background(), in.ID)
		if err != nil {
			w.t.Fatal(err)
		}
		es = append(es, *e)
	}
	return es
}

func (w *world) heldReturns() int { return len(w.srv.Returns(w.user.VRN)) }

func TestSubmitHappyPathPrintsTheReceiptJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, out, errOut := w.run("submit", "--workbook", w.workbook, "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Receipt map[string]string `json:"receipt"`
		Return  map[string]any    `json:"return"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	for _, k := range []string{"vrn", "periodKey", "processingDate", "formBundleNumber", "receiptId", "receiptTimestamp", "correlationId"} {
		if doc.Receipt[k] == "" {
			t.Errorf("receipt.%s is empty: %v", k, doc.Receipt)
		}
	}
	if doc.Receipt["vrn"] != w.user.VRN || doc.Receipt["periodKey"] != w.period.PeriodKey {
		t.Errorf("receipt names %s/%s, want %s/%s", doc.Receipt["vrn"], doc.Receipt["periodKey"], w.user.VRN, w.period.PeriodKey)
	}
	if got := doc.Return["totalValueSalesExVAT"]; got != float64(7300) {
		t.Errorf("return.totalValueSalesExVAT = %v, want 7300", got)
	}
	if errOut != "" {
		t.Errorf("with -o json stderr must stay empty on success, got:\n%s", errOut)
	}
	held := w.srv.Returns(w.user.VRN)[w.period.PeriodKey]
	if !bytes.Contains(held, []byte(`"vatDueSales":1300.1`)) && !bytes.Contains(held, []byte(`"vatDueSales":1300.10`)) {
		t.Errorf("emulator holds %s", held)
	}
	es := w.journal()
	if len(es) != 1 || es[0].State != receipts.StateReceipted || es[0].Receipt.Outcome != receipts.OutcomeAccepted {
		t.Fatalf("journal = %+v", es)
	}
	e := es[0]
	if e.Receipt.ReceiptID != doc.Receipt["receiptId"] || e.Receipt.CorrelationID != doc.Receipt["correlationId"] {
		t.Errorf("journal receipt %+v does not match printed %v", e.Receipt, doc.Receipt)
	}
	ev := e.Intent.Evidence
	if len(ev.WorkbookSHA256) != 64 || len(ev.Cells) != 9 || ev.Cells[0].Name != "VAT_Box1" || ev.Cells[0].Sheet != "VAT Return" || ev.Cells[0].Cell != "C8" {
		t.Errorf("digital-link evidence = %+v", ev)
	}
	st, err := os.Stat(filepath.Join(w.env["VAT_CONFIG_DIR"], "receipts"))
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("receipts dir mode = %v, %v", st.Mode(), err)
	}
}

func TestSubmitInvalidWorkbookSendsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	x, err := excelize.OpenFile(w.workbook)
	if err != nil {
		t.Fatal(err)
	}
	// Box 1's cell now holds text and box 6 pence: two problems, both reported, nothing sent.
	x.SetCellValue("VAT Return", "C8", "twelve pounds")
	x.SetCellFormula("VAT Return", "C13", "7300.5")
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()
	before := w.srv.Stats()
	code, out, errOut := w.run("submit", "--workbook", w.workbook, "--yes")
	if code != cmdutil.ExitInvalidData {
		t.Fatalf("exit %d, want %d\n%s", code, cmdutil.ExitInvalidData, errOut)
	}
	if out != "" {
		t.Errorf("stdout = %q", out)
	}
	for _, want := range []string{"box 1", "VAT_Box1", "'VAT Return'!C8", "box 6", "C13", "nothing was sent"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	after := w.srv.Stats()
	if total(after.Requests) != total(before.Requests) {
		t.Errorf("requests reached the emulator: before %v after %v", before.Requests, after.Requests)
	}
	if es := w.journal(); len(es) != 0 {
		t.Errorf("journal has %d entries", len(es))
	}
}

func total(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

func TestSubmitAgainWithTheSameFiguresShowsTheReceipt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, first, errOut := w.run("submit", "--workbook", w.workbook, "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("first submit: %d %s", code, errOut)
	}
	// Cron running the same job twice: the journal holds HMRC's receipt for these very figures.
	code, again, errOut := w.run("submit", "--workbook", w.workbook, "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("second submit exit %d, want 0: %s", code, errOut)
	}
	var a, b struct {
		Receipt struct{ FormBundleNumber, PeriodKey string }
	}
	if json.Unmarshal([]byte(first), &a) != nil || json.Unmarshal([]byte(again), &b) != nil ||
		a.Receipt.FormBundleNumber == "" || a.Receipt != b.Receipt {
		t.Errorf("receipts differ:\n%s\n%s", first, again)
	}
	code, _, errOut = w.run("submit", "--workbook", w.workbook, "--yes")
	if code != 0 || !strings.Contains(errOut, "already filed with exactly these figures") {
		t.Errorf("table mode: %d %s", code, errOut)
	}
	if w.heldReturns() != 1 || w.srv.Stats().Submissions != 1 {
		t.Errorf("emulator holds %d returns after %d submissions", w.heldReturns(), w.srv.Stats().Submissions)
	}
}

func TestSubmitOtherFiguresForAFiledPeriodShowsBoth(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if code, _, errOut := w.run("submit", "--workbook", w.workbook, "--yes"); code != 0 {
		t.Fatalf("first submit: %d %s", code, errOut)
	}
	// The same workbook with box 6 taken from another cell: different figures for a filed period.
	x, err := excelize.OpenFile(w.workbook)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.NewSheet("Alt"); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellValue("Alt", "A1", 987654); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "changed.xlsx")
	if err := x.SaveAs(changed); err != nil {
		t.Fatal(err)
	}
	x.Close()
	mapFile := filepath.Join(t.TempDir(), "boxes.map")
	if err := os.WriteFile(mapFile, []byte("box6 = Alt!A1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := w.run("submit", "--workbook", changed, "--map", mapFile, "--yes", "--period-key", w.period.PeriodKey, "-o", "json")
	if code != cmdutil.ExitRejected {
		t.Fatalf("submit exit %d, want %d: %s", code, cmdutil.ExitRejected, errOut)
	}
	var doc cmdutil.ErrorDoc
	if err := json.Unmarshal([]byte(errOut), &doc); err != nil || doc.Error.Code != "DUPLICATE_SUBMISSION" || !strings.Contains(doc.Error.Message, "already filed") {
		t.Fatalf("error = %+v (%v)\n%s", doc, err, errOut)
	}
	// One detail per box, each naming the box and HMRC's field: box 6 differs, the rest agree.
	var differs []string
	for _, d := range doc.Error.Details {
		if d.Code == "DIFFERS" {
			differs = append(differs, fmt.Sprintf("%d %s %s", d.Box, d.Field, d.Message))
		}
	}
	if len(differs) != 1 || differs[0] != "6 totalValueSalesExVAT workbook 987654.00, HMRC holds 7300.00" {
		t.Errorf("details do not show both returns: %q\n%s", differs, errOut)
	}
	if w.heldReturns() != 1 || w.srv.Stats().Submissions != 1 {
		t.Errorf("emulator holds %d returns after %d submissions", w.heldReturns(), w.srv.Stats().Submissions)
	}
}

func TestSubmitWithoutATerminalNeedsYes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, _, errOut := w.run("submit", "--workbook", w.workbook)
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--yes") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	// A dry run's preview is its result, on stdout ('> preview.txt' keeps it); stderr says
	// nothing was sent.
	code, out, errOut := w.run("submit", "--workbook", w.workbook, "--dry-run")
	if code != 0 || !strings.Contains(errOut, "nothing was sent") || !strings.Contains(out, "making a legal declaration") ||
		!strings.Contains(out, "VAT return for") || strings.Contains(errOut, "VAT return for") || w.heldReturns() != 0 {
		t.Errorf("dry run: exit %d, held %d, stdout %q, stderr %q", code, w.heldReturns(), out, errOut)
	}
}

// Each fault at the submit leaves exactly one return at HMRC and a journal that says so, after
// the next run has reconciled.
func TestSubmitFaultsEndWithExactlyOneReturn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       sandbox.Fault
		timeout     string
		wantOutcome string // of the entry that closes the period
		wantEntries int
	}{
		{"503 before processing", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultUnavailable}, "", receipts.OutcomeAccepted, 1},
		{"connection dropped after processing", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultDropAfterProcessing}, "", receipts.OutcomeReconciled, 1},
		{"timeout after processing", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultTimeoutAfterProcessing, Delay: 3 * time.Second}, "1s", receipts.OutcomeReconciled, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			if tt.timeout != "" {
				w.env["VAT_HTTP_TIMEOUT"] = tt.timeout
			}
			w.srv.InjectFault(tt.fault)
			code, _, errOut := w.run("submit", "--workbook", w.workbook, "--yes")
			if code != cmdutil.ExitUnknown {
				t.Fatalf("first run exit %d, want %d: %s", code, cmdutil.ExitUnknown, errOut)
			}
			if es := w.journal(); len(es) != 1 || !es[0].State.Open() {
				t.Fatalf("after the fault the journal should hold one open intent: %+v", es)
			}
			code, _, errOut = w.run("submit", "--workbook", w.workbook, "--yes")
			if code != 0 {
				t.Fatalf("second run exit %d: %s", code, errOut)
			}
			if !strings.Contains(errOut, "checking with HMRC") {
				t.Errorf("second run did not reconcile first:\n%s", errOut)
			}
			if n := w.heldReturns(); n != 1 {
				t.Errorf("emulator holds %d returns, want 1", n)
			}
			es := w.journal()
			if len(es) != tt.wantEntries {
				t.Fatalf("journal has %d entries, want %d: %+v", len(es), tt.wantEntries, es)
			}
			closed := 0
			for _, e := range es {
				if e.State.Open() {
					t.Errorf("entry %s still open", e.Intent.ID)
				}
				if e.State == receipts.StateReceipted {
					closed++
					if e.Receipt.Outcome != tt.wantOutcome {
						t.Errorf("outcome %q, want %q", e.Receipt.Outcome, tt.wantOutcome)
					}
				}
			}
			if closed != 1 {
				t.Errorf("%d receipted entries, want 1", closed)
			}
		})
	}
}

// A vat process killed with SIGKILL between recording its intent and recording the receipt
// leaves an open intent; the next run reconciles it with HMRC and sends nothing again.
func TestKilledSubmitReconcilesOnTheNextRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultTimeoutAfterProcessing, Delay: 20 * time.Second})
	cmd := w.process("submit", "--workbook", w.workbook, "--yes")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for w.heldReturns() == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the submit never reached the emulator:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	es := w.journal()
	if len(es) != 1 || es[0].State != receipts.StatePending {
		t.Fatalf("after kill -9 the journal should hold one pending intent: %+v", es)
	}
	code, out, errOut := w.run("submit", "--workbook", w.workbook, "--yes")
	if code != 0 {
		t.Fatalf("re-run exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "already accepted") {
		t.Errorf("re-run should report the earlier submission accepted:\n%s", out)
	}
	if n, subs := w.heldReturns(), w.srv.Stats().Submissions; n != 1 || subs != 1 {
		t.Errorf("emulator holds %d returns after %d submissions, want 1 and 1", n, subs)
	}
	es = w.journal()
	if len(es) != 1 || es[0].State != receipts.StateReceipted || es[0].Receipt.Outcome != receipts.OutcomeReconciled {
		t.Errorf("journal = %+v", es)
	}
}

// 'vat receipts' settles an unknown outcome with HMRC before listing, as submit would.
func TestReceiptsReconcilesAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultDropAfterProcessing})
	if code, _, errOut := w.run("submit", "--workbook", w.workbook, "--yes"); code != cmdutil.ExitUnknown {
		t.Fatalf("submit exit %d: %s", code, errOut)
	}
	code, out, errOut := w.run("receipts", "-o", "json")
	if code != 0 {
		t.Fatalf("receipts exit %d: %s", code, errOut)
	}
	var doc struct {
		Receipts []struct {
			Outcome   string `json:"outcome"`
			PeriodKey string `json:"periodKey"`
		} `json:"receipts"`
		Unresolved []json.RawMessage `json:"unresolved"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.Unresolved) != 0 || len(doc.Receipts) != 1 || doc.Receipts[0].Outcome != receipts.OutcomeReconciled || doc.Receipts[0].PeriodKey != w.period.PeriodKey {
		t.Errorf("receipts after reconciliation = %+v", doc)
	}
	if w.srv.Stats().Submissions != 1 {
		t.Errorf("%d submissions reached the emulator, want 1", w.srv.Stats().Submissions)
	}
}

// --debug traces every exchange on stderr without a single secret in it.
func TestDebugTraceHasNoSecrets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.env["VAT_DEBUG"] = "1"
	code, _, errOut := w.run("submit", "--workbook", w.workbook, "--yes")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errOut, "POST") || !strings.Contains(errOut, "/returns") || !strings.Contains(errOut, "Gov-Client-Device-Id") {
		t.Fatalf("no HTTP trace with fraud headers on stderr:\n%.2000s", errOut)
	}
	// Tokens are kept per profile, environment and API: exactly one file for this world's login.
	files, err := filepath.Glob(filepath.Join(w.env["VAT_CONFIG_DIR"], "tokens", "default+local-*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("token files %v (%v)", files, err)
	}
	tokens, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(tokens, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token file: %v %s", err, tokens)
	}
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, sandbox.LocalClientSecret} {
		if strings.Contains(errOut, secret) {
			t.Errorf("the debug trace shows a secret (%.6s…)", secret)
		}
	}
}

// On a terminal, submit asks; only an explicit yes sends the return.
func TestSubmitAsksOnATerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ask := func(answer string) (int, string) {
		ios, in, _, errOut := iostreams.Test()
		ios.SetStdinTTY(true)
		ios.SetStderrTTY(true)
		in.WriteString(answer)
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return w.env[k] }
		return Run(context.Background(), []string{"submit", "--workbook", w.workbook}, f), errOut.String()
	}
	code, errOut := ask("\n")
	if code != cmdutil.ExitFailure || !strings.Contains(errOut, "not submitted") || w.heldReturns() != 0 {
		t.Fatalf("Enter alone: exit %d, held %d\n%s", code, w.heldReturns(), errOut)
	}
	if !strings.Contains(errOut, "Do you make this declaration") || !strings.Contains(errOut, "prosecution") {
		t.Errorf("no declaration and question on stderr:\n%s", errOut)
	}
	if code, errOut := ask("yes\n"); code != 0 || w.heldReturns() != 1 {
		t.Fatalf("yes: exit %d, held %d\n%s", code, w.heldReturns(), errOut)
	}
}

func TestSubmitPreviewSaysWhenTheReturnIsLate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, out, errOut := w.run("submit", "--workbook", w.workbook, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: %d %s", code, errOut)
	}
	late := w.period.Due.Before(hmrc.DateOf(time.Now()))
	if got := strings.Contains(out, "OVERDUE: this return was due on") && strings.Contains(out, "late submission point"); got != late {
		t.Errorf("due %s: preview says overdue = %v, want %v\n%s", w.period.Due, got, late, out)
	}
	code, out, errOut = w.run("submit", "--workbook", w.workbook, "--yes")
	if code != 0 || strings.Contains(out, "To pay:") && late != strings.Contains(out, "OVERDUE since") {
		t.Errorf("receipt: %d\n%s\n%s", code, out, errOut)
	}
	// A Direct Debit payer is never told to pay now as well: that would pay twice.
	if strings.Contains(out, "Direct Debit") && strings.Contains(out, "pay now") {
		t.Errorf("a Direct Debit payer is told to pay now:\n%s", out)
	}
}

// The README's first command: the whole quarterly journey, offline, in a throw-away directory.
func TestDemoRunsTheWholeJourney(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	code, out, errOut := runCLI(t, map[string]string{"HOME": home, "VAT_CONFIG_DIR": filepath.Join(home, "untouched")}, "demo")
	if code != 0 {
		t.Fatalf("vat demo: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"HMRC accepted the VAT return", "Form bundle number", "Receipt ID"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("the demo never showed %q:\n%s\n%s", want, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(home, "untouched")); len(entries) != 0 {
		t.Errorf("the demo wrote into the user's config dir: %v", entries)
	}
}

// Ctrl-C while HMRC is still answering: the return left, so the outcome is unknown (exit 7),
// never "nothing was sent"; the next run reconciles and sends nothing again.
func TestCtrlCAfterTheReturnLeftIsAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultTimeoutAfterProcessing, Delay: 30 * time.Second})
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return w.env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Interrupt once HMRC holds the return, while its answer is still on the way.
		for len(w.srv.Returns(w.user.VRN)) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	code := Run(ctx, []string{"submit", "--workbook", w.workbook, "--yes"}, f)
	if code != cmdutil.ExitUnknown || strings.Contains(errOut.String(), "nothing was sent") {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, cmdutil.ExitUnknown, out, errOut)
	}
	code, stdout, stderr := w.run("submit", "--workbook", w.workbook, "--yes")
	if code != 0 || !strings.Contains(stdout, "HMRC had already accepted") {
		t.Fatalf("the next run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if n := w.srv.Stats().Submissions; n != 1 || w.heldReturns() != 1 {
		t.Errorf("%d submissions reached HMRC and it holds %d returns, want 1 and 1", n, w.heldReturns())
	}
}
