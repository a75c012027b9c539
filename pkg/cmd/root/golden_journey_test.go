package root_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/workbook"
)

// journeyGoldens is goldens for the commands that change what they act on (filing a return,
// signing in, starting a server): run builds a fresh start for each format, so that every
// format shows the same journey, and returns the command's result with the masks of its own
// run (each run files under new IDs).
func journeyGoldens(t *testing.T, name string, run func(width int, format []string) (viewtest.Result, func(string) string)) {
	t.Helper()
	journeyGoldensOf(t, name, true, run)
}

// journeyGoldensOf is journeyGoldens; with stderrFits false only stdout is held to the
// terminal's width, for a command whose messages quote a path that differs in length from run
// to run (measured apart).
func journeyGoldensOf(t *testing.T, name string, stderrFits bool, run func(width int, format []string) (viewtest.Result, func(string) string)) {
	t.Helper()
	for _, f := range viewtest.Formats {
		r, fix := run(f.Width, f.Args)
		if stderrFits {
			checkGolden(t, name, f.Suffix, f.Width, r, fix)
		} else {
			checkGolden(t, name, f.Suffix, 0, r, fix)
			if f.Width > 0 {
				for _, line := range viewtest.OverWide(r.Out, f.Width) {
					t.Errorf("%s at %d columns: a line of %d\n%s", name, f.Width, ansi.StringWidth(line), line)
				}
			}
		}
		if len(f.Args) == 2 && f.Args[1] == "json" {
			validateJSON(t, name, r)
		}
	}
}

// schemaOfGolden names the schema each golden's -o json document follows.
var schemaOfGolden = map[string]string{
	"submit": "submit", "submit-again": "submit", "login": "login", "login-browser": "login", "demo": "demo", "sandbox-rehearse": "sandbox-rehearse", "sandbox-serve": "sandbox-serve",
}

// validateJSON checks a -o json run against its schema: stdout on success, stderr's error
// document on failure.
func validateJSON(t *testing.T, name string, r viewtest.Result) {
	t.Helper()
	if r.Code != 0 {
		validate(t, "error", r.Err)
		return
	}
	if s, ok := schemaOfGolden[name]; ok {
		validate(t, s, r.Out)
	}
}

// run runs args with the format's flags on w, on a terminal that wide when width > 0.
func run(w *viewtest.World, width int, format []string, args ...string) viewtest.Result {
	return w.RunTTY(width, append(append([]string{}, args...), format...)...)
}

// filing is a business with its open period's workbook written by 'vat template', as a user
// starts the quarter.
type filing struct {
	w        *viewtest.World
	workbook string
	abs      string
}

// newFiling writes the workbook into dir: a relative one keeps the messages that name it the
// same width on every machine, so they wrap at the same word.
func newFiling(t *testing.T, dir string) *filing {
	t.Helper()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	wb := filepath.Join(dir, "q.xlsx")
	abs, err := filepath.Abs(wb)
	if err != nil {
		t.Fatal(err)
	}
	if r := w.Run("template", wb); r.Code != 0 {
		t.Fatalf("template: exit %d\n%s", r.Code, r.Err)
	}
	// The books are kept: with --yes, submit refuses the template's example rows.
	if err := workbook.ReplaceExamples(wb); err != nil {
		t.Fatal(err)
	}
	return &filing{w: w, workbook: wb, abs: abs}
}

func (fl *filing) submit(t *testing.T) {
	t.Helper()
	if r := fl.w.Run("submit", "--workbook", fl.workbook, "--yes"); r.Code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.Code, r.Err)
	}
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// fix masks what this filing drew afresh: the workbook's directory, the receipt's IDs (read
// back with 'vat receipts list -o json', so each is named for what it is), the clocks and the
// version. The figures are never masked.
func (fl *filing) fix(t *testing.T) func(string) string {
	t.Helper()
	r := fl.w.Run("receipts", "list", "-o", "json")
	var list struct {
		Receipts []struct {
			ID               string `json:"id"`
			FormBundleNumber string `json:"formBundleNumber"`
			ReceiptID        string `json:"receiptId"`
			CorrelationID    string `json:"correlationId"`
			ReceiptTimestamp string `json:"receiptTimestamp"`
			ProcessingDate   string `json:"processingDate"`
			ChargeRefNumber  string `json:"chargeRefNumber"`
		} `json:"receipts"`
	}
	if err := json.Unmarshal([]byte(r.Out), &list); err != nil {
		t.Fatalf("receipts list: %v\n%s", err, r.Out)
	}
	var ids []string
	for _, rc := range list.Receipts {
		ids = append(ids, rc.ID, "INTENT-ID", rc.ID[:8], "SHORT-ID", rc.FormBundleNumber, "FORM-BUNDLE", rc.ReceiptID, "RECEIPT-ID",
			rc.CorrelationID, "CORRELATION-ID",
			rc.ChargeRefNumber, "CHARGE-REF")
	}
	ids = append(ids, fl.w.VRN, "VRN")
	return func(s string) string {
		// The absolute path (in JSON) is the temporary directory's, whose length varies: the
		// placeholder is not padded. A relative path is the same on every run.
		s = strings.ReplaceAll(s, fl.abs, "WORKDIR/"+fl.workbook)
		s = replacer(ids...).Replace(s)
		s = regexp.MustCompile(`"toolVersion": "[^"]*"`).ReplaceAllString(s, `"toolVersion": "VERSION"`)
		s = regexp.MustCompile(`"workbookSha256": "[0-9a-f]+"`).ReplaceAllString(s, `"workbookSha256": "SHA256"`)
		// Anything left that looks like an ID is one this test did not expect: make it show.
		s = uuidRE.ReplaceAllStringFunc(s, func(m string) string { return pad("UNEXPECTED-ID", m) })
		return fixClock(s)
	}
}

// TestSubmitJourneyGolden: a real filing, the same figures filed again (exit 0, the receipt
// kept the first time) and other figures for the filed period (exit 5, both returns box by
// box), in every format, each from the same starting state.
func TestSubmitJourneyGolden(t *testing.T) {
	t.Parallel()
	journeyGoldens(t, "submit", func(width int, format []string) (viewtest.Result, func(string) string) {
		fl := newFiling(t, t.TempDir())
		r := run(fl.w, width, format, "submit", "--workbook", fl.workbook, "--yes")
		return r, fl.fix(t)
	})
	// Filing again changes nothing, so one filed business serves every format.
	fl := newFiling(t, t.TempDir())
	fl.submit(t)
	journeyGoldens(t, "submit-again", func(width int, format []string) (viewtest.Result, func(string) string) {
		return run(fl.w, width, format, "submit", "--workbook", fl.workbook, "--yes"), fl.fix(t)
	})
	// The same workbook with box 6 read from another cell through a map file.
	x, err := excelize.OpenFile(fl.workbook)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.NewSheet("Alt"); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellValue("Alt", "A1", 987654); err != nil {
		t.Fatal(err)
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()
	mapFile := filepath.Join(filepath.Dir(fl.abs), "boxes.map")
	if err := os.WriteFile(mapFile, []byte("box6 = Alt!A1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	journeyGoldens(t, "submit-different", func(width int, format []string) (viewtest.Result, func(string) string) {
		return run(fl.w, width, format, "submit", "--workbook", fl.workbook, "--map", mapFile, "--yes"), fl.fix(t)
	})
}

// TestErrorDocumentGolden: a failure in every format; with -o json it is the error document on
// stderr, its details naming the box, the defined name, the sheet and the cell.
func TestErrorDocumentGolden(t *testing.T) {
	// The messages name the workbook: a relative path wraps at the same word on every machine.
	t.Chdir(t.TempDir())
	fl := newFiling(t, "books")
	journeyGoldens(t, "error-check-missing-file", func(width int, format []string) (viewtest.Result, func(string) string) {
		return run(fl.w, width, format, "check", filepath.Join("books", "missing.xlsx")), fl.fix(t)
	})
	x, err := excelize.OpenFile(fl.workbook)
	if err != nil {
		t.Fatal(err)
	}
	// Box 1's cell holds text and box 6 pence: both are reported, nothing is sent.
	if err := x.SetCellValue("VAT Return", "C8", "twelve pounds"); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellFormula("VAT Return", "C13", "7300.5"); err != nil {
		t.Fatal(err)
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()
	journeyGoldens(t, "error-submit-bad-boxes", func(width int, format []string) (viewtest.Result, func(string) string) {
		return run(fl.w, width, format, "submit", "--workbook", fl.workbook, "--yes"), fl.fix(t)
	})
}

// journeyWorld is an emulator over real HTTP that nobody has signed in to yet, for the
// commands that sign in themselves (login, the rehearsal) or serve.
type journeyWorld struct {
	srv *sandbox.Server
	url string
	env map[string]string
	now func() time.Time
}

// fixedUser is the business every journey golden signs in as: its history follows from its
// VRN and registration date, which the emulator would otherwise draw at random.
var fixedUser = sandbox.UserSpec{VATRegistrationDate: "2015-06-15"}

func newJourneyWorld(t *testing.T, newUsers sandbox.UserSpec) *journeyWorld {
	t.Helper()
	start := time.Now()
	now := func() time.Time { return viewtest.Today.Add(time.Since(start)) }
	srv, err := sandbox.New(sandbox.Options{Now: now, NewUsers: newUsers})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return &journeyWorld{srv: srv, url: hs.URL, now: now, env: map[string]string{
		"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_CONFIG_DIR": filepath.Join(t.TempDir(), "config"), "VAT_TOKEN_STORE": "file",
	}}
}

// factory is a Factory as viewtest's: the world's environment, its clock, stdout a terminal
// that wide when width > 0.
func (j *journeyWorld) factory(width int) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	if width > 0 {
		// At a terminal both streams are the terminal, as in viewtest.
		ios.SetStdoutTTY(true)
		ios.SetStderrTTY(true)
		ios.SetTerminalWidth(width)
	}
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return j.env[k] }
	f.Now = j.now
	f.QuietFileStore = true
	f.HMRCOptions = []hmrc.Option{hmrc.WithRateLimit(0)}
	return f, out, errOut
}

// userSpec is fixedUser with a VRN of the punctual history that no other user of this
// emulator has.
func userSpec(t *testing.T) sandbox.UserSpec {
	t.Helper()
	spec := fixedUser
	vrn, err := sandbox.VRNWithHistory(sandbox.HistoryPunctual, 1)
	if err != nil {
		t.Fatal(err)
	}
	spec.VRN = vrn
	return spec
}

// TestRehearseGolden: HMRC's production-approval sequence against the emulator, in every
// format, each run from a fresh emulator into a report directory of its own. The emulator
// makes the test business punctual and registered on a fixed date (Options.NewUsers), so that
// its penalties and customer information read the same on every run.
func TestRehearseGolden(t *testing.T) {
	journeyGoldens(t, "sandbox-rehearse", func(width int, format []string) (viewtest.Result, func(string) string) {
		j := newJourneyWorld(t, sandbox.UserSpec{History: sandbox.HistoryPunctual, VATRegistrationDate: fixedUser.VATRegistrationDate})
		// The messages name the report's directory: relative, it wraps at the same word on
		// every machine.
		t.Chdir(t.TempDir())
		dir := "report"
		f, out, errOut := j.factory(width)
		code := root.Run(context.Background(), append([]string{"sandbox", "rehearse", "--no-browser", "--report-dir", dir}, format...), f)
		r := viewtest.Result{Code: code, Out: out.String(), Err: errOut.String()}
		var doc struct {
			TestUser struct {
				UserID       string `json:"userId"`
				Organisation string `json:"organisation"`
			} `json:"testUser"`
			Filed struct {
				WorkbookSHA256   string `json:"workbookSha256"`
				FormBundleNumber string `json:"formBundleNumber"`
				ReceiptID        string `json:"receiptId"`
				CorrelationID    string `json:"correlationId"`
			} `json:"filed"`
		}
		b, err := os.ReadFile(filepath.Join(dir, "rehearsal.json"))
		if err == nil {
			err = json.Unmarshal(b, &doc)
		}
		if err != nil {
			t.Fatalf("the rehearsal's report: %v", err)
		}
		return r, func(s string) string {
			// The organisation's name is drawn from words of different lengths; no table holds it.
			s = strings.ReplaceAll(s, doc.TestUser.Organisation, "ORGANISATION")
			s = replacer(doc.TestUser.UserID, "USER-ID", doc.Filed.FormBundleNumber, "FORM-BUNDLE", doc.Filed.ReceiptID, "RECEIPT-ID",
				doc.Filed.CorrelationID, "CORRELATION-ID", doc.Filed.WorkbookSHA256, "SHA256").Replace(s)
			// Each call's correlation ID, and the fraud headers' device and request IDs.
			s = uuidRE.ReplaceAllStringFunc(s, func(m string) string { return pad("UUID", m) })
			return fixClock(s)
		}
	})
}

// person reads what vat prints on stderr and, at the --no-browser prompt, does what a person
// would: opens the address in a browser (the emulator's forms, driven over HTTP), signs in,
// grants authority and pastes the code HMRC shows.
type person struct {
	t       *testing.T
	user    sandbox.TestUser
	mu      sync.Mutex
	buf     bytes.Buffer
	typist  *io.PipeWriter
	started bool
}

var authURLRE = regexp.MustCompile(`(?m)^  (http\S+/oauth/authorize\S+)$`)

func (p *person) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf.Write(b)
	if p.started || !strings.Contains(p.buf.String(), "Paste it here") {
		return len(b), nil
	}
	p.started = true
	m := authURLRE.FindStringSubmatch(p.buf.String())
	if m == nil {
		p.t.Errorf("no sign-in address before the paste prompt:\n%s", p.buf.String())
		p.typist.CloseWithError(io.EOF)
		return len(b), nil
	}
	go func() {
		loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, m[1], p.user.UserID, p.user.Password)
		if err != nil {
			p.t.Errorf("sign in: %v", err)
			p.typist.CloseWithError(io.EOF)
			return
		}
		// The terminal echoes what is pasted; the code itself differs on every run.
		p.mu.Lock()
		p.buf.WriteString("PASTED-CODE\n")
		p.mu.Unlock()
		_, _ = io.WriteString(p.typist, loc.Query().Get("code")+"\n")
	}()
	return len(b), nil
}

func (p *person) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// TestLoginGolden: 'vat login --no-browser' in every format, each a first sign-in to a fresh
// emulator: the address to open, the prompt, the code pasted, and what was kept.
func TestLoginGolden(t *testing.T) {
	journeyGoldens(t, "login", func(width int, format []string) (viewtest.Result, func(string) string) {
		j := newJourneyWorld(t, sandbox.UserSpec{})
		u, err := j.srv.CreateUserWith("organisation", []string{"mtd-vat"}, userSpec(t))
		if err != nil {
			t.Fatal(err)
		}
		j.env["VAT_VRN"] = u.VRN
		// The messages name the config directory: relative, it wraps at the same word on
		// every machine.
		t.Chdir(t.TempDir())
		j.env["VAT_CONFIG_DIR"] = "config"
		f, out, _ := j.factory(width)
		stdin, typist := io.Pipe()
		defer typist.Close()
		p := &person{t: t, user: u, typist: typist}
		f.IOStreams.In, f.IOStreams.ErrOut = stdin, p
		code := root.Run(context.Background(), append([]string{"login", "--no-browser"}, format...), f)
		r := viewtest.Result{Code: code, Out: out.String(), Err: p.String()}
		fix := func(s string) string {
			s = regexp.MustCompile(`(state|code_challenge)=[A-Za-z0-9_-]+`).ReplaceAllString(s, "$1=RANDOM")
			return fixClock(s)
		}
		// The sign-in prompts are for a person at a terminal of any width: the prose fits 80
		// columns; the address to open is one line, never split.
		for _, line := range strings.Split(fix(r.Err), "\n") {
			if n := len([]rune(line)); n > 80 && !strings.HasPrefix(line, "  http") {
				t.Errorf("login prompt: a line of %d\n%s", n, line)
			}
		}
		return r, fix
	})
}

// cancelOn is stdout that stops the command (Ctrl-C) once it has printed a line.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (c *cancelOn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(b)
	if bytes.Contains(c.buf.Bytes(), []byte("\n")) {
		c.cancel()
	}
	return len(b), nil
}

func (c *cancelOn) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// TestServeGolden: what 'vat sandbox serve' prints from its start to Ctrl-C, in every format.
// The server runs until it is stopped; its first line, the address, is what a script waits
// for, so the test stops it as soon as that line is out.
func TestServeGolden(t *testing.T) {
	t.Parallel()
	journeyGoldens(t, "sandbox-serve", func(width int, format []string) (viewtest.Result, func(string) string) {
		j := newJourneyWorld(t, sandbox.UserSpec{})
		f, _, errOut := j.factory(width)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		out := &cancelOn{cancel: cancel}
		f.IOStreams.Out = out
		code := root.Run(ctx, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, format...), f)
		return viewtest.Result{Code: code, Out: out.String(), Err: errOut.String()}, fixClock
	})
}

// TestDemoGolden: the whole offline tour in every format. Each run starts an emulator of its
// own, with vat's clock, and files the same return for a punctual business; what the
// emulator still draws (the VRN, the IDs, the names, its port, the directory) is masked.
func TestDemoGolden(t *testing.T) {
	t.Parallel()
	journeyGoldensOf(t, "demo", false, func(width int, format []string) (viewtest.Result, func(string) string) {
		j := newJourneyWorld(t, sandbox.UserSpec{})
		f, out, errOut := j.factory(width)
		// The demo paces its requests as HMRC would; the golden does not measure that.
		f.HMRCOptions = nil
		// Its messages name its throw-away directory, whose path differs in length from run to
		// run and machine to machine, so at a terminal they would wrap at a different word
		// each time: stderr is piped here, and TestDemoStderrFitsTheTerminal measures it.
		f.IOStreams.SetStderrTTY(false)
		code := root.Run(context.Background(), append([]string{"demo"}, format...), f)
		r := viewtest.Result{Code: code, Out: out.String(), Err: errOut.String()}
		all := r.Out + r.Err
		var masks []string
		for _, m := range []struct {
			re          *regexp.Regexp
			placeholder string
		}{
			{regexp.MustCompile(`VRN ([0-9]{9})`), "VRN"},
			{regexp.MustCompile(`"vrn": "([0-9]{9})"`), "VRN"},
			{regexp.MustCompile(`signed in as ([0-9]+)`), "USER-ID"},
			{regexp.MustCompile(`Form bundle number +([0-9]+)`), "FORM-BUNDLE"},
			{regexp.MustCompile(`"formBundleNumber": "([0-9]+)"`), "FORM-BUNDLE"},
			{regexp.MustCompile(`Charge reference +(\S+)`), "CHARGE-REF"},
			{regexp.MustCompile(`"chargeRefNumber": "([^"]+)"`), "CHARGE-REF"},
			{regexp.MustCompile(`Receipt ID +(\S+)`), "RECEIPT-ID"},
			{regexp.MustCompile(`"receiptId": "([^"]+)"`), "RECEIPT-ID"},
			{regexp.MustCompile(`Correlation ID +(\S+)`), "CORRELATION-ID"},
			{regexp.MustCompile(`"correlationId": "([^"]+)"`), "CORRELATION-ID"},
			{regexp.MustCompile(`vat receipts show (\S+)`), "INTENT-ID"},
			{regexp.MustCompile(`"id": "([^"]+)"`), "INTENT-ID"},
		} {
			for _, sm := range m.re.FindAllStringSubmatch(all, -1) {
				masks = append(masks, sm[1], m.placeholder)
			}
		}
		dir := regexp.MustCompile(`\S*vat-demo-[0-9]+`)
		return r, func(s string) string {
			s = replacer(masks...).Replace(s)
			// The name is drawn from words of different lengths; it has a line of its own.
			s = regexp.MustCompile(`organisation "[^"]+"`).ReplaceAllString(s, `organisation "ORGANISATION"`)
			s = dir.ReplaceAllString(s, "DEMO-DIR")
			s = regexp.MustCompile(`took [0-9]+\.[0-9] s`).ReplaceAllString(s, "took N.N s")
			s = uuidRE.ReplaceAllStringFunc(s, func(m string) string { return pad("UNEXPECTED-ID", m) })
			return fixClock(s)
		}
	})
}

// On a terminal the demo's steps tell their progress, warnings and the declaration's preview
// on it too (stderr): every line fits, but for one word too long to break (the throw-away
// directory's path).
func TestDemoStderrFitsTheTerminal(t *testing.T) {
	t.Parallel()
	j := newJourneyWorld(t, sandbox.UserSpec{})
	f, _, errOut := j.factory(80)
	f.HMRCOptions = nil
	f.IOStreams.SetStderrTTY(true)
	if code := root.Run(context.Background(), []string{"demo"}, f); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	for _, line := range strings.Split(errOut.String(), "\n") {
		if n := len([]rune(line)); n > 80 && len(strings.Fields(line)) > 1 {
			t.Errorf("a line of %d on stderr\n%s", n, line)
		}
		if strings.HasSuffix(line, " ") {
			t.Errorf("a line padded with spaces: %q", line)
		}
	}
}

// An error on a terminal fits it: the message, each detail (box, name, cell) and the hint
// break between words, the details' continuations under their text.
func TestErrorFitsTheTerminal(t *testing.T) {
	t.Parallel()
	j := newJourneyWorld(t, sandbox.UserSpec{})
	f, _, errOut := j.factory(80)
	f.IOStreams.SetStderrTTY(true)
	if code := root.Run(context.Background(), []string{"check", filepath.Join(workbooks, "error-cells.xlsx")}, f); code != cmdutil.ExitInvalidData {
		t.Fatalf("check: exit %d\n%s", code, errOut)
	}
	got := errOut.String()
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of %d on stderr\n%s", n, line)
		}
	}
	if !strings.Contains(got, "\n  - box ") || !strings.Contains(got, "\n    ") {
		t.Errorf("the details are not listed with their continuations indented:\n%s", got)
	}
}

// TestLoginBrowserGolden: 'vat login' with a browser, in every format: vat listens on a
// loopback port, the browser (the emulator's forms, driven over HTTP) signs in and is sent
// back to it.
func TestLoginBrowserGolden(t *testing.T) {
	journeyGoldens(t, "login-browser", func(width int, format []string) (viewtest.Result, func(string) string) {
		j := newJourneyWorld(t, sandbox.UserSpec{})
		u, err := j.srv.CreateUserWith("organisation", []string{"mtd-vat"}, userSpec(t))
		if err != nil {
			t.Fatal(err)
		}
		j.env["VAT_VRN"] = u.VRN
		// The messages name the config directory: relative, it wraps at the same word on
		// every machine.
		t.Chdir(t.TempDir())
		j.env["VAT_CONFIG_DIR"] = "config"
		f, out, errOut := j.factory(width)
		f.OpenBrowser = func(authURL string) error {
			go func() {
				loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, u.UserID, u.Password)
				if err != nil {
					t.Errorf("sign in: %v", err)
					return
				}
				if resp, err := http.Get(loc.String()); err == nil {
					resp.Body.Close()
				}
			}()
			return nil
		}
		// A free port, as the one registered with HMRC would be.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
		code := root.Run(context.Background(), append([]string{"login", "--port", port}, format...), f)
		r := viewtest.Result{Code: code, Out: out.String(), Err: errOut.String()}
		return r, func(s string) string {
			s = regexp.MustCompile(`(state|code_challenge)=[A-Za-z0-9_-]+`).ReplaceAllString(s, "$1=RANDOM")
			s = strings.NewReplacer("localhost:"+port, pad("localhost:PORT", "localhost:"+port), "localhost%3A"+port, pad("localhost%3APORT", "localhost%3A"+port)).Replace(s)
			return fixClock(s)
		}
	})
}
