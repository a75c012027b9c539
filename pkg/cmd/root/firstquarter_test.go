package root

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// VAT_HTTP_TIMEOUT is the one timeout on a call to HMRC: a reply slower than it is cut and the
// error names it, and a reply within it is waited for.
func TestHTTPTimeoutIsTheOneTimeout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	w.env["VAT_HTTP_TIMEOUT"] = "100ms"
	w.srv.InjectFault(sandbox.Fault{Endpoint: "obligations", Kind: sandbox.FaultSlow, Delay: 600 * time.Millisecond, Times: 4})
	code, _, errOut := w.run("obligations")
	if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "no reply from ") || !strings.Contains(errOut, "within 100ms") ||
		!strings.Contains(errOut, "VAT_HTTP_TIMEOUT") {
		t.Errorf("slower than VAT_HTTP_TIMEOUT: exit %d, stderr:\n%s", code, errOut)
	}

	w.env["VAT_HTTP_TIMEOUT"] = "5s"
	w.srv.InjectFault(sandbox.Fault{Endpoint: "obligations", Kind: sandbox.FaultSlow, Delay: 200 * time.Millisecond})
	if code, _, errOut := w.run("obligations"); code != cmdutil.ExitOK {
		t.Errorf("within VAT_HTTP_TIMEOUT: exit %d, stderr:\n%s", code, errOut)
	}
}

// stoppableWorld is a world signed in through a proxy to its emulator, which the returned func
// stops as a user stops 'vat sandbox serve'.
func stoppableWorld(t *testing.T) (*world, string, func()) {
	t.Helper()
	w := newWorld(t)
	target, err := url.Parse(w.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(proxy.Close)
	w.env["VAT_API_URL"] = proxy.URL
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), w.env, hmrc.TestUser{UserID: w.user.UserID, Password: w.user.Password}); err != nil {
		t.Fatalf("login through the proxy: %v", err)
	}
	return w, strings.TrimPrefix(proxy.URL, "http://"), proxy.Close
}

// rawGoError fails when stderr shows Go's transport error instead of a sentence.
func rawGoError(t *testing.T, errOut string) {
	t.Helper()
	for _, s := range []string{"dial tcp", `Get "`, `Post "`, "x509:"} {
		if strings.Contains(errOut, s) {
			t.Errorf("stderr shows Go's raw error (%s):\n%s", s, errOut)
		}
	}
}

// A host that cannot be reached is one sentence naming it and what to check, never Go's raw
// 'Get "…": dial tcp …', whether the API call or the token refresh inside it failed.
func TestNetworkErrorsNameTheHost(t *testing.T) {
	t.Parallel()
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		w, host, stop := stoppableWorld(t)
		stop()
		code, _, errOut := w.run("obligations")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot connect to "+host+": the connection was refused") ||
			!strings.Contains(errOut, "is 'vat sandbox serve' running at "+host+"?") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		rawGoError(t, errOut)

		// An expired access token: the refresh fails first, inside the API call.
		w.editToken(func(tok *auth.Token) { tok.Expiry = time.Now().Add(-time.Hour) })
		code, _, errOut = w.run("obligations", "-o", "json")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot connect to "+host+": the connection was refused") {
			t.Errorf("refresh: exit %d, stderr:\n%s", code, errOut)
		}
		rawGoError(t, errOut)
	})

	// The application's own token request (create-user) meets the same sentences.
	_, _, _, env := newAccount(t)
	run := func(apiURL string) (int, string) {
		ios, _, _, errOut := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string {
			if k == "VAT_API_URL" {
				return apiURL
			}
			return env[k]
		}
		return Run(context.Background(), []string{"sandbox", "create-user"}, f), errOut.String()
	}
	t.Run("tls", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewUnstartedServer(http.NotFoundHandler())
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
		srv.StartTLS()
		t.Cleanup(srv.Close)
		host := strings.TrimPrefix(srv.URL, "https://")
		code, errOut := run(srv.URL)
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "no secure connection to "+host+": its certificate is signed by an authority this computer does not trust") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		rawGoError(t, errOut)
	})
	t.Run("dns", func(t *testing.T) {
		t.Parallel()
		code, errOut := run("https://vat-no-such-host.invalid")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot find vat-no-such-host.invalid") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		rawGoError(t, errOut)
	})
}

// browserLogin returns an OpenBrowser that signs in through the emulator's forms as u.
func browserLogin(t *testing.T, u sandbox.TestUser) func(string) error {
	return func(authURL string) error {
		go func() {
			loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, u.UserID, u.Password)
			if err != nil {
				t.Errorf("sign in: %v", err)
				return
			}
			resp, err := http.Get(loc.String())
			if err != nil {
				t.Errorf("callback: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
}

// A profile the config does not hold is an error listing the known ones, except for the login
// that creates it; and every hint names the profile the command ran with.
func TestProfilesAreNamedAndNeverInventedSilently(t *testing.T) {
	t.Parallel()
	_, _, u, env := newAccount(t)
	run := func(args ...string) (int, string, string) {
		ios, _, out, errOut := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return env[k] }
		f.OpenBrowser = browserLogin(t, u)
		return Run(context.Background(), args, f), out.String(), errOut.String()
	}

	code, _, errOut := run("--profile", "acme", "obligations")
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, `--profile "acme": no such profile`) ||
		!strings.Contains(errOut, "known profiles: default") || !strings.Contains(errOut, "'vat --profile acme login'") {
		t.Fatalf("unknown profile: exit %d, stderr:\n%s", code, errOut)
	}
	env["VAT_PROFILE"] = "acme"
	if code, _, errOut := run("status"); code != cmdutil.ExitUsage || !strings.Contains(errOut, `VAT_PROFILE "acme": no such profile`) {
		t.Fatalf("unknown VAT_PROFILE: exit %d, stderr:\n%s", code, errOut)
	}
	delete(env, "VAT_PROFILE")

	// Login creates it, even when it has nothing else to remember.
	if code, _, errOut := run("--profile", "acme", "login"); code != cmdutil.ExitOK {
		t.Fatalf("login --profile acme: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run("--profile", "acme", "obligations"); code != cmdutil.ExitOK {
		t.Fatalf("obligations after login: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run("--profile", "nope", "status"); code != cmdutil.ExitUsage || !strings.Contains(errOut, "known profiles: acme, default") {
		t.Errorf("two profiles: exit %d, stderr:\n%s", code, errOut)
	}

	// Hints name the profile: the error's, and the status table's.
	if code, _, errOut := run("--profile", "acme", "logout"); code != cmdutil.ExitOK {
		t.Fatalf("logout: exit %d\n%s", code, errOut)
	}
	code, _, errOut = run("--profile", "acme", "obligations")
	if code != cmdutil.ExitAuth || !strings.Contains(errOut, "'vat --profile acme login'") {
		t.Errorf("logged out: exit %d, stderr:\n%s", code, errOut)
	}
	code, out, _ := run("--profile", "acme", "status")
	if code != cmdutil.ExitAuth || !strings.Contains(out, "'vat --profile acme login'") {
		t.Errorf("status: exit %d, stdout:\n%s", code, out)
	}
}

// ctrlC is a terminal's stderr that presses Ctrl-C (cancels the run's context, as the SIGINT
// handler in Main does) as soon as the prompt it waits for has been written.
type ctrlC struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	prompt string
	cancel context.CancelFunc
}

func (c *ctrlC) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.prompt) {
		c.cancel()
	}
	return len(p), nil
}

func (c *ctrlC) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// runAtPrompt runs vat on a terminal whose stdin never answers, presses Ctrl-C at prompt and
// returns the exit code; a prompt that ignores Ctrl-C never returns and fails the test.
func runAtPrompt(t *testing.T, env map[string]string, prompt string, args ...string) (int, string) {
	t.Helper()
	stdin, typist, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { typist.Close(); stdin.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ios, _, _, _ := iostreams.Test()
	errOut := &ctrlC{prompt: prompt, cancel: cancel}
	ios.In, ios.ErrOut = stdin, errOut
	ios.SetStdinTTY(true)
	ios.SetStderrTTY(true)
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, f) }()
	select {
	case code := <-done:
		return code, errOut.String()
	case <-time.After(time.Minute):
		t.Fatalf("vat %v still waits for an answer after Ctrl-C at %q:\n%s", args, prompt, errOut)
		return 0, ""
	}
}

// Ctrl-C at the declaration stops at once with exit 130, and nothing is sent.
func TestCtrlCAtTheDeclaration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, errOut := runAtPrompt(t, w.env, "[y/N]", "submit", "--workbook", w.workbook)
	if code != cmdutil.ExitInterrupted {
		t.Errorf("exit %d, want %d:\n%s", code, cmdutil.ExitInterrupted, errOut)
	}
	if n := w.heldReturns(); n != 0 {
		t.Errorf("HMRC holds %d returns after Ctrl-C at the declaration", n)
	}
}

// Ctrl-C at the login paste prompt stops at once with exit 130.
func TestCtrlCAtTheLoginPastePrompt(t *testing.T) {
	t.Parallel()
	_, _, _, env := newAccount(t)
	code, errOut := runAtPrompt(t, env, "Paste it here", "login", "--no-browser")
	if code != cmdutil.ExitInterrupted {
		t.Errorf("exit %d, want %d:\n%s", code, cmdutil.ExitInterrupted, errOut)
	}
}

// editToken changes the world's stored token, as time and HMRC would.
func (w *world) editToken(edit func(*auth.Token)) *auth.Token {
	w.t.Helper()
	st := &auth.FileStore{Dir: filepath.Join(w.env["VAT_CONFIG_DIR"], "tokens")}
	key, err := auth.TokenKey("default", w.env["VAT_ENV"], w.env["VAT_API_URL"])
	if err != nil {
		w.t.Fatal(err)
	}
	tok, err := st.Load(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	edit(tok)
	if err := st.Save(context.Background(), key, tok); err != nil {
		w.t.Fatal(err)
	}
	return tok
}

// vat status asks HMRC when the access token has expired: a refresh that works proves the
// authority, a refused one means 'vat login' (exit 4, so 'vat status || vat login' works).
func TestStatusVerifiesTheStoredAuthority(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	old := w.editToken(func(tok *auth.Token) { tok.Expiry = time.Now().Add(-time.Minute) })
	code, out, errOut := w.run("status", "-o", "json")
	var doc struct {
		LoggedIn, ReauthRequired, Refreshed bool
		Warnings                            []string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != cmdutil.ExitOK || !doc.LoggedIn || !doc.Refreshed {
		t.Fatalf("expired access token: exit %d, doc %+v (%v)\n%s%s", code, doc, err, out, errOut)
	}
	if now := w.editToken(func(*auth.Token) {}); now.AccessToken == old.AccessToken || now.RefreshToken == old.RefreshToken {
		t.Error("status did not save the refreshed token")
	}

	// A refresh token HMRC no longer honours (spent elsewhere, or the authority withdrawn).
	w.editToken(func(tok *auth.Token) { tok.Expiry, tok.RefreshToken = time.Now().Add(-time.Minute), "spent" })
	code, out, _ = w.run("status")
	if code != cmdutil.ExitAuth || !strings.Contains(out, "run 'vat login'") || strings.Contains(out, "Logged in    yes") {
		t.Errorf("dead refresh token: exit %d, want %d\n%s", code, cmdutil.ExitAuth, out)
	}
}

// When HMRC cannot be asked, status says so and exits 6, not 4: it is not a login problem.
func TestStatusWhenHMRCCannotBeAsked(t *testing.T) {
	t.Parallel()
	w, _, stop := stoppableWorld(t)
	stop()
	w.editToken(func(tok *auth.Token) { tok.Expiry = time.Now().Add(-time.Minute) })
	code, out, errOut := w.run("status")
	if code != cmdutil.ExitUnavailable || !strings.Contains(out, "could not be asked") || !strings.Contains(errOut, "connection was refused") {
		t.Errorf("HMRC unreachable: exit %d\n%s%s", code, out, errOut)
	}
}

// The 18-month authority ending within 30 days is said, on stderr and in the JSON document.
func TestStatusWarnsBeforeTheAuthorityEnds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	end := time.Now().Add(10 * 24 * time.Hour)
	w.editToken(func(tok *auth.Token) { tok.AuthorityExpiry = end })
	code, _, errOut := w.run("status")
	want := "the authority you gave vat ends on " + end.Local().Format("2 Jan 2006") + ": run 'vat login' before then"
	if code != cmdutil.ExitOK || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	code, out, _ := w.run("status", "-o", "json")
	if code != cmdutil.ExitOK || !strings.Contains(out, want) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

// noKeyring opens stores as on a headless machine: no OS keyring answers.
func noKeyring(ctx context.Context, kind, dir string) (auth.Store, error) {
	if kind == auth.KindFile {
		return auth.OpenStore(ctx, kind, dir)
	}
	return nil, auth.ErrNoKeyring
}

// On a machine without an OS keyring, 'vat login' on a terminal offers the file store in one
// step and remembers the answer; the warning about the file comes once, at login.
func TestHeadlessLoginOffersTheFileStore(t *testing.T) {
	t.Parallel()
	_, _, u, env := newAccount(t)
	delete(env, "VAT_TOKEN_STORE")
	run := func(stdin string, tty bool, args ...string) (int, string, string) {
		ios, in, out, errOut := iostreams.Test()
		in.WriteString(stdin)
		ios.SetStdinTTY(tty)
		ios.SetStderrTTY(tty)
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return env[k] }
		f.OpenBrowser = browserLogin(t, u)
		f.OpenStore = noKeyring
		return Run(context.Background(), args, f), out.String(), errOut.String()
	}

	// No terminal (cron, a script): one clear error naming both ways to choose the file.
	code, _, errOut := run("", false, "login")
	if code != cmdutil.ExitFailure || !strings.Contains(errOut, "no OS keyring answers") ||
		!strings.Contains(errOut, "--token-store file") || !strings.Contains(errOut, "VAT_TOKEN_STORE=file") {
		t.Fatalf("login without a terminal: exit %d, stderr:\n%s", code, errOut)
	}

	// A terminal: asked once; no is a refusal, yes logs in and is remembered.
	if code, _, errOut := run("n\n", true, "login"); code != cmdutil.ExitFailure || !strings.Contains(errOut, "0600 file in") {
		t.Fatalf("login, answered no: exit %d, stderr:\n%s", code, errOut)
	}
	code, _, errOut = run("y\n", true, "login")
	if code != cmdutil.ExitOK || !strings.Contains(errOut, "[y/N]") || strings.Count(errOut, "tokens are kept in a 0600 file") != 1 {
		t.Fatalf("login, answered yes: exit %d, stderr:\n%s", code, errOut)
	}
	saved, err := config.Load(env["VAT_CONFIG_DIR"])
	if err != nil || saved.Profiles["default"].TokenStore != "file" {
		t.Fatalf("profile after login = %+v (%v)", saved.Profiles["default"], err)
	}
	code, _, errOut = run("", false, "obligations")
	if code != cmdutil.ExitOK || strings.Contains(errOut, "0600") {
		t.Errorf("obligations after login: exit %d, stderr (no file-store warning expected):\n%s", code, errOut)
	}
}

// checkPeriod reads a workbook's period and VRN as 'vat check -o json' reports them.
func (w *world) checkPeriod(path string) (start, end, vrn string, warnings []string) {
	w.t.Helper()
	code, out, errOut := w.run("check", "--workbook", path, "-o", "json")
	if code != cmdutil.ExitOK {
		w.t.Fatalf("check %s: exit %d %s", path, code, errOut)
	}
	var doc struct {
		Period   map[string]string `json:"period"`
		VRN      string            `json:"vrn"`
		Warnings []string          `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		w.t.Fatal(err)
	}
	return doc.Period["start"], doc.Period["end"], doc.VRN, doc.Warnings
}

// vat template writes the workbook for the open period that has ended, with the profile's VRN,
// and says which; offline, --period-end and --vrn say it; vat check warns about the examples.
func TestTemplateIsForTheOpenPeriodThatHasEnded(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := t.TempDir()

	q := filepath.Join(dir, "q.xlsx")
	code, _, errOut := w.run("template", q)
	if code != cmdutil.ExitOK || !strings.Contains(errOut, fmt.Sprintf("for the VAT period %s to %s (HMRC's open period %s",
		cmdutil.HumanDate(w.period.Start), cmdutil.HumanDate(w.period.End), w.period.PeriodKey)) || !strings.Contains(errOut, "VRN "+w.user.VRN) {
		t.Fatalf("template: exit %d, stderr:\n%s", code, errOut)
	}
	start, end, vrn, warnings := w.checkPeriod(q)
	if start != w.period.Start.String() || end != w.period.End.String() || vrn != w.user.VRN {
		t.Errorf("the workbook is for %s..%s VRN %q, want %s..%s VRN %s", start, end, vrn, w.period.Start, w.period.End, w.user.VRN)
	}
	if len(warnings) == 0 || !strings.Contains(strings.Join(warnings, "\n"), "example rows") {
		t.Errorf("check did not warn about the example rows: %q", warnings)
	}
	if code, _, errOut := w.run("check", "--workbook", q); code != cmdutil.ExitOK || !strings.Contains(errOut, "still holds 5 of the template's example rows") {
		t.Errorf("check: exit %d, stderr:\n%s", code, errOut)
	}

	// Offline: the flags say it, and HMRC is not asked.
	off := map[string]string{"VAT_CONFIG_DIR": filepath.Join(dir, "offline"), "VAT_TOKEN_STORE": "file"}
	ios, _, _, errBuf := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return off[k] }
	q2 := filepath.Join(dir, "q2.xlsx")
	if code := Run(context.Background(), []string{"template", q2, "--period-end", "2026-06-30", "--vrn", w.user.VRN}, f); code != cmdutil.ExitOK ||
		!strings.Contains(errBuf.String(), "for the VAT period 1 Apr 2026 to 30 Jun 2026 (as given), VRN "+w.user.VRN) {
		t.Fatalf("offline template: exit %d, stderr:\n%s", code, errBuf)
	}
	if start, end, vrn, _ := w.checkPeriod(q2); start != "2026-04-01" || end != "2026-06-30" || vrn != w.user.VRN {
		t.Errorf("offline workbook is for %s..%s VRN %q", start, end, vrn)
	}
}

// deadlineSpy records how long each request to HMRC was given, as the transport sees it.
type deadlineSpy struct {
	mu    sync.Mutex
	given []time.Duration
}

func (d *deadlineSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	if dl, ok := r.Context().Deadline(); ok {
		d.mu.Lock()
		d.given = append(d.given, time.Until(dl))
		d.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A VAT_HTTP_TIMEOUT longer than a minute is the deadline each request gets: no other, shorter
// timer (pkg/hmrc's own minute) cuts a slow reply first.
func TestHTTPTimeoutLongerThanAMinuteIsHonoured(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.env["VAT_HTTP_TIMEOUT"] = "5m"
	spy := &deadlineSpy{}
	ios, _, _, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return w.env[k] }
	f.BaseTransport = spy
	if code := Run(context.Background(), []string{"obligations"}, f); code != cmdutil.ExitOK {
		t.Fatalf("obligations: exit %d %s", code, errOut)
	}
	spy.mu.Lock()
	defer spy.mu.Unlock()
	if len(spy.given) == 0 {
		t.Fatal("no request carried a deadline")
	}
	for _, d := range spy.given {
		if d <= 4*time.Minute {
			t.Errorf("a request was given %s, want the 5m VAT_HTTP_TIMEOUT asked for", d.Round(time.Second))
		}
	}
}
