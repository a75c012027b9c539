package auth

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/faults"
	"github.com/vatbridge/vat/pkg/internal/fulldisk"
)

// sentRefreshTokens lists the refresh tokens the fake token endpoint received, in order.
func (f *fakeHMRC) sentRefreshTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, form := range f.seenForms {
		if form.Get("grant_type") == "refresh_token" {
			out = append(out, form.Get("refresh_token"))
		}
	}
	return out
}

// fullStore is a store whose saves fail as on a full disk and that cannot reserve space, so the
// refresh goes ahead and its result has nowhere to go.
type fullStore struct{ fs *FileStore }

func (s fullStore) Load(ctx context.Context, key string) (*Token, error) { return s.fs.Load(ctx, key) }
func (s fullStore) Save(context.Context, string, *Token) error {
	return &fs.PathError{Op: "write", Path: "/cfg/tokens/p.json", Err: syscall.ENOSPC}
}
func (s fullStore) Delete(ctx context.Context, key string) error { return s.fs.Delete(ctx, key) }
func (s fullStore) Kind() string                                 { return KindFile }

// A refreshed token that cannot be saved is used for the rest of the run, the failure is told
// plainly, and the spent refresh token is never sent again: the next refresh uses the new one.
func TestUnsavedTokenIsKeptInMemoryAndSpentTokenNeverResent(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	fs := newFileStore(t)
	fs.Save(t.Context(), "p", expiredToken(at, rt))
	now := fixedNow
	var warned []error
	ts := NewTokenSource(t.Context(), f.config(), fullStore{fs}, "p", t.TempDir(),
		WithNow(func() time.Time { return now }), WithSaveFailure(func(err error) { warned = append(warned, err) }))
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("token after a failed save: %v", err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0].Error(), "no space left on device") {
		t.Fatalf("save failure reported as %v", warned)
	}
	var ue *UnsavedTokenError
	if !errors.As(ts.Unsaved(), &ue) {
		t.Fatalf("Unsaved() = %v", ts.Unsaved())
	}
	// The access token works against the API.
	req, _ := http.NewRequest("GET", f.srv.URL+"/hello", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("in-memory token refused: %v %v", resp, err)
	}
	// Hours later in the same run it expires: the refresh uses the in-memory refresh token.
	now = now.Add(5 * time.Hour)
	if _, err := ts.Token(); err != nil {
		t.Fatalf("second refresh: %v", err)
	}
	sent := f.sentRefreshTokens()
	if len(sent) != 2 || sent[0] != rt || sent[1] != tok.RefreshToken {
		t.Fatalf("refresh tokens sent: %v; want the stored one once, then the in-memory one", sent)
	}
}

// On a real full disk the refresh is not even tried: the refresh token stays good for later.
func TestFullDiskStopsRefreshBeforeTheTokenIsSpent(t *testing.T) {
	dir := fulldisk.Mount(t, 64)
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := &FileStore{Dir: filepath.Join(dir, "tokens")}
	if err := store.Save(t.Context(), "p", expiredToken(at, rt)); err != nil {
		t.Fatal(err)
	}
	filler := fulldisk.Fill(t, dir)
	ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow }))
	_, err := ts.Token()
	if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("err = %v, want a plain full-disk refusal", err)
	}
	if le, ok := faults.Local(err); !ok || !errors.Is(le, syscall.ENOSPC) {
		t.Errorf("full disk not classified as local: %v", err)
	}
	if len(f.sentRefreshTokens()) != 0 {
		t.Fatal("refresh token sent although the new one could not be kept")
	}
	// Space comes back: a new run refreshes with the untouched refresh token.
	os.Remove(filler)
	ts = NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow }))
	if _, err := ts.Token(); err != nil {
		t.Fatalf("after freeing space: %v", err)
	}
}

// The disk fills while the refresh is on the wire: the reservation still holds the new token.
func TestDiskFillingDuringRefreshStillSavesTheToken(t *testing.T) {
	dir := fulldisk.Mount(t, 64)
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := &FileStore{Dir: filepath.Join(dir, "tokens")}
	if err := store.Save(t.Context(), "p", expiredToken(at, rt)); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	f.onRefresh = func(string) (int, string) {
		once.Do(func() { fulldisk.Fill(t, dir) })
		return 0, ""
	}
	tok, err := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow })).Token()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := store.Load(t.Context(), "p")
	if err != nil || saved.RefreshToken != tok.RefreshToken {
		t.Fatalf("new token not saved on the full disk: %v, %v", saved, err)
	}
}

// Token endpoint failures that used to lose the "not sent" mark, so that every retry of the GET
// sent the refresh token again.
func TestTokenEndpointFailureSendsTheRefreshTokenOnce(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]struct {
		status int
		body   string
	}{
		"401 invalid_client": {401, `{"error":"invalid_client","error_description":"invalid client"}`},
		"HTML 200":           {200, `<html><body>Service unavailable</body></html>`},
		"500":                {500, `{"error":"server_error"}`},
	} {
		f := newFakeHMRC(t)
		at, rt := f.seed()
		f.onRefresh = func(string) (int, string) { return answer.status, answer.body }
		store := newFileStore(t)
		store.Save(t.Context(), "p", expiredToken(at, rt))
		ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow }))
		hc := &http.Client{Transport: &Transport{Source: ts}}
		for range 4 {
			_, err := hc.Get(f.srv.URL + "/hello")
			var te *TokenError
			if !errors.As(err, &te) || !te.NotActedOn() {
				t.Errorf("%s: err = %v, want a *TokenError", name, err)
			}
		}
		if sent := f.sentRefreshTokens(); len(sent) != 1 {
			t.Errorf("%s: refresh token sent %d times, want once", name, len(sent))
		}
	}
}

// A 401 from the API (access token revoked or expired early) gets one refresh and one resend.
func TestTransportRefreshesOnceOn401(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	tok := expiredToken(at, rt)
	tok.Expiry = fixedNow.Add(2 * time.Hour) // fresh by its expiry...
	store.Save(t.Context(), "p", tok)
	f.mu.Lock()
	delete(f.access, at) // ...but HMRC no longer accepts it
	f.mu.Unlock()
	ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow }))
	hc := &http.Client{Transport: &Transport{Source: ts}}
	resp, err := hc.Get(f.srv.URL + "/hello")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after a 401: %v %v", resp, err)
	}
	resp.Body.Close()
	if f.refreshCount() != 1 {
		t.Fatalf("refreshes = %d, want 1", f.refreshCount())
	}
	saved, _ := store.Load(t.Context(), "p")
	if saved.AccessToken == at {
		t.Fatal("new token not saved")
	}

	// A 401 that a new token does not cure is returned after one refresh, not looped on.
	var hits atomic.Int32
	target, _ := url.Parse(f.srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	always401 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			proxy.ServeHTTP(w, r)
			return
		}
		hits.Add(1)
		http.Error(w, `{"code":"INVALID_CREDENTIALS"}`, http.StatusUnauthorized)
	}))
	defer always401.Close()
	before := f.refreshCount()
	at2, rt2 := f.seed()
	store2 := newFileStore(t)
	tok2 := expiredToken(at2, rt2)
	tok2.Expiry = fixedNow.Add(2 * time.Hour)
	store2.Save(t.Context(), "p", tok2)
	ts = NewTokenSource(t.Context(), newConfig(always401.URL, fakeClientID, fakeClientSecret), store2, "p", t.TempDir(),
		WithNow(func() time.Time { return fixedNow }))
	hc = &http.Client{Transport: &Transport{Source: ts}}
	resp, err = hc.Post(always401.URL+"/x", "application/json", strings.NewReader(`{"periodKey":"18A1"}`))
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("persistent 401: %v %v", resp, err)
	}
	resp.Body.Close()
	if hits.Load() != 2 || f.refreshCount() != before+1 {
		t.Errorf("requests = %d, refreshes = %d; want 2 and 1", hits.Load(), f.refreshCount()-before)
	}
}

// A redirect from the token endpoint must not carry client_secret or the refresh token to the
// other host, and nothing that host issues may be saved.
func TestTokenEndpointRedirectIsRefused(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		var leaked atomic.Int32
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			leaked.Add(1)
			r.ParseForm()
			t.Errorf("%d: other host received %s %s form %v", code, r.Method, r.URL, r.PostForm)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"evil-at","refresh_token":"evil-rt","expires_in":14400}`))
		}))
		defer evil.Close()
		f := newFakeHMRC(t)
		at, rt := f.seed()
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, evil.URL+"/oauth/token", code)
		}))
		defer redirector.Close()
		store := newFileStore(t)
		store.Save(t.Context(), "p", expiredToken(at, rt))
		ts := NewTokenSource(t.Context(), newConfig(redirector.URL, fakeClientID, fakeClientSecret), store, "p", t.TempDir(),
			WithNow(func() time.Time { return fixedNow }))
		_, err := ts.Token()
		if err == nil || !strings.Contains(err.Error(), "redirect") {
			t.Errorf("%d: err = %v, want a refused redirect", code, err)
		}
		if leaked.Load() != 0 {
			t.Errorf("%d: the other host was contacted", code)
		}
		if saved, _ := store.Load(t.Context(), "p"); saved.AccessToken != at || saved.RefreshToken != rt {
			t.Errorf("%d: stored token replaced: %v", code, saved)
		}
	}
}

// A token is sent only to the API that issued it.
func TestTokenScopedToItsIssuer(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	tok := expiredToken(at, rt)
	tok.Expiry = fixedNow.Add(2 * time.Hour)
	tok.Base = f.srv.URL
	store.Save(t.Context(), "p", tok)

	// A source configured for another API refuses the stored token.
	_, err := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithIssuer("https://api.example.test"),
		WithNow(func() time.Time { return fixedNow })).Token()
	var me *IssuerMismatchError
	if !errors.As(err, &me) || !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("err = %v, want an issuer mismatch needing login", err)
	}

	// The transport refuses to send it to another host, even with the right source.
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked.Add(1) }))
	defer other.Close()
	ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithIssuer(f.srv.URL+"/"),
		WithNow(func() time.Time { return fixedNow }))
	hc := &http.Client{Transport: &Transport{Source: ts}}
	_, err = hc.Get(other.URL + "/hello")
	var se *TokenScopeError
	if !errors.As(err, &se) || leaked.Load() != 0 {
		t.Fatalf("err = %v, requests to the other host = %d", err, leaked.Load())
	}
	resp, err := hc.Get(f.srv.URL + "/hello")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("issuer's own API: %v %v", resp, err)
	}
	resp.Body.Close()
}

// On a read-only file system the lock error says so, and does not blame another process.
func TestRefreshLockOnReadOnlyFileSystem(t *testing.T) {
	dir := fulldisk.Mount(t, 64)
	fulldisk.ReadOnly(t, dir)
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	_, err := NewTokenSource(t.Context(), f.config(), store, "p", dir, WithNow(func() time.Time { return fixedNow }),
		WithLockTimeout(time.Second)).Token()
	if err == nil || strings.Contains(err.Error(), "another vat process") || !errors.Is(err, syscall.EROFS) {
		t.Fatalf("err = %v, want a read-only file system error", err)
	}
	if !faults.IsLocal(err) {
		t.Errorf("not classified as local: %v", err)
	}
	if len(f.sentRefreshTokens()) != 0 {
		t.Error("refreshed without the lock")
	}
}

// noRoomStore cannot reserve space, as a file store on a full disk cannot; unlike the tmpfs test
// this runs without root.
type noRoomStore struct{ *FileStore }

func (noRoomStore) Reserve(context.Context, string) (Reservation, error) {
	return nil, &fs.PathError{Op: "write", Path: "/cfg/tokens/.tmp-p.json.1", Err: syscall.ENOSPC}
}

func TestNoRoomForTheNewTokenMeansNoRefresh(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	_, err := NewTokenSource(t.Context(), f.config(), noRoomStore{store}, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow })).Token()
	if !errors.Is(err, syscall.ENOSPC) || !faults.IsLocal(err) || !strings.Contains(err.Error(), "nothing was sent to HMRC") {
		t.Fatalf("err = %v", err)
	}
	if len(f.sentRefreshTokens()) != 0 {
		t.Fatal("refresh token spent although the result could not be kept")
	}
}
