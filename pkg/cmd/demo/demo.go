// Package demo is `vat demo`: the whole journey, offline, against a built-in HMRC emulator.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/workbook"
)

// ExecFunc runs one vat command line with a Factory and returns its exit code (root.Run).
type ExecFunc func(ctx context.Context, args []string, f *cmdutil.Factory) int

// DemoOptions are the inputs of `vat demo`.
type DemoOptions struct {
	IO *iostreams.IOStreams
	// Factory is the parent of the Factory each demo step runs with.
	Factory *cmdutil.Factory
	// Exec runs each step as a real vat command.
	Exec ExecFunc

	Keep bool
}

// NewCmdDemo builds `vat demo`; exec runs its steps; runF, when not nil, replaces the run (for tests).
func NewCmdDemo(f *cmdutil.Factory, exec ExecFunc, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{IO: f.IOStreams, Factory: f, Exec: exec}
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "demo",
		Short: "Tour the whole journey offline against a built-in HMRC emulator",
		Long: `Run the quarterly job from start to finish without touching HMRC or anything of yours:
start the HMRC emulator in this process, create a test business, sign in with OAuth, list the
open obligations, write a sample workbook, check it, submit it, show the receipt and read the
return back. Everything lives in a throw-away directory that is removed at the end.`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	})
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "keep the throw-away directory (config, journal, workbook) and print its path")
	return cmd
}

// demo runs real vat commands, each with its own Factory whose environment points at the
// emulator and a private config dir: the demo is the product, not a mock-up of it.
type demo struct {
	parent *cmdutil.Factory
	exec   ExecFunc
	env    map[string]string
	start  time.Time
	step   int
	// out is where the tour is told: the parent's stdout, or nowhere with -o json, when the
	// document at the end is the only output.
	out io.Writer
	// errOut takes the steps' stderr; with -o json it is kept to explain a failed step.
	errOut io.Writer
	doc    Doc
	// intentID is the submission's ID in the demo's journal, once it is read back.
	intentID string
}

// Doc is `vat demo -o json`: what the tour did and what HMRC's emulator answered.
type Doc struct {
	Emulator  string               `json:"emulator" jsonschema:"description=the emulator's base URL\\, gone when the demo ends"`
	VRN       string               `json:"vrn"`
	PeriodKey string               `json:"periodKey"`
	Period    cmdutil.PeriodJSON   `json:"period"`
	Steps     []Step               `json:"steps"`
	Receipt   *cmdutil.ReceiptJSON `json:"receipt,omitempty"`
	Return    *cmdutil.ReturnJSON  `json:"return,omitempty"`
	Kept      string               `json:"kept,omitempty" jsonschema:"description=the directory kept with --keep"`
}

// Step is one vat command the demo ran.
type Step struct {
	Command  string `json:"command"`
	ExitCode int    `json:"exitCode"`
}

// Text is empty: the tour was told as it went.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }

const demoSteps = 7

func demoRun(ctx context.Context, opts *DemoOptions) error {
	f := opts.Factory
	d := &demo{parent: f, exec: opts.Exec, start: time.Now(), out: f.IOStreams.Out, errOut: f.IOStreams.ErrOut, doc: Doc{Steps: []Step{}}}
	asJSON := f.JSONOutput()
	var stepErr bytes.Buffer
	if asJSON {
		d.out, d.errOut = io.Discard, &stepErr
	}
	tmp, err := os.MkdirTemp("", "vat-demo-")
	if err != nil {
		return err
	}
	if opts.Keep {
		d.doc.Kept = tmp
		// Said even when a step failed: the files are kept to look into.
		defer func() { f.Status("\n%s", d.kept(tmp)) }()
	} else {
		defer os.RemoveAll(tmp)
	}
	if err := d.tour(ctx, tmp); err != nil {
		var se *cmdutil.SilentError
		if asJSON && errors.As(err, &se) {
			// The failed step told its stderr, not the user: say which step, with what it said.
			last := d.doc.Steps[len(d.doc.Steps)-1]
			return &cmdutil.Error{Kind: cmdutil.KindFailure, Err: fmt.Errorf("demo step 'vat %s' exited %d", last.Command, last.ExitCode),
				Details: strings.Split(strings.TrimSpace(stepErr.String()), "\n")}
		}
		return err
	}
	if !opts.Keep {
		// The submit step said where its receipt is kept: the demo's own journal, which goes now.
		// The last word says so rather than leave a 'vat receipts show' that finds nothing.
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("removing the demo's directory %s: %w", tmp, err)
		}
		// The path has a line of its own: the sentence then wraps the same whatever its length.
		fmt.Fprintf(d.out, "%s\n  %s\n", d.wrap("Removed the demo's temporary directory with its config, receipt journal and workbook ('vat demo --keep' keeps them):", 0), tmp)
	}
	return f.Output(d.doc)
}

// kept says where the kept files are and how to see the demo's receipt among them.
func (d *demo) kept(tmp string) string {
	s := "kept the demo's files in " + tmp
	if d.intentID != "" {
		s += fmt.Sprintf("; see its receipt with: VAT_CONFIG_DIR=%s vat receipts show %s", filepath.Join(tmp, "config"), d.intentID)
	}
	return s
}

func (d *demo) tour(ctx context.Context, tmp string) error {
	f := d.parent

	// The emulator keeps vat's clock, and its test business is a punctual one registered five
	// years ago, so that the tour tells the same story every time: one return to file.
	srv, err := sandbox.New(sandbox.Options{RateLimit: 3, Now: f.Now, NewUsers: sandbox.UserSpec{
		History: sandbox.HistoryPunctual, VATRegistrationDate: f.Now().AddDate(-5, 0, 0).Format("2006-01-02")}})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	// Serve ends with ErrServerClosed when the demo closes it; there is nothing else to report.
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	d.doc.Emulator = base

	d.env = map[string]string{
		"VAT_ENV": "local", "VAT_API_URL": base, "VAT_CONFIG_DIR": filepath.Join(tmp, "config"),
		"VAT_TOKEN_STORE": "file", "NO_COLOR": f.Getenv("NO_COLOR"),
	}
	title := f.Styles().Title
	fmt.Fprintf(d.out, "%s\n", d.lines(title.Render, d.wrap("vat demo: a quarterly VAT return, start to finish, against the HMRC emulator at "+base, 0)))
	fmt.Fprintln(d.out, "(nothing here reaches HMRC or touches your own files)")

	d.say("Create a test business with HMRC's Create Test User API")
	out, err := d.capture(ctx, "sandbox", "create-user", "--save", "-o", "json")
	if err != nil {
		return err
	}
	var user hmrc.TestUser
	if err := json.Unmarshal(out, &user); err != nil {
		return fmt.Errorf("reading the test user: %w", err)
	}
	d.doc.VRN = user.VRN
	fmt.Fprintf(d.out, "  organisation %q\n  VRN %s, registered for VAT on %s\n", orgName(user), user.VRN, user.VATRegistrationDate)

	d.say("Sign in to HMRC (OAuth 2.0 with PKCE); the emulator's sign-in page is filled in as a person would")
	if err := d.login(ctx, user); err != nil {
		return err
	}

	d.say("vat obligations: what HMRC expects")
	if err := d.run(ctx, "obligations"); err != nil {
		return err
	}
	out, err = d.capture(ctx, "obligations", "-o", "json")
	if err != nil {
		return err
	}
	ob, err := LatestEnded(out, f.Today())
	if err != nil {
		return err
	}
	d.doc.PeriodKey = ob.PeriodKey
	d.doc.Period = cmdutil.PeriodJSON{Start: ob.Start.String(), End: ob.End.String(), Due: ob.Due.String()}

	d.say(fmt.Sprintf("Write a workbook for %s with 'vat template', then keep the books in it: the demo types its own transactions over the example rows, as you would (vat refuses to file the examples)", cmdutil.PeriodLabel(*ob)))
	wb := filepath.Join(tmp, "q.xlsx")
	if err := d.run(ctx, "template", wb); err != nil {
		return err
	}
	if err := FillWorkbook(wb, ob, user.VRN); err != nil {
		return err
	}

	d.say("vat check: the nine boxes and the cells they come from (the digital link)")
	if err := d.run(ctx, "check", "--workbook", wb); err != nil {
		return err
	}

	d.say("vat submit --yes: HMRC's declaration, the submission and the receipt")
	if err := d.run(ctx, "submit", "--workbook", wb, "--yes"); err != nil {
		return err
	}
	if err := d.readReceipt(ctx); err != nil {
		return err
	}

	d.say("vat returns " + ob.PeriodKey + ": the return as HMRC now holds it")
	if err := d.run(ctx, "returns", ob.PeriodKey); err != nil {
		return err
	}
	icon := f.Styles().SuccessIcon()
	fmt.Fprintf(d.out, "\n%s %s\n", f.Styles().Good.Render(icon),
		d.wrap(fmt.Sprintf("the whole journey took %.1f s. Try it for real: vat login, then vat submit --workbook YOUR.xlsx", time.Since(d.start).Seconds()), ansi.StringWidth(icon)+1))
	return nil
}

func (d *demo) say(what string) {
	d.step++
	st := d.parent.Styles()
	n := fmt.Sprintf("[%d/%d]", d.step, demoSteps)
	fmt.Fprintf(d.out, "\n%s %s\n", st.Strong.Render(n), d.lines(st.Title.Render, d.wrap(what, len(n)+1)))
}

// wrap breaks the tour's sentences between words to the width of the terminal it is told on;
// piped, each stays one line. indent is the width already used on the first line.
func (d *demo) wrap(s string, indent int) string {
	ios := d.parent.IOStreams
	if d.out != ios.Out || !ios.IsStdoutTTY() {
		return s
	}
	return ui.WrapWords(s, ios.TerminalWidth(), indent)
}

// lines styles each line apart: a styled block pads its lines to the widest with spaces.
func (d *demo) lines(render func(...string) string, s string) string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = render(l)
	}
	return strings.Join(ls, "\n")
}

// factory builds a Factory for one demo command: the demo's environment only, so the user's own
// VAT_* variables cannot steer it at their real profile.
func (d *demo) factory(out io.Writer) *cmdutil.Factory {
	errOut := d.errOut
	if errOut == nil {
		errOut = d.parent.IOStreams.ErrOut
	}
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut}
	ios.SetColorEnabled(false)
	// A step that writes to the user's terminal draws its tables for that terminal's width.
	parent := d.parent.IOStreams
	if out == parent.Out && parent.IsStdoutTTY() {
		ios.SetStdoutTTY(true)
		ios.SetTerminalWidth(parent.TerminalWidth())
	}
	if errOut == parent.ErrOut && parent.IsStderrTTY() {
		ios.SetStderrTTY(true)
		ios.SetTerminalWidth(parent.TerminalWidth())
	}
	sf := cmdutil.NewFactory(ios)
	sf.Getenv = func(k string) string { return d.env[k] }
	sf.Now = d.parent.Now
	sf.QuietFileStore = true
	return sf
}

func (d *demo) run(ctx context.Context, args ...string) error {
	d.parent.Status("  $ vat %s", strings.Join(args, " "))
	return d.exit(args, d.exec(ctx, args, d.factory(d.out)))
}

func (d *demo) capture(ctx context.Context, args ...string) ([]byte, error) {
	var buf bytes.Buffer
	if err := d.exit(args, d.exec(ctx, args, d.factory(&buf))); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exit records a step and turns its exit code into an error.
func (d *demo) exit(args []string, code int) error {
	d.doc.Steps = append(d.doc.Steps, Step{Command: strings.Join(args, " "), ExitCode: code})
	if code != cmdutil.ExitOK {
		return &cmdutil.SilentError{Code: code}
	}
	return nil
}

// readReceipt puts the receipt just kept, and the return filed, into the demo's document, read
// with 'vat receipts list -o json' as a script would.
func (d *demo) readReceipt(ctx context.Context) error {
	out, err := d.capture(ctx, "receipts", "list", "-o", "json")
	if err != nil {
		return err
	}
	var list struct {
		Receipts []struct {
			ID string `json:"id"`
			cmdutil.ReceiptJSON
			Return cmdutil.ReturnJSON `json:"return"`
		} `json:"receipts"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return fmt.Errorf("reading the receipt back: %w", err)
	}
	if len(list.Receipts) == 0 {
		return errors.New("reading the receipt back: the journal lists no receipt")
	}
	r := list.Receipts[0]
	d.intentID = r.ID
	d.doc.Receipt, d.doc.Return = &r.ReceiptJSON, &r.Return
	return nil
}

// Login signs user in to the emulator named by env (VAT_API_URL and the rest, as a demo step
// sees them) through the real OAuth flow and keeps the tokens in env's config dir. Messages go
// to parent's streams. Tests use it to sign in exactly as the demo does.
func Login(ctx context.Context, parent *cmdutil.Factory, env map[string]string, user hmrc.TestUser) error {
	return (&demo{parent: parent, env: env}).login(ctx, user)
}

// login runs the real OAuth flow; the "browser" is the emulator's HTML forms driven over HTTP.
func (d *demo) login(ctx context.Context, user hmrc.TestUser) error {
	sf := d.factory(io.Discard)
	cfg, err := sf.OAuthConfig(ctx)
	if err != nil {
		return err
	}
	st, err := sf.TokenStore(ctx)
	if err != nil {
		return err
	}
	browser := &http.Client{Timeout: 10 * time.Second}
	opened := make(chan error, 1)
	tok, err := auth.Login(ctx, auth.LoginOptions{
		Config: cfg,
		Ports:  []int{0},
		OpenBrowser: func(u string) error {
			go func() {
				cb, err := sandbox.SignIn(ctx, browser, u, user.UserID, user.Password)
				if err == nil {
					var resp *http.Response
					if resp, err = browser.Get(cb.String()); err == nil {
						resp.Body.Close()
					}
				}
				opened <- err
			}()
			return nil
		},
		Prompt:  io.Discard,
		Timeout: 30 * time.Second,
	})
	if err != nil {
		select {
		case berr := <-opened:
			if berr != nil {
				return fmt.Errorf("signing in: %w", berr)
			}
		default:
		}
		return err
	}
	key, err := sf.TokenKey(ctx)
	if err != nil {
		return err
	}
	if err := st.Save(ctx, key, tok); err != nil {
		return err
	}
	out := d.out
	if out == nil {
		out = d.parent.IOStreams.Out
	}
	fmt.Fprintf(out, "  %s\n", d.wrap(fmt.Sprintf("signed in as %s; authority granted until %s (tokens kept in the demo's own store)",
		user.UserID, tok.AuthorityExpiry.Format("2 Jan 2006")), 2))
	return nil
}

func orgName(u hmrc.TestUser) string {
	if u.OrganisationDetails != nil && u.OrganisationDetails.Name != "" {
		return u.OrganisationDetails.Name
	}
	return u.UserFullName
}

// LatestEnded picks the most recent open obligation whose period has ended: the one an
// accountant would be filing now.
func LatestEnded(obligationsJSON []byte, today hmrc.Date) (*hmrc.Obligation, error) {
	var doc struct {
		Obligations []hmrc.Obligation `json:"obligations"`
	}
	if err := json.Unmarshal(obligationsJSON, &doc); err != nil {
		return nil, err
	}
	var best *hmrc.Obligation
	for i, o := range doc.Obligations {
		if o.End.Before(today) && (best == nil || o.End.After(best.End)) {
			best = &doc.Obligations[i]
		}
	}
	if best == nil {
		return nil, errors.New("the emulator lists no open obligation that has ended")
	}
	return best, nil
}

// FillWorkbook sets the template's PeriodStart, PeriodEnd and VRN cells, found through their
// defined names like everything else vat reads, dates the example ledger into the period and
// keeps it as the demo business's own books (the examples' marker removed), so that the demo
// files what 'vat submit --yes' would accept from a real business.
func FillWorkbook(path string, ob *hmrc.Obligation, vrn string) error {
	if err := workbook.FillTemplate(path, ob.Start.Time(), ob.End.Time(), vrn); err != nil {
		return err
	}
	return workbook.ReplaceExamples(path)
}
