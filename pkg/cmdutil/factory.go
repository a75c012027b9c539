// Package cmdutil holds what vat's commands share: the Factory of lazily built dependencies
// (settings, token store, HMRC clients, journal), the error kinds and their exit codes, output
// helpers, and the flags and tables used by several commands.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// Factory carries what commands depend on. Expensive or fallible pieces are built lazily, so
// `vat version` works with a broken config file and `vat check` never touches the keyring.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Getenv    func(string) string
	Now       func() time.Time

	// BaseTransport is the innermost HTTP transport; the demo and tests swap in one that
	// reaches an in-process emulator.
	BaseTransport http.RoundTripper

	// QuietFileStore drops the file-store warning, for the demo's throw-away store.
	QuietFileStore bool

	// HMRCOptions are added to every HMRC client's options; tests that do not measure pacing turn
	// the 3 requests/second limiter off with hmrc.WithRateLimit(0).
	HMRCOptions []hmrc.Option

	// OpenStore opens a token store (auth.OpenStore when nil); tests play a machine without an
	// OS keyring with it.
	OpenStore func(ctx context.Context, kind, configDir string) (auth.Store, error)

	// OpenBrowser replaces the system browser for 'vat login'; nil means the system browser.
	// Tests sign in through the emulator's forms with it.
	OpenBrowser func(url string) error

	// FraudFacts supplies the facts behind the fraud-prevention headers; nil means this device's,
	// read by fraud.NewSystemCollector. Tests fix them so that the headers are the same on every
	// machine.
	FraudFacts fraud.Collector

	flags     *pflag.FlagSet
	args      []string // the raw command line, for errors raised before flags are parsed
	store     auth.Store
	collector fraud.Collector
	client    *hmrc.Client
	// methodOverride, when set, overrides the settings' connection method (fraud-headers --method).
	methodOverride string
	// rateLimit, when above 0, is the requests a second of this run's HMRC clients (--rate).
	rateLimit float64

	// offerFile lets 'auto' offer the file store when no keyring answers (login).
	offerFile bool
	// newProfileOK lets this run use a profile that config.toml does not hold yet (login creates it).
	newProfileOK bool

	once     sync.Once
	settings config.Settings
	file     *config.File
	err      error
}

// NewFactory wires the production dependencies.
func NewFactory(ios *iostreams.IOStreams) *Factory {
	return &Factory{
		IOStreams:     ios,
		Getenv:        os.Getenv,
		Now:           time.Now,
		BaseTransport: http.DefaultTransport,
	}
}

// Settings resolves the global options once: flags, then environment, then the profile file.
func (f *Factory) Settings() (config.Settings, error) {
	f.once.Do(func() {
		in := config.Inputs{Flags: map[string]config.Flag{}, Getenv: f.Getenv, Load: config.Load, DefDir: config.DefaultDir}
		if f.flags != nil {
			f.flags.VisitAll(func(fl *pflag.Flag) {
				in.Flags[fl.Name] = config.Flag{Value: fl.Value.String(), Changed: fl.Changed}
			})
		}
		f.settings, f.file, f.err = config.Resolve(in)
		var se *config.SettingError
		if errors.As(f.err, &se) {
			f.err = &FlagError{Err: f.err}
		}
		if v := f.Getenv("VAT_HTTP_TIMEOUT"); f.err == nil && v != "" {
			// A typo here would otherwise be ignored for the one-minute default, silently.
			if d, err := time.ParseDuration(v); err != nil || d <= 0 {
				f.err = FlagErrorf("VAT_HTTP_TIMEOUT %q: want a positive duration such as 90s or 2m", v)
			}
		}
		if f.err == nil && f.settings.NewProfile && !f.newProfileOK {
			f.err = unknownProfile(f.settings, f.file)
		}
		if f.err == nil && f.settings.NoColor {
			f.IOStreams.SetColorEnabled(false)
		}
	})
	return f.settings, f.err
}

// OfferFileStore lets this run ask, on a terminal, to keep tokens in a file when the token store
// is 'auto' and no OS keyring answers. Login calls it: that is when a store is chosen.
func (f *Factory) OfferFileStore() { f.offerFile = true }

// AllowNewProfile lets this run create the profile it names (vat login, sandbox create-user
// --save); every other command refuses a profile config.toml does not hold, since an empty one
// would silently talk to another account or none. Call it before anything resolves the settings.
func (f *Factory) AllowNewProfile() { f.newProfileOK = true }

func unknownProfile(s config.Settings, file *config.File) error {
	known := append([]string{"default"}, file.ProfileNames()...)
	slices.Sort(known)
	known = slices.Compact(known)
	where := s.Source["profile"]
	if where == "env" {
		where = "VAT_PROFILE"
	} else {
		where = "--profile"
	}
	return &Error{Kind: KindUsage,
		Err:  fmt.Errorf("%s %q: no such profile in %s; known profiles: %s", where, s.Profile, filepath.Join(s.ConfigDir, config.FileName), strings.Join(known, ", ")),
		Hint: fmt.Sprintf("check the spelling, or create it with 'vat --profile %s login'", s.Profile)}
}

// WithProfile makes the commands quoted in text ('vat login') name the profile this run uses,
// so that following a hint reaches the same account.
func (f *Factory) WithProfile(text string) string {
	if f.err != nil || f.settings.Profile == "" || f.settings.Profile == "default" {
		return text
	}
	return strings.ReplaceAll(text, "'vat ", "'vat --profile "+f.settings.Profile+" ")
}

// ConfigFile returns the parsed config.toml (after Settings succeeded).
func (f *Factory) ConfigFile() (*config.File, error) {
	if _, err := f.Settings(); err != nil {
		return nil, err
	}
	return f.file, nil
}

// Styles returns the palette for stdout.
func (f *Factory) Styles() *ui.Styles {
	return ui.NewStyles(f.IOStreams.Out, f.IOStreams.ColorEnabled())
}

// ErrStyles returns the palette for stderr.
func (f *Factory) ErrStyles() *ui.Styles {
	return ui.NewStyles(f.IOStreams.ErrOut, f.IOStreams.ErrColorEnabled())
}

// JSONOutput tells error display whether to speak JSON, even when the settings
// themselves failed to resolve (a bad --vrn with -o json still gets a JSON error).
func (f *Factory) JSONOutput() bool { return f.format() == "json" }

// outputFromArgs finds the last -o/--output value in raw command-line words.
func outputFromArgs(args []string) (string, bool) {
	out, found := "", false
	for i, a := range args {
		switch {
		case a == "--":
			return out, found
		case (a == "-o" || a == "--output") && i+1 < len(args):
			out, found = args[i+1], true
		case strings.HasPrefix(a, "--output="):
			out, found = strings.TrimPrefix(a, "--output="), true
		case strings.HasPrefix(a, "-o") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			out, found = strings.TrimPrefix(strings.TrimPrefix(a, "-o"), "="), true
		}
	}
	return out, found
}

// SetFlags gives the Factory the running command's parsed flags, from which Settings resolves.
// The root command calls it before any command runs, and when a flag fails to parse.
func (f *Factory) SetFlags(fs *pflag.FlagSet) { f.flags = fs }

// SetArgs records the raw command line, for errors raised before flags are parsed.
func (f *Factory) SetArgs(args []string) { f.args = args }

// OverrideFraudMethod makes this run's clients send the headers of another connection method
// than the profile's (fraud-headers --method).
func (f *Factory) OverrideFraudMethod(method string) { f.methodOverride = method }

// FraudMethod resolves the connection method: name when given, else the profile's setting.
func (f *Factory) FraudMethod(name string) (fraud.Method, error) {
	if name == "" {
		s, err := f.Settings()
		if err != nil {
			return "", err
		}
		name = s.FraudMethod
	}
	m, err := fraud.ParseMethod(name)
	if err != nil {
		return "", &FlagError{Err: err}
	}
	return m, nil
}
