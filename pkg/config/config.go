// Package config resolves vat's settings from flags, environment variables and the profile file,
// in that order of precedence, and knows where vat keeps its files.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/vatbridge/vat/pkg/atomicfile"
	"github.com/vatbridge/vat/pkg/hmrc"
)

// FileName is the profile file inside the config dir.
const FileName = "config.toml"

// Environments vat can talk to.
const (
	EnvSandbox    = "sandbox"
	EnvProduction = "production"
	EnvLocal      = "local"
)

// HMRC's documented hosts
// (https://developer.service.hmrc.gov.uk/api-documentation/docs/reference-guide). The authorize
// page lives on the "www" host, the API and token endpoint on the "api" host.
var endpoints = map[string]Endpoints{
	EnvSandbox: {
		API:       hmrc.SandboxBaseURL,
		Authorize: "https://test-www.tax.service.gov.uk/oauth/authorize",
		Token:     hmrc.SandboxBaseURL + "/oauth/token",
	},
	EnvProduction: {
		API:       hmrc.ProductionBaseURL,
		Authorize: "https://www.tax.service.gov.uk/oauth/authorize",
		Token:     hmrc.ProductionBaseURL + "/oauth/token",
	},
}

// Endpoints are the three URLs a profile talks to.
type Endpoints struct{ API, Authorize, Token string }

// Profile is one named set of settings in config.toml: typically one per VAT registration an
// accountant or agent works with.
type Profile struct {
	Env         string `toml:"env,omitempty"`
	APIURL      string `toml:"api_url,omitempty"`
	VRN         string `toml:"vrn,omitempty"`
	Output      string `toml:"output,omitempty"`
	TokenStore  string `toml:"token_store,omitempty"`
	ClientID    string `toml:"client_id,omitempty"`
	FraudMethod string `toml:"fraud_method,omitempty"`
	LoginPorts  []int  `toml:"login_ports,omitempty"`
	// Agent says the signed-in user acts for clients through an Agent Services Account, which
	// changes the declaration shown before a submission.
	Agent bool `toml:"agent,omitempty"`
	// Rate is the requests a second a batch run may send (HMRC's limit for the application);
	// 0 means HMRC's default of 3.
	Rate float64 `toml:"rate,omitempty"`
	// ReceiptPDF is where submit prints every filed return's receipt, a path pattern such as
	// "~/VAT/{vrn}/{period-end:2006-01}-{period-key}.pdf".
	ReceiptPDF string   `toml:"receipt_pdf,omitempty"`
	Clients    []Client `toml:"clients,omitempty"`
	// CSVBOM starts CSV output with a UTF-8 byte-order mark, for Excel on Windows.
	CSVBOM bool `toml:"csv_bom,omitempty"`
}

// File is the whole config.toml.
type File struct {
	Profiles map[string]Profile `toml:"profiles"`
}

// Load reads config.toml from dir; a missing file is an empty config, not an error.
func Load(dir string) (*File, error) {
	f := &File{Profiles: map[string]Profile{}}
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	if err := toml.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, FileName), err)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]Profile{}
	}
	return f, nil
}

// Save writes config.toml atomically with owner-only permissions; it never holds secrets, but it
// does name VRNs and client IDs, which are nobody else's business.
func (f *File) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating config dir: %w", err)
	}
	b, err := toml.Marshal(f)
	if err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, FileName), b, 0o600)
}

// ProfileNames lists the profiles in the file, sorted.
func (f *File) ProfileNames() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultDir is the OS user config dir plus "vat": ~/.config/vat, ~/Library/Application Support/vat
// or %AppData%\vat.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config dir (set --config-dir or VAT_CONFIG_DIR): %w", err)
	}
	return filepath.Join(d, "vat"), nil
}

var profileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidProfileName reports whether a name can label a profile (it also keys keyring entries).
func ValidProfileName(s string) bool { return profileName.MatchString(s) }

// ResolveEndpoints works out the URLs for an environment; apiURL, when set, moves all three,
// because an emulator or proxy serves the sign-in page and the token endpoint too. The URL must
// satisfy CheckAPIURL.
func ResolveEndpoints(env, apiURL string) (Endpoints, error) {
	if apiURL != "" {
		if err := CheckAPIURL(env, apiURL); err != nil {
			return Endpoints{}, fmt.Errorf("--api-url %q: %w", apiURL, err)
		}
		base := strings.TrimRight(apiURL, "/")
		return Endpoints{API: base, Authorize: base + "/oauth/authorize", Token: base + "/oauth/token"}, nil
	}
	if env == EnvLocal {
		return Endpoints{}, errors.New("--env local needs --api-url (the emulator's address, e.g. http://127.0.0.1:8080)")
	}
	e, ok := endpoints[env]
	if !ok {
		return Endpoints{}, fmt.Errorf("unknown environment %q (use sandbox, production or local)", env)
	}
	return e, nil
}

// CheckAPIURL enforces where tokens may travel: sandbox and production tokens only over https,
// and plain http only to this machine's loopback interface with --env local (the emulator), where
// nothing leaves the machine to be read on the way.
func CheckAPIURL(env, apiURL string) error {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("not an http(s) URL")
	}
	if u.User != nil {
		return errors.New("must not carry a user name or password")
	}
	if u.Scheme == "https" {
		return nil
	}
	if env != EnvLocal {
		return fmt.Errorf("%s tokens are only sent over https; plain http is allowed only with --env local and a loopback address", env)
	}
	if !IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("plain http is allowed only to this machine (localhost, 127.0.0.1, [::1]), not %s: use https", u.Hostname())
	}
	return nil
}

// IsLoopbackHost reports whether host (without port) names this machine's loopback interface.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// EmulatorClientID is the application built into vat's HMRC emulator (vat sandbox serve). Its
// secret is published, so it identifies nothing and must never be used against HMRC.
const EmulatorClientID = "vat-local-client"

// CheckClientID refuses the emulator's built-in application outside --env local.
func CheckClientID(env, clientID string) error {
	if clientID == EmulatorClientID && env != EnvLocal {
		return fmt.Errorf("%s is the emulator's built-in application, usable only with --env local; register your own application with HMRC for %s", clientID, env)
	}
	return nil
}
