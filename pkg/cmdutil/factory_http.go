package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/httpsafe"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// defaultHTTPTimeout bounds one HTTP exchange. A submit that outlives it has an unknown outcome
// and is reconciled, so it must be long enough for a slow HMRC on deadline day.
const defaultHTTPTimeout = 60 * time.Second

// Endpoints resolves the API, authorize and token URLs for the settings.
func (f *Factory) Endpoints() (config.Endpoints, error) {
	s, err := f.Settings()
	if err != nil {
		return config.Endpoints{}, err
	}
	e, err := config.ResolveEndpoints(s.Env, s.APIURL)
	if err != nil {
		return e, &FlagError{Err: err}
	}
	return e, nil
}

// TokenStore opens the profile's token store once per run.
func (f *Factory) TokenStore(ctx context.Context) (auth.Store, error) {
	if f.store != nil {
		return f.store, nil
	}
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	open := f.OpenStore
	if open == nil {
		open = auth.OpenStore
	}
	st, err := open(ctx, s.TokenStore, s.ConfigDir)
	if errors.Is(err, auth.ErrNoKeyring) && s.TokenStore == auth.KindAuto {
		st, err = f.offerFileStore(ctx, s, open, err)
	}
	if err != nil {
		return nil, err
	}
	f.store = st
	return st, nil
}

// TokenKey is the store key of the profile's tokens for its environment (and API URL). A token
// an older vat stored under the bare profile name is moved to it when its issuer is certain: the
// profile's own environment with no URL override.
func (f *Factory) TokenKey(ctx context.Context) (string, error) {
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	key, err := auth.TokenKey(s.Profile, s.Env, s.APIURL)
	if err != nil {
		return "", &FlagError{Err: err}
	}
	if src := s.Source["env"]; (src == "profile" || src == "default") && s.APIURL == "" {
		st, err := f.TokenStore(ctx)
		if err != nil {
			return "", err
		}
		e, err := f.Endpoints()
		if err != nil {
			return "", err
		}
		if _, err := auth.MigrateLegacyToken(ctx, st, s.Profile, key, e.API); err != nil {
			return "", err
		}
	}
	return key, nil
}

// offerFileStore is what 'auto' does when no OS keyring answers: it never falls back to a plain
// file by itself, but at login on a terminal it asks, in one step, and remembers a yes in the
// profile; everywhere else it says exactly how to choose the file store.
func (f *Factory) offerFileStore(ctx context.Context, s config.Settings, open func(context.Context, string, string) (auth.Store, error), cause error) (auth.Store, error) {
	dir := filepath.Join(s.ConfigDir, "tokens")
	refusal := &Error{Kind: KindFailure,
		Err:  fmt.Errorf("no OS keyring answers on this machine, and vat never keeps tokens in a file unasked (%w)", cause),
		Hint: fmt.Sprintf("to keep them in a 0600 file in %s, add --token-store file or set VAT_TOKEN_STORE=file (or unlock your desktop keyring and try again)", dir)}
	if !f.offerFile || !f.IOStreams.CanPrompt() {
		return nil, refusal
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "No OS keyring answers on this machine (is it headless?).\n")
	ok, err := f.IOStreams.Confirm(fmt.Sprintf("Keep the tokens of profile %s in a 0600 file in %s instead?", s.Profile, dir))
	if err != nil && !errors.Is(err, iostreams.ErrNoAnswer) {
		return nil, err
	}
	if !ok {
		return nil, refusal
	}
	st, err := open(ctx, auth.KindFile, s.ConfigDir)
	if err != nil {
		return nil, err
	}
	file, err := f.ConfigFile()
	if err != nil {
		return nil, err
	}
	p := file.Profiles[s.Profile]
	p.TokenStore = auth.KindFile
	file.Profiles[s.Profile] = p
	if err := file.Save(s.ConfigDir); err != nil {
		return nil, fmt.Errorf("remembering the file store in profile %s: %w", s.Profile, err)
	}
	f.Status("profile %s now keeps its tokens in %s (token_store = \"file\" in %s)", s.Profile, dir, filepath.Join(s.ConfigDir, config.FileName))
	return st, nil
}

// WarnFileStore says where the tokens of a file store are. Login calls it: once, when tokens
// are written there, rather than on every command that reads them.
func (f *Factory) WarnFileStore(st auth.Store) {
	s, err := f.Settings()
	if err != nil || st.Kind() != auth.KindFile || f.QuietFileStore {
		return
	}
	// HMRC's refresh tokens sit in a plain 0600 file: say so, never silently.
	whose := "this business"
	if p, err := f.Profile(); err == nil && p.Agent {
		whose = "your clients" // an agent's sign-in files for every client who authorised it
	}
	f.Status("%s the tokens are kept in a 0600 file in %s (--token-store file): anyone who can read your files can file returns for %s",
		f.ErrStyles().Warn.Render(f.ErrStyles().WarningIcon()), filepath.Join(s.ConfigDir, "tokens"), whose)
}

// clientSecretKey is the token-store key of a profile's client secret.
func ClientSecretKey(profile string) string { return profile + ".client-secret" }

// usesEmulator reports whether the profile talks to the emulator, whose built-in application
// needs no registration.
func usesEmulator(s config.Settings) bool { return s.Env == config.EnvLocal }

// OAuthConfig builds the OAuth client for the profile: client ID from --profile settings or
// VAT_CLIENT_ID, secret from VAT_CLIENT_SECRET or the token store.
func (f *Factory) OAuthConfig(ctx context.Context) (*oauth2.Config, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	e, err := f.Endpoints()
	if err != nil {
		return nil, err
	}
	id, secret := s.ClientID, f.Getenv("VAT_CLIENT_SECRET")
	if id == "" && usesEmulator(s) {
		id, secret = sandbox.LocalClientID, sandbox.LocalClientSecret
	}
	if err := config.CheckClientID(s.Env, id); err != nil {
		return nil, &FlagError{Err: err}
	}
	if id == "" {
		return nil, WithKind(KindAuth, errors.New("no HMRC application client ID"),
			"register an application on HMRC's Developer Hub, then set VAT_CLIENT_ID and VAT_CLIENT_SECRET (or use 'vat demo' / --env local to try vat offline)")
	}
	if secret == "" {
		st, err := f.TokenStore(ctx)
		if err != nil {
			return nil, err
		}
		secret, err = auth.LoadSecret(ctx, st, ClientSecretKey(s.Profile))
		if errors.Is(err, auth.ErrNotFound) {
			return nil, WithKind(KindAuth, errors.New("no client secret for this application"),
				"set VAT_CLIENT_SECRET, or save it with 'vat login --save-secret'")
		}
		if err != nil {
			return nil, err
		}
	}
	return &oauth2.Config{
		ClientID:     id,
		ClientSecret: secret,
		Endpoint:     oauth2.Endpoint{AuthURL: e.Authorize, TokenURL: e.Token, AuthStyle: oauth2.AuthStyleInParams},
		Scopes:       []string{auth.ScopeReadVAT, auth.ScopeWriteVAT},
	}, nil
}

// baseTransport is the innermost transport, traced when --debug is on.
func (f *Factory) baseTransport() http.RoundTripper {
	s, _ := f.Settings()
	if s.Debug {
		return &hmrc.DebugTransport{Base: f.BaseTransport, Out: f.IOStreams.ErrOut}
	}
	return f.BaseTransport
}

// oauthContext makes x/oauth2's own token requests use our transport (and its debug trace).
func (f *Factory) OAuthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, httpsafe.Client(&http.Client{Transport: f.baseTransport(), Timeout: f.HTTPTimeout()}))
}

// HTTPTimeout bounds one HTTP exchange with HMRC: VAT_HTTP_TIMEOUT, else a minute.
func (f *Factory) HTTPTimeout() time.Duration {
	if v := f.Getenv("VAT_HTTP_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return d
		}
	}
	return defaultHTTPTimeout
}

// FraudCollector collects the facts behind the fraud-prevention headers, once per run:
// FraudFacts when set, else this device's.
func (f *Factory) FraudCollector() (fraud.Collector, error) {
	if f.FraudFacts != nil {
		return f.FraudFacts, nil
	}
	if f.collector != nil {
		return f.collector, nil
	}
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	f.collector = fraud.NewSystemCollector(s.ConfigDir, fraud.DefaultVendor())
	return f.collector, nil
}

// fraudTransport wraps next with the profile's fraud-prevention headers, so that no request to
// HMRC can leave without them.
func (f *Factory) fraudTransport(next http.RoundTripper) (http.RoundTripper, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	method := s.FraudMethod
	if f.methodOverride != "" {
		method = f.methodOverride
	}
	m, err := fraud.ParseMethod(method)
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	c, err := f.FraudCollector()
	if err != nil {
		return nil, err
	}
	return &fraud.Transport{Base: next, Method: m, Collector: c, Now: f.Now}, nil
}

func (f *Factory) hmrcOptions() ([]hmrc.Option, error) {
	e, err := f.Endpoints()
	if err != nil {
		return nil, err
	}
	// The client's per-attempt timeout is the only one on API calls (their http.Client has
	// none): two timers would let the shorter silently win over VAT_HTTP_TIMEOUT.
	opts := []hmrc.Option{hmrc.WithBaseURL(e.API), hmrc.WithRequestTimeout(f.HTTPTimeout())}
	if f.rateLimit > 0 {
		opts = append(opts, hmrc.WithRateLimit(f.rateLimit))
	}
	sc, err := f.TestScenario()
	if err != nil {
		return nil, err
	}
	if sc != "" {
		opts = append(opts, hmrc.WithGovTestScenario(sc))
	}
	return append(opts, f.HMRCOptions...), nil
}

// HMRC returns the client for user-restricted calls (the VAT API): OAuth bearer token from the
// profile's token store (refreshed and saved as needed), fraud-prevention headers, debug trace.
func (f *Factory) HMRC(ctx context.Context) (*hmrc.Client, error) {
	if f.client != nil {
		return f.client, nil
	}
	ts, err := f.TokenSource(ctx)
	if err != nil {
		return nil, err
	}
	ft, err := f.fraudTransport(f.baseTransport())
	if err != nil {
		return nil, err
	}
	// Redirects are refused: HMRC's API never redirects, and following one would carry the
	// bearer token (and a return) to another host.
	hc := httpsafe.Client(&http.Client{Transport: &auth.Transport{Source: ts, Base: ft}})
	opts, err := f.hmrcOptions()
	if err != nil {
		return nil, err
	}
	f.client = hmrc.NewClient(hc, opts...)
	return f.client, nil
}

// TokenSource serves the profile's stored access token, refreshing it (and saving the new one)
// when it has expired; it is how the API clients and 'vat status' use the stored authority.
func (f *Factory) TokenSource(ctx context.Context) (*auth.TokenSource, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	// A refused scenario is a usage error, found before the keyring or HMRC is asked.
	if _, err := f.TestScenario(); err != nil {
		return nil, err
	}
	cfg, err := f.OAuthConfig(ctx)
	if err != nil {
		return nil, err
	}
	st, err := f.TokenStore(ctx)
	if err != nil {
		return nil, err
	}
	key, err := f.TokenKey(ctx)
	if err != nil {
		return nil, err
	}
	e, err := f.Endpoints()
	if err != nil {
		return nil, err
	}
	// The token source outlives this call's context: it refreshes whenever a request needs it.
	return auth.NewTokenSource(f.OAuthContext(context.WithoutCancel(ctx)), cfg, st, key, s.ConfigDir,
		auth.WithIssuer(e.API),
		auth.WithSaveFailure(func(err error) { f.Status("%s %v", f.ErrStyles().Warn.Render(f.ErrStyles().WarningIcon()), err) })), nil
}

// AppHMRC returns a client for application-restricted calls (Create Test User, the Test Fraud
// Prevention Headers API), authorised with a client-credentials token.
func (f *Factory) AppHMRC(ctx context.Context) (*hmrc.Client, error) {
	cfg, err := f.OAuthConfig(ctx)
	if err != nil {
		return nil, err
	}
	cc := &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.Endpoint.TokenURL, AuthStyle: oauth2.AuthStyleInParams}
	ft, err := f.fraudTransport(f.baseTransport())
	if err != nil {
		return nil, err
	}
	hc := httpsafe.Client(&http.Client{Transport: roundTripperOnly{&oauth2.Transport{Source: cc.TokenSource(f.OAuthContext(context.WithoutCancel(ctx))), Base: ft}}})
	opts, err := f.hmrcOptions()
	if err != nil {
		return nil, err
	}
	return hmrc.NewClient(hc, opts...), nil
}

// roundTripperOnly hides oauth2.Transport's deprecated CancelRequest: http.Client calls it when a
// timeout fires, and it logs a deprecation notice to stderr that users must not see.
type roundTripperOnly struct{ http.RoundTripper }
