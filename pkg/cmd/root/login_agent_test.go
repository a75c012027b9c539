package root

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// loginAs runs 'vat login' with args, signing in as userID in the emulator's form.
func loginAs(t *testing.T, env map[string]string, userID, password string, args ...string) (int, string) {
	t.Helper()
	ios, _, _, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	f.OpenBrowser = func(authURL string) error {
		go func() {
			loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, userID, password)
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
	code := Run(context.Background(), append(args, "login"), f)
	return code, errOut.String()
}

// An agent's profile has no VRN, and its sign-in files for every client: login says what it
// saved without a VRN, and that tokens in a file let anyone file returns for the clients.
// A business's login still says its VRN was saved and warns for the business.
//
// Not parallel: each login listens on one of the three loopback ports HMRC knows, which the
// parallel tests' logins share.
func TestLoginWordsForAnAgent(t *testing.T) {
	srv, _, u, env := newAccount(t)
	agent, err := srv.CreateUser("agent", []string{"agent-services"})
	if err != nil {
		t.Fatal(err)
	}
	file := &config.File{Profiles: map[string]config.Profile{"practice": {Agent: true}}}
	if err := file.Save(env["VAT_CONFIG_DIR"]); err != nil {
		t.Fatal(err)
	}
	agentEnv := map[string]string{}
	for k, v := range env {
		if k != "VAT_VRN" {
			agentEnv[k] = v
		}
	}
	code, errOut := loginAs(t, agentEnv, agent.UserID, agent.Password, "--profile", "practice")
	if code != cmdutil.ExitOK {
		t.Fatalf("agent login: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "saved the environment, API URL and token store of profile practice in ") || strings.Contains(errOut, "VRN") {
		t.Errorf("an agent's login names a VRN it did not save:\n%s", errOut)
	}
	if !strings.Contains(errOut, "can file returns for your clients") || strings.Contains(errOut, "this business") {
		t.Errorf("an agent's login warns for a business:\n%s", errOut)
	}

	code, errOut = loginAs(t, env, u.UserID, u.Password)
	if code != cmdutil.ExitOK {
		t.Fatalf("business login: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "saved the environment, API URL, VRN and token store of profile default in ") || !strings.Contains(errOut, "can file returns for this business") {
		t.Errorf("a business's login:\n%s", errOut)
	}
}
