package root

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// TestLoginStatusLogout drives login, status and logout against the emulator over real HTTP, with
// the emulator's HTML forms standing in for the browser.
func TestLoginStatusLogout(t *testing.T) {
	t.Parallel()
	_, apiURL, u, env := newAccount(t)
	cfgDir := env["VAT_CONFIG_DIR"]
	run := func(args ...string) (int, string, string) {
		ios, _, out, errOut := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return env[k] }
		return Run(context.Background(), args, f), out.String(), errOut.String()
	}

	code, out, _ := run("status")
	if code != cmdutil.ExitAuth || !strings.Contains(out, "vat login") {
		t.Fatalf("status before login: exit %d\n%s", code, out)
	}

	ios, _, _, loginErr := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	f.OpenBrowser = func(authURL string) error {
		go func() {
			loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, u.UserID, u.Password)
			if err != nil {
				t.Errorf("sign in: %v", err)
				return
			}
			resp, err := http.Get(loc.String())
			if err != nil {
				t.Errorf("callback: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
	if code := Run(context.Background(), []string{"login"}, f); code != cmdutil.ExitOK {
		t.Fatalf("login: exit %d\n%s", code, loginErr)
	}
	if !strings.Contains(loginErr.String(), "Agent Services Account") || !strings.Contains(loginErr.String(), "logged in") {
		t.Errorf("login output:\n%s", loginErr)
	}

	// What the login was given is remembered, so the next command needs no flags or variables.
	saved, err := config.Load(cfgDir)
	if err != nil {
		t.Fatal(err)
	}
	if p := saved.Profiles["default"]; p.VRN != u.VRN || p.Env != "local" || p.APIURL != apiURL || p.TokenStore != "file" {
		t.Errorf("profile after login = %+v", p)
	}
	bare := map[string]string{"VAT_CONFIG_DIR": cfgDir}
	ios2, _, _, bareErr := iostreams.Test()
	f2 := cmdutil.NewFactory(ios2)
	f2.Getenv = func(k string) string { return bare[k] }
	if code := Run(context.Background(), []string{"obligations"}, f2); code != cmdutil.ExitOK {
		t.Errorf("obligations with only the saved profile: exit %d %s", code, bareErr)
	}

	code, out, errOut := run("status", "-o", "json")
	if code != cmdutil.ExitOK {
		t.Fatalf("status after login: exit %d %s", code, errOut)
	}
	var doc struct {
		Profile         string     `json:"profile"`
		APIBase         string     `json:"apiBase"`
		VRN             string     `json:"vrn"`
		TokenStore      string     `json:"tokenStore"`
		LoggedIn        bool       `json:"loggedIn"`
		AuthorityExpiry *time.Time `json:"authorityExpiry"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.LoggedIn || doc.TokenStore != "file" || doc.VRN != u.VRN || doc.Profile != "default" || doc.APIBase != apiURL ||
		doc.AuthorityExpiry == nil || time.Until(*doc.AuthorityExpiry) < 500*24*time.Hour {
		t.Errorf("status = %+v", doc)
	}

	// The saved token works for a real command, and no output shows it.
	code, _, errOut = run("obligations")
	if code != cmdutil.ExitOK {
		t.Fatalf("obligations after login: exit %d %s", code, errOut)
	}
	key, err := auth.TokenKey("default", "local", apiURL)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := (&auth.FileStore{Dir: filepath.Join(cfgDir, "tokens")}).Load(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{out, loginErr.String()} {
		if strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) {
			t.Error("a token appeared in command output")
		}
	}
	filepath.WalkDir(cfgDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, filepath.Join(cfgDir, "tokens")) {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), tok.RefreshToken) {
				t.Errorf("%s holds the refresh token", p)
			}
		}
		return nil
	})

	if code, _, errOut := run("logout"); code != cmdutil.ExitOK || !strings.Contains(errOut, "logged out") {
		t.Fatalf("logout: exit %d %s", code, errOut)
	}
	if code, _, _ := run("status"); code != cmdutil.ExitAuth {
		t.Fatalf("status after logout: exit %d, want %d", code, cmdutil.ExitAuth)
	}
	if code, _, errOut := run("obligations"); code != cmdutil.ExitAuth {
		t.Fatalf("obligations after logout: exit %d, want %d (%s)", code, cmdutil.ExitAuth, errOut)
	}
}
