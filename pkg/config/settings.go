package config

import (
	"fmt"
	"strings"
)

// Settings are the global options after every source has had its say.
type Settings struct {
	Profile     string
	Env         string
	APIURL      string
	VRN         string
	Output      string
	ConfigDir   string
	TokenStore  string
	ClientID    string
	FraudMethod string
	Debug       bool
	NoColor     bool
	LoginPorts  []int
	// NewProfile is set when the named profile is not in config.toml (and is not "default"):
	// only the commands that create profiles may go on with it.
	NewProfile bool
	CSVBOM     bool

	// Source names where each setting came from ("flag", "env", "profile", "default"), for
	// `vat status` and for error messages that must name the thing to fix.
	Source map[string]string
}

// Flag is a global flag's value and whether the user set it on the command line.
type Flag struct {
	Value   string
	Changed bool
}

// Inputs are the raw sources Resolve combines.
type Inputs struct {
	Flags  map[string]Flag     // keyed by flag name: profile, env, api-url, vrn, output, config-dir, token-store, debug, no-color
	Getenv func(string) string // os.Getenv in production
	Load   func(dir string) (*File, error)
	DefDir func() (string, error) // DefaultDir in production
}

// setting describes one option: its flag, its variable and its profile field.
type setting struct {
	key, flag, env string
	profile        func(Profile) string
	def            string
}

var settings = []setting{
	{"env", "env", "VAT_ENV", func(p Profile) string { return p.Env }, EnvSandbox},
	{"api-url", "api-url", "VAT_API_URL", func(p Profile) string { return p.APIURL }, ""},
	{"vrn", "vrn", "VAT_VRN", func(p Profile) string { return p.VRN }, ""},
	{"output", "output", "VAT_OUTPUT", func(p Profile) string { return p.Output }, "table"},
	{"token-store", "token-store", "VAT_TOKEN_STORE", func(p Profile) string { return p.TokenStore }, "auto"},
	{"client-id", "", "VAT_CLIENT_ID", func(p Profile) string { return p.ClientID }, ""},
	{"fraud-method", "", "VAT_FRAUD_METHOD", func(p Profile) string { return p.FraudMethod }, "DESKTOP_APP_DIRECT"},
}

// Resolve applies the precedence flag > environment > profile > default to every setting.
// The profile and the config dir are resolved first, since they decide which file to read.
func Resolve(in Inputs) (Settings, *File, error) {
	s := Settings{Source: map[string]string{}}
	first := func(key, flag, env string) (string, string) {
		if f, ok := in.Flags[flag]; ok && f.Changed {
			return f.Value, "flag"
		}
		if v := in.Getenv(env); v != "" {
			return v, "env"
		}
		return "", ""
	}

	var src string
	if s.ConfigDir, src = first("config-dir", "config-dir", "VAT_CONFIG_DIR"); src == "" {
		d, err := in.DefDir()
		if err != nil {
			return s, nil, err
		}
		s.ConfigDir, src = d, "default"
	}
	s.Source["config-dir"] = src

	if s.Profile, src = first("profile", "profile", "VAT_PROFILE"); src == "" {
		s.Profile, src = "default", "default"
	}
	s.Source["profile"] = src
	if !ValidProfileName(s.Profile) {
		return s, nil, fmt.Errorf("invalid profile name %q: use letters, digits, '.', '_' or '-'", s.Profile)
	}

	file, err := in.Load(s.ConfigDir)
	if err != nil {
		return s, nil, err
	}
	prof, known := file.Profiles[s.Profile]
	s.NewProfile = !known && s.Profile != "default"

	vals := map[string]*string{
		"env": &s.Env, "api-url": &s.APIURL, "vrn": &s.VRN, "output": &s.Output,
		"token-store": &s.TokenStore, "client-id": &s.ClientID, "fraud-method": &s.FraudMethod,
	}
	for _, st := range settings {
		v, src := first(st.key, st.flag, st.env)
		if src == "" {
			if pv := st.profile(prof); pv != "" {
				v, src = pv, "profile"
			} else {
				v, src = st.def, "default"
			}
		}
		*vals[st.key] = v
		s.Source[st.key] = src
	}
	s.LoginPorts = prof.LoginPorts

	s.Debug = boolSetting(in, "debug", "VAT_DEBUG")
	s.NoColor = boolSetting(in, "no-color", "NO_COLOR")
	s.CSVBOM = prof.CSVBOM
	s.Source["bom"] = map[bool]string{true: "profile", false: "default"}[prof.CSVBOM]
	if f, ok := in.Flags["bom"]; (ok && f.Changed) || in.Getenv("VAT_CSV_BOM") != "" {
		s.CSVBOM = boolSetting(in, "bom", "VAT_CSV_BOM")
		s.Source["bom"] = map[bool]string{true: "flag", false: "env"}[ok && f.Changed]
	}

	if err := s.validate(); err != nil {
		return s, nil, err
	}
	return s, file, nil
}

func boolSetting(in Inputs, flag, env string) bool {
	if f, ok := in.Flags[flag]; ok && f.Changed {
		return f.Value == "true"
	}
	v := strings.ToLower(in.Getenv(env))
	return v != "" && v != "0" && v != "false" && v != "no"
}

// SettingError names the setting that is wrong and where its value came from.
type SettingError struct {
	Key, Source, Value, Problem string
}

func (e *SettingError) Error() string {
	where := map[string]string{"flag": "--" + e.Key, "profile": "profile setting " + e.Key}[e.Source]
	if e.Source == "env" {
		where = envName(e.Key)
	}
	if where == "" {
		where = e.Key
	}
	return fmt.Sprintf("%s %q: %s", where, e.Value, e.Problem)
}

func envName(key string) string {
	for _, st := range settings {
		if st.key == key {
			return st.env
		}
	}
	return key
}

func (s *Settings) validate() error {
	check := func(key, val string, ok bool, problem string) error {
		if ok {
			return nil
		}
		return &SettingError{Key: key, Source: s.Source[key], Value: val, Problem: problem}
	}
	if err := check("env", s.Env, s.Env == EnvSandbox || s.Env == EnvProduction || s.Env == EnvLocal,
		"must be sandbox, production or local"); err != nil {
		return err
	}
	if err := check("output", s.Output, s.Output == "table" || s.Output == "json" || s.Output == "csv",
		"must be table, json or csv"); err != nil {
		return err
	}
	if err := check("token-store", s.TokenStore, s.TokenStore == "auto" || s.TokenStore == "keyring" || s.TokenStore == "file",
		"must be auto, keyring or file"); err != nil {
		return err
	}
	switch s.FraudMethod {
	case "DESKTOP_APP_DIRECT", "OTHER_DIRECT", "BATCH_PROCESS_DIRECT":
	default:
		return check("fraud-method", s.FraudMethod, false, "must be DESKTOP_APP_DIRECT, OTHER_DIRECT or BATCH_PROCESS_DIRECT")
	}
	if s.APIURL != "" {
		if err := CheckAPIURL(s.Env, s.APIURL); err != nil {
			return check("api-url", s.APIURL, false, err.Error())
		}
	}
	if err := CheckClientID(s.Env, s.ClientID); err != nil {
		return check("client-id", s.ClientID, false, err.Error())
	}
	if s.VRN != "" {
		s.VRN = NormalizeVRN(s.VRN)
		if err := ValidateVRN(s.VRN); err != nil {
			return check("vrn", s.VRN, false, err.Error())
		}
	}
	return nil
}
