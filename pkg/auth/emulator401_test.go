package auth

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/httpsafe"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// An access token the emulator no longer accepts, although our clock says it is fresh (HMRC
// revoked it, or the clocks disagree): the API call gets one refresh and succeeds, instead of
// sending the user to log in.
func TestEmulator401RefreshesOnce(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	srv, err := sandbox.New(sandbox.Options{Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	user, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	e := &emulator{srv: srv, http: hs, user: user}
	tok := e.login(t)
	store := newFileStore(t)
	if err := store.Save(t.Context(), "p", tok); err != nil {
		t.Fatal(err)
	}

	skew.Store(int64(5 * time.Hour)) // the emulator's access token has expired; ours looks fresh
	ts := NewTokenSource(t.Context(), e.config().Config, store, "p", t.TempDir(), WithIssuer(hs.URL))
	hc := httpsafe.Client(&http.Client{Transport: &Transport{Source: ts}})
	c := hmrc.NewClient(hc, hmrc.WithBaseURL(hs.URL), hmrc.WithRateLimit(0))
	if _, _, err := c.Obligations(t.Context(), user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen}); err != nil {
		t.Fatalf("obligations after the emulator refused the access token: %v", err)
	}
	if n := srv.Stats().TokenRefreshes; n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
	saved, err := store.Load(t.Context(), "p")
	if err != nil || saved.AccessToken == tok.AccessToken || saved.Base != hs.URL {
		t.Errorf("refreshed token not saved with its issuer: %v, %v", saved, err)
	}
}
