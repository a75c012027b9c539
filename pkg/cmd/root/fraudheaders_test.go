package root

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestFraudHeadersShow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		method fraud.Method
		n      int
	}{
		{"default is desktop", nil, []string{"fraud-headers", "-o", "json"}, fraud.DesktopAppDirect, 14},
		{"show subcommand with --method", nil, []string{"fraud-headers", "show", "--method", "batch_process_direct", "-o", "json"}, fraud.BatchProcessDirect, 11},
		{"method from the environment", map[string]string{"VAT_FRAUD_METHOD": "OTHER_DIRECT"}, []string{"fraud-headers", "show", "-o", "json"}, fraud.OtherDirect, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"VAT_CONFIG_DIR": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != cmdutil.ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var doc struct {
				ConnectionMethod fraud.Method `json:"connectionMethod"`
				Headers          []fraud.Line `json:"headers"`
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if doc.ConnectionMethod != tt.method || len(doc.Headers) != tt.n {
				t.Fatalf("method %s with %d headers, want %s with %d", doc.ConnectionMethod, len(doc.Headers), tt.method, tt.n)
			}
			id, err := os.ReadFile(filepath.Join(env["VAT_CONFIG_DIR"], fraud.DeviceIDFile))
			if err != nil {
				t.Fatalf("device id not kept in the config dir: %v", err)
			}
			for _, l := range doc.Headers {
				if l.Header == fraud.HeaderDeviceID && l.Value != strings.TrimSpace(string(id)) {
					t.Errorf("shown device id %q, stored %q", l.Value, id)
				}
				if l.Explanation == "" {
					t.Errorf("%s has no explanation", l.Header)
				}
			}
		})
	}
	code, _, stderr := runCLI(t, nil, "fraud-headers", "--method", "WEB_APP_VIA_SERVER")
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, "unknown connection method") {
		t.Errorf("bad method: exit %d, %s", code, stderr)
	}
	code, stdout, _ := runCLI(t, nil, "fraud-headers")
	if code != cmdutil.ExitOK || !strings.Contains(stdout, "Gov-Client-Device-ID") || !strings.Contains(stdout, "Header") {
		t.Errorf("table: exit %d\n%s", code, stdout)
	}
}

// TestFraudHeadersValidateAgainstEmulator sends this machine's real headers to the emulator's Test
// Fraud Prevention Headers API, which must find no errors.
func TestFraudHeadersValidateAgainstEmulator(t *testing.T) {
	t.Parallel()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, m := range fraud.Methods() {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_TOKEN_STORE": "file"}
			code, stdout, stderr := runCLI(t, env, "fraud-headers", "validate", "--method", string(m), "-o", "json")
			if code != cmdutil.ExitOK {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
			}
			var v struct {
				Code   string
				Errors []struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if v.Code == "INVALID_HEADERS" || len(v.Errors) > 0 {
				t.Errorf("emulator found errors: %+v", v)
			}
			code, stdout, stderr = runCLI(t, env, "fraud-headers", "feedback", "--method", string(m), "-o", "json")
			if code != cmdutil.ExitOK {
				t.Fatalf("feedback exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
			}
		})
	}
}

// HMRC's validator may refuse application tokens: vat then validates with the user's token, and
// asks for a login only when there is none.
func TestFraudHeadersValidateFallsBackToTheUserToken(t *testing.T) {
	t.Parallel()
	srv, err := sandbox.New(sandbox.Options{FPHValidateUserOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	env := map[string]string{"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_TOKEN_STORE": "file", "VAT_CONFIG_DIR": t.TempDir()}
	code, _, stderr := runCLI(t, env, "fraud-headers", "validate")
	if code != cmdutil.ExitAuth || !strings.Contains(stderr, "vat login") {
		t.Fatalf("without a login: exit %d, want %d with advice to log in\n%s", code, cmdutil.ExitAuth, stderr)
	}
	u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), env, hmrc.TestUser{UserID: u.UserID, Password: u.Password}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, env, "fraud-headers", "validate")
	if code != cmdutil.ExitOK || !strings.Contains(stderr, "validated with the user token") {
		t.Fatalf("with a login: exit %d\n%s", code, stderr)
	}
}
