// Package viewtest runs vat's account views against the emulator for golden tests: one signed-in
// business with a fixed VRN and a fixed "today", so that the output is the same on every run.
package viewtest

import (
	"bytes"
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/workbook"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Today is the fixed date of every golden: the emulator's clock and vat's read it, at noon UK
// time so that a slow run cannot cross midnight.
var Today = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// Business describes the test business.
type Business struct {
	History string // a sandbox.History* kind; "" with RegisteredDaysAgo for an empty business
	N       int    // the n-th VRN of that history, so that two tests can differ
	// RegisteredDaysAgo, when > 0, registers the business that many days before Today and with
	// no History, for a business with nothing filed yet.
	RegisteredDaysAgo int
	// RegisteredOn fixes the registration date (YYYY-MM-DD).
	RegisteredOn string
	// RateLimit is the emulator's requests/second per application; 0 = off, and then vat's own
	// limiter is off too.
	RateLimit float64
}

// World is an emulator over real HTTP with one signed-in business.
type World struct {
	t   *testing.T
	Srv *sandbox.Server
	VRN string
	env map[string]string
	now func() time.Time
	// paced keeps the client's rate limiter, for tests that count requests under the limit.
	paced bool
	// Tune, when set, adjusts the Factory of every later run, for what the environment cannot
	// set (fixed fraud-prevention facts).
	Tune func(*cmdutil.Factory)
}

// New starts the emulator, creates the business and signs in through the real OAuth flow.
func New(t *testing.T, b Business) *World {
	t.Helper()
	start := time.Now()
	// The clock moves on from Today at the real pace, so that rate limits refill; the date stays.
	now := func() time.Time { return Today.Add(time.Since(start)) }
	srv, err := sandbox.New(sandbox.Options{Now: now, RateLimit: b.RateLimit})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	// The emulator draws a registration date at random, and the history follows from it.
	spec := sandbox.UserSpec{VATRegistrationDate: "2015-06-15"}
	if b.RegisteredOn != "" {
		spec.VATRegistrationDate = b.RegisteredOn
	}
	if b.RegisteredDaysAgo > 0 {
		spec.VATRegistrationDate = Today.AddDate(0, 0, -b.RegisteredDaysAgo).Format("2006-01-02")
	}
	kind, n := b.History, b.N
	if kind == "" {
		// A VRN no history test uses; registered recently, it has nothing filed.
		kind, n = sandbox.HistoryPunctual, 9
	}
	if spec.VRN, err = sandbox.VRNWithHistory(kind, n); err != nil {
		t.Fatal(err)
	}
	u, err := srv.CreateUserWith("organisation", []string{"mtd-vat"}, spec)
	if err != nil {
		t.Fatal(err)
	}
	w := &World{t: t, Srv: srv, VRN: u.VRN, now: now, paced: b.RateLimit > 0, env: map[string]string{
		"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_CONFIG_DIR": filepath.Join(t.TempDir(), "config"),
		"VAT_TOKEN_STORE": "file", "VAT_VRN": u.VRN,
	}}
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Now = now
	if err := demo.Login(context.Background(), f, w.env, hmrc.TestUser{UserID: u.UserID, Password: u.Password}); err != nil {
		t.Fatalf("login: %v", err)
	}
	return w
}

// Result is what one command left behind.
type Result struct {
	Code     int
	Out, Err string
}

// Run runs vat in-process, stdout piped.
func (w *World) Run(args ...string) Result { return w.run(0, args) }

// RunTTY runs vat with stdout and stderr a terminal of the given width, colour off; width 0
// is piped, as Run (so a golden's formats need no branch).
func (w *World) RunTTY(width int, args ...string) Result { return w.run(width, args) }

func (w *World) run(width int, args []string) Result {
	ios, _, out, errOut := iostreams.Test()
	if width > 0 {
		// At a terminal both streams are the terminal: messages on stderr wrap to it as well.
		ios.SetStdoutTTY(true)
		ios.SetStderrTTY(true)
		ios.SetTerminalWidth(width)
	}
	code := root.Run(context.Background(), args, w.factory(ios))
	return Result{code, out.String(), errOut.String()}
}

// factory is the Factory of one run: the world's environment and clock, and its tuning.
func (w *World) factory(ios *iostreams.IOStreams) *cmdutil.Factory {
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return w.env[k] }
	f.Now = w.now
	f.QuietFileStore = true
	if !w.paced {
		// Goldens do not measure pacing; at 3 requests a second four years of returns in five
		// formats would take half a minute.
		f.HMRCOptions = []hmrc.Option{hmrc.WithRateLimit(0)}
	}
	if w.Tune != nil {
		w.Tune(f)
	}
	return f
}

// FileLatest files the latest ended period through 'vat submit', as a user would, with the
// boxes the demo uses; the emulator leaves that period open for the API.
func (w *World) FileLatest() {
	w.t.Helper()
	r := w.Run("obligations", "-o", "json")
	if r.Code != 0 {
		w.t.Fatalf("obligations: %d %s", r.Code, r.Err)
	}
	ob, err := demo.LatestEnded([]byte(r.Out), hmrc.DateOf(w.now()))
	if err != nil {
		w.t.Fatal(err)
	}
	path := filepath.Join(w.t.TempDir(), "q.xlsx")
	if err := workbook.WriteTemplate(path); err != nil {
		w.t.Fatal(err)
	}
	if err := demo.FillWorkbook(path, ob, w.VRN); err != nil {
		w.t.Fatal(err)
	}
	if r := w.Run("submit", "--workbook", path, "--yes"); r.Code != 0 {
		w.t.Fatalf("submit: %d %s", r.Code, r.Err)
	}
}

// Setenv sets an environment variable for later runs.
func (w *World) Setenv(k, v string) { w.env[k] = v }

// testDir is the test package's directory, where go test starts: a test may move to a
// temporary working directory (t.Chdir) and still find its goldens.
var testDir, _ = os.Getwd()

// Golden compares got with testdata/name, or rewrites it under -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(testDir, "testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Name turns arguments into a golden file name part.
func Name(args ...string) string {
	return strings.NewReplacer(" ", "_", "/", "_", "-", "").Replace(strings.Join(args, "_"))
}

// Formats are the outputs every view is checked in: a terminal 80 and 120 columns wide, piped
// plain text, JSON and CSV.
var Formats = []struct {
	Suffix string
	Width  int
	Args   []string
}{
	{"80.txt", 80, nil},
	{"120.txt", 120, nil},
	{"piped.txt", 0, nil},
	{"json", 0, []string{"-o", "json"}},
	{"csv", 0, []string{"-o", "csv"}},
}

// Views runs args in every format, expects exit 0, and compares each output (stdout, then
// stderr when there is any) with testdata/name.<format>. On a terminal, a line of stdout wider
// than the terminal fails the test, unless it is a single URL, which is never cut.
func Views(t *testing.T, w *World, name string, args ...string) {
	t.Helper()
	for _, f := range Formats {
		r := w.run(f.Width, append(append([]string{}, args...), f.Args...))
		if r.Code != 0 {
			t.Errorf("vat %s %s: exit %d\n%s", strings.Join(args, " "), strings.Join(f.Args, " "), r.Code, r.Err)
			continue
		}
		Golden(t, name+"."+f.Suffix, Transcript(r))
		if f.Width > 0 {
			for _, line := range OverWide(r.Out, f.Width) {
				t.Errorf("vat %s at %d columns: a line of %d\n%s", strings.Join(args, " "), f.Width, ansi.StringWidth(line), line)
			}
		}
	}
}

// Fits runs args at a terminal width columns wide, expects exit 0, and fails the test for each
// line of stdout wider than the terminal that is not a single URL.
func Fits(t *testing.T, w *World, width int, args ...string) Result {
	t.Helper()
	r := w.RunTTY(width, args...)
	if r.Code != 0 {
		t.Fatalf("vat %s at %d columns: exit %d\n%s", strings.Join(args, " "), width, r.Code, r.Err)
	}
	for _, line := range OverWide(r.Out, width) {
		t.Errorf("vat %s at %d columns: a line of %d\n%s", strings.Join(args, " "), width, ansi.StringWidth(line), line)
	}
	return r
}

// OverWide is the lines of out wider than width, but for a line that holds one URL alone: a URL
// cut in two no longer opens.
func OverWide(out string, width int) []string {
	var wide []string
	for _, line := range strings.Split(out, "\n") {
		if ansi.StringWidth(line) > width && !ui.IsURLLine(line) {
			wide = append(wide, line)
		}
	}
	return wide
}

// Transcript is stdout, then stderr under a marker when there is any.
func Transcript(r Result) string {
	if r.Err == "" {
		return r.Out
	}
	return r.Out + "--- stderr\n" + r.Err
}
