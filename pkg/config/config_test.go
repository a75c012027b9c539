package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func inputs(t *testing.T, dir string, flags map[string]Flag, env map[string]string) Inputs {
	t.Helper()
	return Inputs{
		Flags:  flags,
		Getenv: func(k string) string { return env[k] },
		Load:   Load,
		DefDir: func() (string, error) { return dir, nil },
	}
}

func TestPrecedenceFlagEnvProfileDefault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := &File{Profiles: map[string]Profile{
		"default": {Env: "production", VRN: "123456782", Output: "csv"},
		"client2": {Env: "sandbox", VRN: "999999973"},
	}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		flags    map[string]Flag
		env      map[string]string
		key      string
		get      func(Settings) string
		want     string
		wantFrom string
	}{
		{"default only", nil, nil, "token-store", func(s Settings) string { return s.TokenStore }, "auto", "default"},
		{"profile beats default", nil, nil, "env", func(s Settings) string { return s.Env }, "production", "profile"},
		{"env beats profile", nil, map[string]string{"VAT_ENV": "local"}, "env", func(s Settings) string { return s.Env }, "local", "env"},
		{"flag beats env", map[string]Flag{"env": {"sandbox", true}}, map[string]string{"VAT_ENV": "local"}, "env", func(s Settings) string { return s.Env }, "sandbox", "flag"},
		{"unchanged flag does not count", map[string]Flag{"output": {"table", false}}, nil, "output", func(s Settings) string { return s.Output }, "csv", "profile"},
		{"profile from env", nil, map[string]string{"VAT_PROFILE": "client2"}, "vrn", func(s Settings) string { return s.VRN }, "999999973", "profile"},
		{"profile from flag beats env", map[string]Flag{"profile": {"default", true}}, map[string]string{"VAT_PROFILE": "client2"}, "vrn", func(s Settings) string { return s.VRN }, "123456782", "profile"},
		{"vrn from env", nil, map[string]string{"VAT_VRN": "123456782", "VAT_PROFILE": "client2"}, "vrn", func(s Settings) string { return s.VRN }, "123456782", "env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _, err := Resolve(inputs(t, dir, tt.flags, tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(s); got != tt.want || s.Source[tt.key] != tt.wantFrom {
				t.Errorf("%s = %q from %s, want %q from %s", tt.key, got, s.Source[tt.key], tt.want, tt.wantFrom)
			}
		})
	}
}

func TestBadSettingsNameTheirSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		flags map[string]Flag
		env   map[string]string
		want  string
	}{
		{map[string]Flag{"output": {"yaml", true}}, nil, `--output "yaml": must be table, json or csv`},
		{nil, map[string]string{"VAT_ENV": "prod"}, `VAT_ENV "prod": must be sandbox`},
		{map[string]Flag{"vrn": {"123456789", true}}, nil, `--vrn "123456789": the check digits`},
		{nil, map[string]string{"VAT_TOKEN_STORE": "disk"}, `VAT_TOKEN_STORE "disk"`},
		{map[string]Flag{"profile": {"../x", true}}, nil, `invalid profile name`},
	}
	for _, tt := range tests {
		_, _, err := Resolve(inputs(t, dir, tt.flags, tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want it to contain %q", err, tt.want)
		}
	}
	var se *SettingError
	_, _, err := Resolve(inputs(t, dir, map[string]Flag{"output": {"yaml", true}}, nil))
	if !errors.As(err, &se) || se.Key != "output" {
		t.Errorf("want a *SettingError for output, got %v", err)
	}
}

func TestConfigDirFromEnvAndFilePermissions(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "vat")
	s, _, err := Resolve(inputs(t, "/nonexistent", nil, map[string]string{"VAT_CONFIG_DIR": dir}))
	if err != nil || s.ConfigDir != dir {
		t.Fatalf("config dir = %q, %v", s.ConfigDir, err)
	}
	f := &File{Profiles: map[string]Profile{"x": {VRN: "123456782"}}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config file mode = %v, %v", st.Mode(), err)
	}
	back, err := Load(dir)
	if err != nil || back.Profiles["x"].VRN != "123456782" {
		t.Fatalf("reload = %+v, %v", back, err)
	}
	os.WriteFile(filepath.Join(dir, FileName), []byte("[profiles.x\nvrn=1"), 0o600)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), FileName) {
		t.Errorf("broken file error = %v, want it to name the file", err)
	}
}

func TestValidateVRN(t *testing.T) {
	t.Parallel()
	for v, ok := range map[string]bool{
		"123456782": true,  // classic mod-97
		"999999973": true,  // mod-97
		"123456789": false, // wrong check digits
		"12345678":  false,
		"GB1234567": false,
		"100000132": true, // 97-55 scheme: 1×8 + 1×2 = 10, and 10 + 55 + 32 = 97
	} {
		if err := ValidateVRN(v); (err == nil) != ok {
			t.Errorf("ValidateVRN(%s) = %v, want ok=%v", v, err, ok)
		}
	}
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	e, err := ResolveEndpoints("sandbox", "")
	if err != nil || e.Authorize != "https://test-www.tax.service.gov.uk/oauth/authorize" {
		t.Errorf("sandbox = %+v, %v", e, err)
	}
	e, err = ResolveEndpoints("local", "http://127.0.0.1:9/")
	if err != nil || e.Token != "http://127.0.0.1:9/oauth/token" || e.API != "http://127.0.0.1:9" {
		t.Errorf("override = %+v, %v", e, err)
	}
	if _, err := ResolveEndpoints("production", "http://127.0.0.1:9/"); err == nil {
		t.Error("production over plain http accepted")
	}
	if _, err := ResolveEndpoints("local", ""); err == nil {
		t.Error("local without --api-url accepted")
	}
	if _, err := ResolveEndpoints("sandbox", "ftp://x"); err == nil {
		t.Error("ftp api url accepted")
	}
}

func TestAPIURLPolicy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		env, url string
		ok       bool
	}{
		{"production", "https://api.example.test", true},
		{"sandbox", "https://proxy.example.test:8443/base", true},
		{"production", "http://api.example.test", false},
		{"production", "http://127.0.0.1:8080", false}, // a production token never goes over http
		{"sandbox", "http://localhost:8080", false},
		{"local", "http://127.0.0.1:8080", true},
		{"local", "http://[::1]:8080", true},
		{"local", "http://localhost:8080", true},
		{"local", "http://LOCALHOST:8080", true},
		{"local", "http://192.168.1.20:8080", false}, // http across a network
		{"local", "http://127.0.0.1.example.test:8080", false},
		{"local", "https://emulator.example.test", true},
		{"local", "https://user:pw@emulator.example.test", false},
		{"local", "ftp://127.0.0.1", false},
	} {
		err := CheckAPIURL(tt.env, tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("CheckAPIURL(%s, %s) = %v, want ok=%v", tt.env, tt.url, err, tt.ok)
		}
		_, err = ResolveEndpoints(tt.env, tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("ResolveEndpoints(%s, %s) = %v, want ok=%v", tt.env, tt.url, err, tt.ok)
		}
	}
}

// Resolve itself refuses the combination, naming the setting that carried the URL.
func TestResolveRefusesUnsafeSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct {
		flags map[string]Flag
		env   map[string]string
		want  string
	}{
		{map[string]Flag{"env": {"production", true}, "api-url": {"http://127.0.0.1:9", true}}, nil, `--api-url "http://127.0.0.1:9": production tokens are only sent over https`},
		{map[string]Flag{"env": {"production", true}}, map[string]string{"VAT_API_URL": "http://10.0.0.1"}, `VAT_API_URL "http://10.0.0.1"`},
		{map[string]Flag{"env": {"production", true}}, map[string]string{"VAT_CLIENT_ID": EmulatorClientID}, `VAT_CLIENT_ID "vat-local-client": vat-local-client is the emulator's built-in application`},
		{map[string]Flag{"env": {"sandbox", true}}, map[string]string{"VAT_CLIENT_ID": EmulatorClientID}, `usable only with --env local`},
	} {
		_, _, err := Resolve(inputs(t, dir, tt.flags, tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want it to contain %q", err, tt.want)
		}
	}
	s, _, err := Resolve(inputs(t, dir, map[string]Flag{"env": {"local", true}, "api-url": {"http://127.0.0.1:9", true}},
		map[string]string{"VAT_CLIENT_ID": EmulatorClientID}))
	if err != nil || s.APIURL != "http://127.0.0.1:9" {
		t.Errorf("local emulator settings refused: %v", err)
	}
	if err := CheckClientID("production", EmulatorClientID); err == nil {
		t.Error("CheckClientID accepted the emulator's application for production")
	}
}

// csv_bom in the profile asks for a byte-order mark; --bom and VAT_CSV_BOM override it.
func TestCSVBOMSetting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := &File{Profiles: map[string]Profile{"default": {CSVBOM: true}, "plain": {}}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if !strings.Contains(string(b), "csv_bom = true") {
		t.Errorf("config.toml:\n%s", b)
	}
	for _, tt := range []struct {
		flags map[string]Flag
		env   map[string]string
		want  bool
		from  string
	}{
		{nil, nil, true, "profile"},
		{nil, map[string]string{"VAT_PROFILE": "plain"}, false, "default"},
		{nil, map[string]string{"VAT_CSV_BOM": "0"}, false, "env"},
		{map[string]Flag{"bom": {"false", true}}, nil, false, "flag"},
		{map[string]Flag{"bom": {"true", true}}, map[string]string{"VAT_PROFILE": "plain"}, true, "flag"},
		{map[string]Flag{"bom": {"false", false}}, map[string]string{"VAT_PROFILE": "plain", "VAT_CSV_BOM": "yes"}, true, "env"},
	} {
		s, _, err := Resolve(inputs(t, dir, tt.flags, tt.env))
		if err != nil || s.CSVBOM != tt.want || s.Source["bom"] != tt.from {
			t.Errorf("%v %v: bom %v from %s (%v), want %v from %s", tt.flags, tt.env, s.CSVBOM, s.Source["bom"], err, tt.want, tt.from)
		}
	}
}

func TestVRNAsPeopleWriteIt(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"221355696", "GB221355696", "gb 221 3556 96", " 221 3556 96 "} {
		s, _, err := Resolve(Inputs{Flags: map[string]Flag{"vrn": {Value: in, Changed: true}}, Getenv: func(string) string { return "" },
			Load: Load, DefDir: func() (string, error) { return t.TempDir(), nil }})
		if err != nil || s.VRN != "221355696" {
			t.Errorf("--vrn %q: VRN %q, %v", in, s.VRN, err)
		}
	}
}
