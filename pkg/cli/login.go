package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/config"
)

type loginOptions struct {
	NoBrowser  bool
	Port       int
	SaveSecret bool

	// openBrowser replaces the system browser in tests; nil means github.com/cli/browser.
	openBrowser func(url string) error
	timeout     time.Duration
}

func newCmdLogin(f *Factory, runF func(*loginOptions) error) *cobra.Command {
	opts := &loginOptions{}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Grant vat authority to use HMRC's VAT API for this profile",
		Long: `Sign in to HMRC in your browser and grant vat authority to read and file VAT returns.

Sign in with the business's VAT Government Gateway organisation account, or, if you are an agent,
with your Agent Services Account. HMRC sends the browser back to vat on this computer
(http://localhost:PORT/callback); with --no-browser, vat prints the address to open anywhere and
asks you to paste the code HMRC shows.

The authority lasts 18 months. vat keeps the tokens in the OS keyring (or a 0600 file with
--token-store file) and refreshes them by itself; run 'vat login' again when it says so (exit 4).`,
		Example: `  vat login
  vat login --no-browser          # over SSH or on a machine without a browser
  VAT_CLIENT_SECRET=... vat login --save-secret`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Port < 0 || opts.Port > 65535 {
				return flagErrorf("--port %d: want a port number", opts.Port)
			}
			if opts.NoBrowser && cmd.Flags().Changed("port") {
				return flagErrorf("--port and --no-browser do not go together: --no-browser receives no redirect")
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in address and read the code you paste")
	cmd.Flags().IntVar(&opts.Port, "port", 0, "loopback port registered as your application's redirect URI (default: the profile's login_ports, else 53682, 53683, 53684)")
	cmd.Flags().BoolVar(&opts.SaveSecret, "save-secret", false, "keep the client secret from VAT_CLIENT_SECRET in the token store for later runs")
	return cmd
}

func loginRun(ctx context.Context, f *Factory, opts *loginOptions) error {
	s, err := f.Settings()
	if err != nil {
		return err
	}
	st, err := f.TokenStore(ctx)
	if err != nil {
		return err
	}
	if opts.SaveSecret {
		secret := f.Getenv("VAT_CLIENT_SECRET")
		if secret == "" {
			return flagErrorf("--save-secret keeps the secret from VAT_CLIENT_SECRET, which is not set")
		}
		if err := auth.SaveSecret(ctx, st, clientSecretKey(s.Profile), secret); err != nil {
			return fmt.Errorf("save client secret: %w", err)
		}
		f.status("client secret saved in the %s store for profile %s", st.Kind(), s.Profile)
	}
	cfg, err := f.OAuthConfig(ctx)
	if err != nil {
		return err
	}
	ports := s.LoginPorts
	if opts.Port != 0 {
		ports = []int{opts.Port}
	}
	tok, err := auth.Login(f.oauthContext(ctx), auth.LoginOptions{
		Config:      cfg,
		Ports:       ports,
		NoBrowser:   opts.NoBrowser,
		OpenBrowser: opts.openBrowser,
		Prompt:      f.IOStreams.ErrOut,
		PastedCode:  f.IOStreams.In,
		Timeout:     opts.timeout,
		Now:         f.Now,
	})
	if err != nil {
		if errors.Is(err, auth.ErrAccessDenied) {
			return withKind(KindAuth, err, "run 'vat login' again and choose to give permission")
		}
		return err
	}
	if err := st.Save(ctx, s.Profile, tok); err != nil {
		return fmt.Errorf("save tokens (you are not logged in): %w", err)
	}
	f.status("%s logged in: profile %s, tokens in the %s store, authority until %s",
		f.ErrStyles().SuccessIcon(), s.Profile, st.Kind(), tok.AuthorityExpiry.Local().Format("2 Jan 2006"))
	return f.rememberProfile(s)
}

// rememberProfile saves into the profile the settings the user gave on this command line or in
// the environment (environment, API URL, VRN, client ID, token store), so that the next command
// reaches the same HMRC account without repeating them. Defaults are not written.
func (f *Factory) rememberProfile(s config.Settings) error {
	file, err := f.ConfigFile()
	if err != nil {
		return err
	}
	p := file.Profiles[s.Profile]
	before := p
	given := func(key string) bool { return s.Source[key] == "flag" || s.Source[key] == "env" }
	if given("env") {
		p.Env = s.Env
	}
	if given("api-url") {
		p.APIURL = s.APIURL
	}
	if given("vrn") {
		p.VRN = s.VRN
	}
	if given("client-id") {
		p.ClientID = s.ClientID
	}
	if given("token-store") {
		p.TokenStore = s.TokenStore
	}
	if p.Env == before.Env && p.APIURL == before.APIURL && p.VRN == before.VRN && p.ClientID == before.ClientID && p.TokenStore == before.TokenStore {
		return nil
	}
	file.Profiles[s.Profile] = p
	if err := file.Save(s.ConfigDir); err != nil {
		return fmt.Errorf("saving profile %s: %w", s.Profile, err)
	}
	f.status("saved the environment, VRN and store of profile %s in %s", s.Profile, s.ConfigDir)
	return nil
}
