package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/ui"
)

func newCmdSandbox(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run and use the offline emulator of HMRC's sandbox",
		Long: `The emulator behaves like HMRC's VAT (MTD) sandbox on the wire: OAuth sign-in pages,
the Create Test User API, all eight VAT endpoints with HMRC's real error bodies, Gov-Test-Scenario
values, the Test Fraud Prevention Headers API, and state that behaves like a real account.`,
	}
	cmd.AddCommand(newCmdSandboxServe(f), newCmdSandboxCreateUser(f))
	return cmd
}

type sandboxServeOptions struct {
	Addr      string
	StateDir  string
	RateLimit float64
	Canned    bool
	Faults    []string
	Clients   []string
	Quiet     bool
}

func newCmdSandboxServe(f *Factory) *cobra.Command {
	opts := &sandboxServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HMRC emulator on a local address",
		Long: `Run the HMRC emulator. The first line on stdout is "listening on http://HOST:PORT";
point vat at it with --env local --api-url http://HOST:PORT.

Applications: a built-in one (client ID ` + sandbox.LocalClientID + `, secret ` + sandbox.LocalClientSecret + `)
accepts any http://localhost:PORT redirect; register more with --client ID:SECRET:REDIRECT_URI.

Faults (off by default) make the next matching requests fail, e.g.
  --fault submit=503          one 503 before the submit is processed
  --fault submit=drop-after   store the return, then drop the connection without a reply
  --fault "*=slow:2s"         answer every request after two seconds`,
		Example: `  vat sandbox serve --addr 127.0.0.1:8080 --state ~/.vat-sandbox`,
		Args:    requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return sandboxServeRun(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on (HOST:PORT; port 0 picks a free one)")
	fl.StringVar(&opts.StateDir, "state", "", "directory that keeps users, tokens and returns across restarts (default: memory only)")
	fl.Float64Var(&opts.RateLimit, "rate-limit", 3, "requests per second per application before 429 MESSAGE_THROTTLED_OUT (0 = off)")
	fl.BoolVar(&opts.Canned, "canned", false, "answer with the historic 2017 canned sandbox bodies")
	fl.StringArrayVar(&opts.Faults, "fault", nil, "inject a fault: ENDPOINT=KIND[:N|:DURATION] (repeatable)")
	fl.StringArrayVar(&opts.Clients, "client", nil, "register an application: ID:SECRET:REDIRECT_URI[,REDIRECT_URI...] (repeatable)")
	fl.BoolVar(&opts.Quiet, "quiet", false, "do not log requests to stderr")
	return cmd
}

func sandboxServeRun(ctx context.Context, f *Factory, opts *sandboxServeOptions) error {
	so := sandbox.Options{StateDir: opts.StateDir, RateLimit: opts.RateLimit, Canned: opts.Canned, Now: f.Now}
	if opts.RateLimit < 0 {
		return flagErrorf("--rate-limit must be 0 (off) or more, got %v", opts.RateLimit)
	}
	for _, spec := range opts.Faults {
		ft, err := sandbox.ParseFault(spec)
		if err != nil {
			return flagErrorf("--fault %q: %v", spec, err)
		}
		so.Faults = append(so.Faults, ft)
	}
	for _, spec := range opts.Clients {
		c, err := parseClientSpec(spec)
		if err != nil {
			return flagErrorf("--client %q: %v", spec, err)
		}
		so.Clients = append(so.Clients, c)
	}
	if !opts.Quiet {
		so.Logf = func(format string, args ...any) {
			fmt.Fprintf(f.IOStreams.ErrOut, time.Now().Format("15:04:05 ")+format+"\n", args...)
		}
	}
	srv, err := sandbox.New(so)
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return flagErrorf("--addr %s: %v", opts.Addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(f.IOStreams.Out, "listening on http://%s\n", ln.Addr())

	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		if err := srv.Close(); err != nil {
			return fmt.Errorf("saving emulator state: %w", err)
		}
		fmt.Fprintln(f.IOStreams.ErrOut, "emulator stopped")
		// Stopping a server with Ctrl-C is how it is meant to end, not a failure.
		return nil
	}
}

func parseClientSpec(spec string) (sandbox.Client, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return sandbox.Client{}, errors.New("want ID:SECRET:REDIRECT_URI[,REDIRECT_URI...]")
	}
	return sandbox.Client{ID: parts[0], Secret: parts[1], Name: parts[0], RedirectURIs: strings.Split(parts[2], ",")}, nil
}

type createUserOptions struct {
	Kind     string
	Services []string
	Save     bool
}

func newCmdSandboxCreateUser(f *Factory) *cobra.Command {
	opts := &createUserOptions{}
	cmd := &cobra.Command{
		Use:   "create-user",
		Short: "Create a test user with HMRC's Create Test User API (sandbox or emulator)",
		Long: `Create a test user through HMRC's Create Test User API: an organisation enrolled for
MTD VAT by default. Prints the user ID and password to sign in with ('vat login') and the VRN.
Works against HMRC's sandbox (with your application's client ID and secret) and the emulator.`,
		Example: `  vat sandbox create-user --env local --api-url http://127.0.0.1:8080
  vat sandbox create-user --save      # also store the VRN in the profile`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return createUserRun(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "type", "organisation", "organisation, individual or agent")
	cmd.Flags().StringSliceVar(&opts.Services, "services", []string{"mtd-vat"}, "service names to enrol the user in")
	cmd.Flags().BoolVar(&opts.Save, "save", false, "save the new VRN in the profile")
	return cmd
}

func createUserRun(ctx context.Context, f *Factory, opts *createUserOptions) error {
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Env == "production" && s.APIURL == "" {
		return flagErrorf("test users exist only in HMRC's sandbox: use --env sandbox or --env local")
	}
	client, err := f.AppHMRC(ctx)
	if err != nil {
		return err
	}
	var u *hmrc.TestUser
	switch opts.Kind {
	case "organisation":
		u, _, err = client.CreateTestOrganisation(ctx, opts.Services)
	case "individual":
		u, _, err = client.CreateTestIndividual(ctx, opts.Services)
	case "agent":
		u, _, err = client.CreateTestAgent(ctx, opts.Services)
	default:
		return flagErrorf("--type %q: want organisation, individual or agent", opts.Kind)
	}
	if err != nil {
		return err
	}
	if opts.Save && u.VRN != "" {
		file, err := f.ConfigFile()
		if err != nil {
			return err
		}
		p := file.Profiles[s.Profile]
		p.VRN = u.VRN
		if s.Source["env"] != "default" {
			p.Env = s.Env
		}
		if s.APIURL != "" {
			p.APIURL = s.APIURL
		}
		file.Profiles[s.Profile] = p
		if err := file.Save(s.ConfigDir); err != nil {
			return err
		}
		f.status("saved VRN %s in profile %q", u.VRN, s.Profile)
	}
	if f.jsonOutputRequested() {
		return ui.WriteJSON(f.IOStreams.Out, u)
	}
	w := f.IOStreams.Out
	fmt.Fprintf(w, "userId    %s\npassword  %s\n", u.UserID, u.Password)
	if u.VRN != "" {
		fmt.Fprintf(w, "vrn       %s\n", u.VRN)
	}
	if !u.VATRegistrationDate.IsZero() {
		fmt.Fprintf(w, "vatRegistrationDate  %s\n", u.VATRegistrationDate)
	}
	if u.ARN != "" {
		fmt.Fprintf(w, "arn       %s\n", u.ARN)
	}
	f.status("sign in with these at 'vat login'")
	return nil
}
