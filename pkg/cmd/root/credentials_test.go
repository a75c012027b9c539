package root

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// recorder is a second host that must never hear from vat: it records every request's
// credentials.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	_ = req.ParseForm()
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization")+" form="+req.PostForm.Encode())
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

func TestRedirectsNeverCarryCredentialsToAnotherHost(t *testing.T) {
	t.Parallel()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	other := &recorder{}
	evil := httptest.NewServer(other)
	defer evil.Close()
	// The API host answers normally until told to redirect, with 302 or 307, to the other host.
	var redirect atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if code := int(redirect.Load()); code != 0 {
			http.Redirect(w, r, evil.URL+r.URL.Path, code)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	defer func() { front.Close(); srv.Close() }()
	u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"VAT_ENV": "local", "VAT_API_URL": front.URL, "VAT_CONFIG_DIR": filepath.Join(t.TempDir(), "config"),
		"VAT_TOKEN_STORE": "file", "VAT_VRN": u.VRN}
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), env, hmrc.TestUser{UserID: u.UserID, Password: u.Password}); err != nil {
		t.Fatalf("login: %v", err)
	}
	w := &world{t: t, srv: srv, env: env}
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		redirect.Store(int32(code))
		got, _, errOut := w.run("obligations")
		if got == 0 || !strings.Contains(errOut, "redirect") {
			t.Errorf("%d: obligations exit %d, want a refusal naming the redirect:\n%s", code, got, errOut)
		}
	}
	if reqs := other.requests(); len(reqs) != 0 {
		t.Fatalf("the other host was sent %d requests: %q", len(reqs), reqs)
	}
}

func TestATokenIsNeverSentToAnAPIItWasNotIssuedBy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	other := &recorder{}
	stranger := httptest.NewServer(other)
	defer stranger.Close()
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	env["VAT_API_URL"] = stranger.URL
	code, _, errOut := (&world{t: t, env: env}).run("obligations")
	if code != cmdutil.ExitAuth {
		t.Errorf("obligations against another API exit %d, want %d (log in there):\n%s", code, cmdutil.ExitAuth, errOut)
	}
	for _, r := range other.requests() {
		if !strings.Contains(r, "auth= ") && strings.Contains(r, "auth=Bearer") {
			t.Errorf("the token went to another API: %s", r)
		}
	}
	// Production refuses plain http outright, before any token is looked at.
	code, _, errOut = (&world{t: t, env: env}).run("obligations", "--env", "production", "--api-url", stranger.URL)
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "https") {
		t.Errorf("production over http: exit %d\n%s", code, errOut)
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the other API heard %d requests", n)
	}
}
