// Package login is `vat login`: the OAuth grant of authority to use HMRC's VAT API.
package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// LoginOptions are the inputs of `vat login`.
type LoginOptions struct {
	IO *iostreams.IOStreams
	// Factory provides the settings, token store and OAuth configuration, built lazily.
	Factory *cmdutil.Factory

	NoBrowser  bool
	Port       int
	SaveSecret bool

	// OpenBrowser replaces the system browser; nil means github.com/cli/browser.
	OpenBrowser func(url string) error
	// Timeout bounds the wait for the user; zero means auth's default.
	Timeout time.Duration
}

// NewCmdLogin builds `vat login`; runF, when not nil, replaces the run (for tests).
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{IO: f.IOStreams, Factory: f, OpenBrowser: f.OpenBrowser}
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "login",
		Short: "Grant vat authority to use HMRC's VAT API for this profile",
		Long: `Sign in to HMRC in your browser and grant vat authority to read and file VAT returns.

Sign in with the business's VAT Government Gateway organisation account, or, if you are an agent,
with your Agent Services Account. HMRC sends the browser back to vat on this computer
(http://localhost:PORT/callback); with --no-browser, vat prints the address to open anywhere and
asks you to paste the code HMRC shows.

The authority lasts 18 months. vat keeps the tokens in the OS keyring (or a 0600 file with
--token-store file) and refreshes them by itself; run 'vat login' again when it says so (exit 4).

Agents (accountants filing for clients):
  1. Sign in with your Agent Services Account, not a client's or a personal account. Get one at
     https://www.gov.uk/guidance/get-an-hmrc-agent-services-account
  2. Each client authorises you for Making Tax Digital for VAT: you send the request from your
     Agent Services Account and the client accepts it online
     (https://www.gov.uk/guidance/client-authorisation-an-overview). Until then HMRC answers
     CLIENT_OR_AGENT_NOT_AUTHORISED for that client's VRN.
  3. Use a profile for the practice: 'vat login --profile practice', set agent = true in that
     profile (HMRC's agent declaration is then shown), and add the clients with 'vat clients'.
  One sign-in serves every client: 'vat obligations --all-clients', 'vat submit --all-clients'.
  In the emulator: 'vat sandbox create-user --type agent --save', then
  'vat sandbox authorise --agent USER_ID VRN...' stands in for the clients' acceptance.`,
		Example: `  vat login
  vat login --no-browser          # over SSH or on a machine without a browser
  VAT_CLIENT_SECRET=... vat login --save-secret
  vat login --profile practice    # an agent: sign in with the Agent Services Account`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Port < 0 || opts.Port > 65535 {
				return cmdutil.FlagErrorf("--port %d: want a port number", opts.Port)
			}
			if opts.NoBrowser && cmd.Flags().Changed("port") {
				return cmdutil.FlagErrorf("--port and --no-browser do not go together: --no-browser receives no redirect")
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	})
	cmd.Flags().BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in address and read the code you paste")
	cmd.Flags().IntVar(&opts.Port, "port", 0, "loopback port registered as your application's redirect URI (default: the profile's login_ports, else 53682, 53683, 53684)")
	cmd.Flags().BoolVar(&opts.SaveSecret, "save-secret", false, "keep the client secret from VAT_CLIENT_SECRET in the token store for later runs")
	return cmd
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	f := opts.Factory
	f.AllowNewProfile()
	f.OfferFileStore()
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
			return cmdutil.FlagErrorf("--save-secret keeps the secret from VAT_CLIENT_SECRET, which is not set")
		}
		if err := auth.SaveSecret(ctx, st, cmdutil.ClientSecretKey(s.Profile), secret); err != nil {
			return fmt.Errorf("save client secret: %w", err)
		}
		f.Status("client secret saved in the %s store for profile %s", st.Kind(), s.Profile)
	}
	cfg, err := f.OAuthConfig(ctx)
	if err != nil {
		return err
	}
	ports := s.LoginPorts
	if opts.Port != 0 {
		ports = []int{opts.Port}
	}
	tok, err := auth.Login(f.OAuthContext(ctx), auth.LoginOptions{
		Config:      cfg,
		Ports:       ports,
		NoBrowser:   opts.NoBrowser,
		OpenBrowser: opts.OpenBrowser,
		Prompt:      f.IOStreams.ErrOut,
		PastedCode:  f.IOStreams.In,
		Timeout:     opts.Timeout,
		Now:         f.Now,
	})
	if err != nil {
		if errors.Is(err, auth.ErrAccessDenied) {
			return cmdutil.WithKind(cmdutil.KindAuth, err, "run 'vat login' again and choose to give permission")
		}
		return err
	}
	key, err := f.TokenKey(ctx)
	if err != nil {
		return err
	}
	if err := st.Save(ctx, key, tok); err != nil {
		return fmt.Errorf("save tokens (you are not logged in): %w", err)
	}
	// Two lines, each under 80 columns for the usual profile names.
	f.Status("%s logged in: profile %s, tokens in the %s store\n  HMRC's authority lasts until %s",
		f.ErrStyles().SuccessIcon(), s.Profile, st.Kind(), tok.AuthorityExpiry.Local().Format("2 Jan 2006"))
	f.WarnFileStore(st)
	saved, err := rememberProfile(f, s)
	if err != nil {
		return err
	}
	doc := Doc{Profile: s.Profile, Environment: s.Env, TokenStore: st.Kind(), Scope: tok.Scope, SecretSaved: opts.SaveSecret, ProfileSaved: saved}
	if !tok.AuthorityExpiry.IsZero() {
		t := tok.AuthorityExpiry.UTC()
		doc.AuthorityExpiry = &t
	}
	return f.Output(doc)
}

// Doc is `vat login -o json`. It never holds a token.
type Doc struct {
	Profile         string     `json:"profile"`
	Environment     string     `json:"environment"`
	TokenStore      string     `json:"tokenStore"`
	AuthorityExpiry *time.Time `json:"authorityExpiry,omitempty" jsonschema:"description=when the 18-month authority ends and 'vat login' is needed again"`
	Scope           string     `json:"scope,omitempty"`
	SecretSaved     bool       `json:"secretSaved"`
	ProfileSaved    bool       `json:"profileSaved" jsonschema:"description=whether the settings given (environment\\, API URL\\, VRN\\, client ID\\, token store) were saved in the profile"`
}

// Text is empty: people were told on stderr, with the sign-in prompts.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }

// rememberProfile saves into the profile the settings the user gave on this command line or in
// the environment (environment, API URL, VRN, client ID, token store), so that the next command
// reaches the same HMRC account without repeating them. Defaults are not written.
func rememberProfile(f *cmdutil.Factory, s config.Settings) (bool, error) {
	file, err := f.ConfigFile()
	if err != nil {
		return false, err
	}
	p, known := file.Profiles[s.Profile]
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
	// The message names what was saved, and only that: an agent's profile has no VRN.
	var saved []string
	for _, c := range []struct {
		what          string
		before, after string
	}{
		{"environment", before.Env, p.Env}, {"API URL", before.APIURL, p.APIURL}, {"VRN", before.VRN, p.VRN},
		{"client ID", before.ClientID, p.ClientID}, {"token store", before.TokenStore, p.TokenStore},
	} {
		if c.before != c.after {
			saved = append(saved, c.what)
		}
	}
	if known && len(saved) == 0 {
		return false, nil
	}
	file.Profiles[s.Profile] = p
	if err := file.Save(s.ConfigDir); err != nil {
		return false, fmt.Errorf("saving profile %s: %w", s.Profile, err)
	}
	if len(saved) == 0 {
		f.Status("saved profile %s in %s", s.Profile, s.ConfigDir)
	} else {
		f.Status("saved the %s of profile %s in %s", englishList(saved), s.Profile, s.ConfigDir)
	}
	return true, nil
}

// englishList joins words as a sentence does: "a", "a and b", "a, b and c".
func englishList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
