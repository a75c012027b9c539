// Package rehearse is `vat sandbox rehearse`: HMRC's production-approval test sequence in one
// command, with a report to send to HMRC's SDS team.
package rehearse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/rehearse"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/ui"
)

// RehearseOptions are the inputs of `vat sandbox rehearse`.
type RehearseOptions struct {
	IO *iostreams.IOStreams
	// Factory provides the user's settings (environment, application credentials, device ID);
	// the rehearsal itself runs with a throw-away Factory of its own.
	Factory *cmdutil.Factory

	ReportDir string
	NoBrowser bool
	// OpenBrowser replaces the system browser for the sandbox sign-in (tests).
	OpenBrowser func(url string) error
	// LoginTimeout bounds the wait for the sign-in; 0 means auth's default.
	LoginTimeout time.Duration
}

// NewCmdRehearse builds `vat sandbox rehearse`; runF, when not nil, replaces the run (for tests).
func NewCmdRehearse(f *cmdutil.Factory, runF func(*RehearseOptions) error) *cobra.Command {
	opts := &RehearseOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "rehearse",
		Short: "Run HMRC's production-approval test sequence and write the evidence report",
		Long: `Run, in one go, the testing HMRC asks for before it issues production credentials for
VAT (MTD), and write the report to send with the email to HMRC's SDS team:

   1  create a test organisation (Create Test User API, mtd-vat)
   2  sign in as it (OAuth 2.0; your browser, or --no-browser to paste the code)
   3  retrieve VAT obligations
   4  write a workbook from the template and read its nine named cells (the digital link)
   5  submit the return for the open period, exactly as 'vat submit' does
   6  retrieve obligations again: the period is now fulfilled
   7  view the return; 8-12 liabilities, payments, penalties, financial details of a
      penalty charge, customer information
  13  validate the fraud prevention headers (Test Fraud Prevention Headers API)
  14  fetch HMRC's validation feedback for every VAT endpoint called

With --env sandbox (the default) the rehearsal uses your sandbox application's credentials
(VAT_CLIENT_ID and VAT_CLIENT_SECRET, or the profile's). The application must be subscribed to
the VAT (MTD), Create Test User and Test Fraud Prevention Headers APIs, and have
http://localhost:PORT registered as a redirect URI. With --env local it runs against the emulator:
the one at --api-url, or one started inside this process.

The report directory gets rehearsal.md, rehearsal.json and rehearsal.html (print it, or attach
it): the time, endpoint, HTTP status and X-CorrelationId of every call, the test user's ID and VRN
(never its password or any token), HMRC's validator result for each endpoint with every error and
warning, HMRC's checklist with pass or fail, and a draft email to HMRC's SDS team.

Your own profile, tokens, journal and receipts are not touched: the rehearsal keeps its login and
journal in a throw-away directory. It reads your device ID, which its headers must carry.

Exits 0 when every step passed, and 1 when any did not; the report says which and why.`,
		Example: `  vat sandbox rehearse --report-dir approval
  vat sandbox rehearse --no-browser          # paste the code HMRC shows instead
  vat sandbox rehearse --env local           # try it offline against the emulator`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return rehearseRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ReportDir, "report-dir", "", "directory for the report (default: ./vat-rehearsal-DATE-TIME)")
	cmd.Flags().BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in address and read the code you paste (sandbox)")
	return cmd
}

func rehearseRun(ctx context.Context, opts *RehearseOptions) error {
	f := opts.Factory
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Env == config.EnvProduction {
		return cmdutil.FlagErrorf("the rehearsal runs in HMRC's sandbox (--env sandbox) or against the emulator (--env local), never in production")
	}
	started := f.Now()
	dir := opts.ReportDir
	if dir == "" {
		dir = "vat-rehearsal-" + started.Format("20060102-150405")
	}
	tmp, err := os.MkdirTemp("", "vat-rehearse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	env, stop, err := rehearsalEnv(ctx, f, s, tmp)
	if err != nil {
		return err
	}
	defer stop()

	rec := &rehearse.Recorder{Base: f.BaseTransport, Now: f.Now, Limit: rate.NewLimiter(hmrcRate, 1)}
	sf := childFactory(f, env, rec)
	cfg, err := sf.OAuthConfig(ctx)
	if err != nil {
		return err
	}
	app, err := sf.AppHMRC(ctx)
	if err != nil {
		return err
	}
	journal, err := sf.Journal()
	if err != nil {
		return err
	}
	defer journal.Close()
	method, err := sf.FraudMethod("")
	if err != nil {
		return err
	}
	e, err := sf.Endpoints()
	if err != nil {
		return err
	}

	st := f.ErrStyles()
	f.Status("%s", st.Title.Render(fmt.Sprintf("Rehearsing HMRC's production-approval tests against %s", e.API)))
	r := &rehearse.Runner{
		App:    app,
		SignIn: func(ctx context.Context, u hmrc.TestUser) (*hmrc.Client, error) { return signIn(ctx, opts, sf, s, u) },
		Scenario: func(ctx context.Context, scenario string) (*hmrc.Client, error) {
			env2 := maps.Clone(env)
			env2["VAT_GOV_TEST_SCENARIO"] = scenario
			return childFactory(f, env2, rec).HMRC(ctx)
		},
		Journal:  journal,
		Dir:      tmp,
		Recorder: rec,
		Now:      f.Now,
		Done: func(step *rehearse.Step) {
			icon, text := st.SuccessIcon(), step.Summary
			switch step.Status {
			case rehearse.Failed:
				icon, text = st.FailureIcon(), step.Error
			case rehearse.Skipped:
				icon, text = "-", step.Error
			}
			head := fmt.Sprintf("%s %2d. ", icon, step.N)
			body := step.Title + ": " + text
			if width := f.ErrWidth(); width > 0 {
				// At a terminal a step's lines hang under its title, clear of the numbers.
				body = ui.WrapWords(body, width, ansi.StringWidth(head))
			}
			f.Status("%s%s", head, body)
		},
		Product: build.ProductName, Version: build.Version, Env: s.Env, APIBase: e.API,
		ClientID: cfg.ClientID, ConnectionMethod: string(method),
	}
	rep, err := r.Run(ctx)
	if err != nil {
		return err
	}
	paths, err := rehearse.Write(dir, rep)
	if err != nil {
		return err
	}
	if err := f.Output(Doc{Report: *rep, Passed: rep.Passed(), files: paths}); err != nil {
		return err
	}
	if !rep.Passed() {
		first := rep.Failures()[0]
		e := &cmdutil.Error{Kind: cmdutil.KindFailure,
			Err:  fmt.Errorf("the rehearsal did not pass: step %d (%s) %s: %s", first.N, first.Title, first.Status, first.Error),
			Hint: first.Advice}
		for _, s := range rep.Failures()[1:] {
			e.Details = append(e.Details, fmt.Sprintf("step %d (%s) %s: %s", s.N, s.Title, s.Status, s.Error))
		}
		e.Details = append(e.Details, "the report is in "+dir)
		return e
	}
	due := rep.Finished.Add(rehearse.ContactWithin)
	f.Status("%s every step passed. Email %s by %s with the draft in %s and the report attached.",
		st.SuccessIcon(), rehearse.SDSTeam, due.Format("2 January 2006"), filepath.Join(dir, rehearse.FileMarkdown))
	if s.Env == config.EnvLocal {
		f.Status("This ran against the emulator: HMRC has no record of it. Run it with --env sandbox for the real evidence.")
	}
	return nil
}

// Doc is `vat sandbox rehearse -o json`: the report as rehearsal.json holds it.
type Doc struct {
	rehearse.Report
	Passed bool `json:"passed"`

	files []string
}

// Text lists the report's files, a path a line, for the user to open or attach.
func (d Doc) Text(w io.Writer, _ cmdutil.Term) error {
	for _, p := range d.files {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	return nil
}

// CSV is the steps, one a row, with what each established or why it failed.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"step", "id", "title", "status", "summary", "error"}}
	for _, s := range d.Steps {
		tbl.Rows = append(tbl.Rows, []string{strconv.Itoa(s.N), s.ID, s.Title, string(s.Status), s.Summary, s.Error})
	}
	return tbl
}

// hmrcRate is HMRC's standard rate limit, requests per second per application.
const hmrcRate = 3

// rehearsalEnv is the environment of the throw-away Factory: the emulator or HMRC's sandbox, the
// application's credentials, a private config dir with the user's device ID. stop ends an
// emulator started here.
func rehearsalEnv(ctx context.Context, f *cmdutil.Factory, s config.Settings, tmp string) (map[string]string, func(), error) {
	stop := func() {}
	cfgDir := filepath.Join(tmp, "config")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		return nil, stop, err
	}
	// The headers must name this device as every other vat command does; creating the ID when
	// missing is what any vat command would do.
	id, err := fraud.LoadDeviceID(s.ConfigDir)
	if err != nil {
		return nil, stop, err
	}
	if err := os.WriteFile(filepath.Join(cfgDir, fraud.DeviceIDFile), []byte(id+"\n"), 0o600); err != nil {
		return nil, stop, err
	}
	env := map[string]string{
		"VAT_ENV": s.Env, "VAT_API_URL": s.APIURL, "VAT_CONFIG_DIR": cfgDir, "VAT_TOKEN_STORE": "file",
		"VAT_FRAUD_METHOD": s.FraudMethod, "NO_COLOR": f.Getenv("NO_COLOR"),
	}
	if s.Env == config.EnvLocal && s.APIURL == "" {
		base, done, err := startEmulator()
		if err != nil {
			return nil, stop, err
		}
		env["VAT_API_URL"], stop = base, done
	}
	if s.Env != config.EnvLocal || s.ClientID != "" {
		// The user's own application: its ID and secret, read from where vat keeps them.
		cfg, err := f.OAuthConfig(ctx)
		if err != nil {
			return nil, stop, err
		}
		env["VAT_CLIENT_ID"], env["VAT_CLIENT_SECRET"] = cfg.ClientID, cfg.ClientSecret
	}
	return env, stop, nil
}

// startEmulator serves a fresh in-memory emulator on a loopback port, as `vat demo` does.
func startEmulator() (string, func(), error) {
	srv, err := sandbox.New(sandbox.Options{RateLimit: 3})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return "", nil, fmt.Errorf("starting the emulator: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }() // ends with ErrServerClosed when stopped
	return "http://" + ln.Addr().String(), func() { hs.Close(); srv.Close() }, nil
}

// childFactory builds the rehearsal's own Factory: its environment only, so the user's VAT_*
// variables cannot steer it at their profile, and every request through the recorder.
func childFactory(parent *cmdutil.Factory, env map[string]string, rec *rehearse.Recorder) *cmdutil.Factory {
	ios := &iostreams.IOStreams{In: parent.IOStreams.In, Out: io.Discard, ErrOut: parent.IOStreams.ErrOut}
	ios.SetColorEnabled(false)
	sf := cmdutil.NewFactory(ios)
	sf.Getenv = func(k string) string { return env[k] }
	sf.Now = parent.Now
	sf.QuietFileStore = true
	sf.BaseTransport = rec
	return sf
}

// signIn gets the test user's tokens into the throw-away store and returns the VAT API client.
func signIn(ctx context.Context, opts *RehearseOptions, sf *cmdutil.Factory, s config.Settings, u hmrc.TestUser) (*hmrc.Client, error) {
	cfg, err := sf.OAuthConfig(ctx)
	if err != nil {
		return nil, err
	}
	store, err := sf.TokenStore(ctx)
	if err != nil {
		return nil, err
	}
	var tok *auth.Token
	if s.Env == config.EnvLocal {
		tok, err = emulatorLogin(sf.OAuthContext(ctx), sf, opts.Factory.BaseTransport, cfg, u)
	} else {
		f := opts.Factory
		// The person signing in needs the password; it goes to the terminal only, never the report.
		f.Status("Sign in to HMRC's sandbox as the test organisation (its Government Gateway organisation account):\n  user ID   %s\n  password  %s", u.UserID, u.Password)
		tok, err = auth.Login(sf.OAuthContext(ctx), auth.LoginOptions{
			Config: cfg, Ports: s.LoginPorts, NoBrowser: opts.NoBrowser, OpenBrowser: opts.OpenBrowser,
			Prompt: f.IOStreams.ErrOut, PastedCode: f.IOStreams.In, Timeout: opts.LoginTimeout, Now: f.Now,
		})
		var te *auth.TimeoutError
		if errors.As(err, &te) {
			err = fmt.Errorf("%w; if HMRC's page said the redirect_uri is invalid, register http://localhost:PORT (PORT one of %s) as a redirect URI of your sandbox application on HMRC's Developer Hub", err, ports(s.LoginPorts))
		}
	}
	if err != nil {
		return nil, err
	}
	key, err := sf.TokenKey(ctx)
	if err != nil {
		return nil, err
	}
	if err := store.Save(ctx, key, tok); err != nil {
		return nil, err
	}
	return sf.HMRC(ctx)
}

func ports(p []int) string {
	if len(p) == 0 {
		p = auth.DefaultPorts()
	}
	s := make([]string, len(p))
	for i, n := range p {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// emulatorLogin runs the real OAuth flow against the emulator, its sign-in forms filled in over
// HTTP as a person would, as `vat demo` does.
func emulatorLogin(ctx context.Context, sf *cmdutil.Factory, base http.RoundTripper, cfg *oauth2.Config, u hmrc.TestUser) (*auth.Token, error) {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The sign-in pages are HMRC's "www" host, not its API, and the callback is our own listener:
	// neither belongs among the API calls of the report.
	browser := &http.Client{Timeout: 10 * time.Second, Transport: base}
	failed := make(chan error, 1)
	tok, err := auth.Login(lctx, auth.LoginOptions{
		Config: cfg,
		Ports:  []int{0},
		OpenBrowser: func(authURL string) error {
			go func() {
				cb, err := sandbox.SignIn(lctx, browser, authURL, u.UserID, u.Password)
				if err == nil {
					var resp *http.Response
					if resp, err = browser.Get(cb.String()); err == nil {
						resp.Body.Close()
					}
				}
				if err != nil {
					var ae *sandbox.AuthorizeError
					if errors.As(err, &ae) && strings.Contains(ae.Description, "redirect_uri") {
						err = &rehearse.RedirectError{RedirectURI: redirectOf(authURL), Err: err}
					}
					failed <- err
					cancel() // no callback will come: stop waiting for it
				}
			}()
			return nil
		},
		Prompt:  io.Discard,
		Timeout: 30 * time.Second,
		Now:     sf.Now,
	})
	if err != nil {
		select {
		case berr := <-failed:
			return nil, fmt.Errorf("signing in: %w", berr)
		default:
		}
	}
	return tok, err
}

func redirectOf(authURL string) string {
	u, err := url.Parse(authURL)
	if err != nil {
		return "the redirect URI"
	}
	return u.Query().Get("redirect_uri")
}
