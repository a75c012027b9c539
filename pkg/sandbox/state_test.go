package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatePersistsAcrossRestarts(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	c := &clock{t: testNow}
	srv, err := New(Options{StateDir: dir, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, clock: c}
	e.ts = newTestServer(t, srv)
	u := e.org()
	agent := e.user("agent", []string{"agent-services"}, "")
	if err := srv.AuthoriseAgent(agent.UserID, u.VRN); err != nil {
		t.Fatal(err)
	}
	tk := e.login(u)
	if r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	wantReturns := e.srv.Returns(u.VRN)
	e.ts.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	// The directory and files are private, and no raw token is on disk.
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode: %v %v", fi.Mode(), err)
	}
	for _, name := range []string{usersFileName, tokensFileName, returnsFileName} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v", name, fi.Mode(), err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, name))
		for _, secret := range []string{tk.AccessToken, tk.RefreshToken, u.Password} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s holds a secret", name)
			}
		}
	}

	srv2, err := New(Options{StateDir: dir, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	e2 := &env{t: t, srv: srv2, clock: c}
	e2.ts = newTestServer(t, srv2)
	t.Cleanup(func() { srv2.Close() })
	base := "/organisations/vat/" + u.VRN
	// Tokens survive: the old access token still works and the refresh token rotates.
	if r := e2.do("GET", base+"/returns/26A3", tk.AccessToken, "", nil); r.status != 200 || r.body != string(wantReturns["26A3"]) {
		t.Errorf("return after restart: %d %s", r.status, r.body)
	}
	e2.do("GET", base+"/obligations?from=2026-07-01&to=2026-09-30", tk.AccessToken, "", nil).expect(t, 200,
		`{"obligations":[{"start":"2026-07-01","end":"2026-09-30","due":"2026-11-07","status":"F","periodKey":"26A3","received":"2026-11-24"}]}`)
	if status, body := e2.refresh(tk.RefreshToken); status != 200 {
		t.Errorf("refresh after restart: %d %s", status, body)
	}
	// Users and agent links survive: both can sign in, and the agent still reaches the client.
	atk := e2.login(agent)
	if r := e2.do("GET", base+"/information", atk.AccessToken, "", nil); r.status != 200 {
		t.Errorf("agent after restart: %d %s", r.status, r.body)
	}
	// A duplicate is still a duplicate.
	if r := e2.do("POST", base+"/returns", atk.AccessToken, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 403 {
		t.Errorf("resubmit after restart: %d %s", r.status, r.body)
	}
}

func TestCorruptStateIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, usersFileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StateDir: dir}); err == nil {
		t.Error("New accepted a corrupt state file")
	}
}

// Two emulators sharing a state directory would each rewrite it from memory and lose the other's
// returns: the second is refused while the first runs, and allowed once it has closed.
func TestStateDirLockedWhileServing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	first, err := New(Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Options{StateDir: dir})
	var busy *StateDirBusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "another running emulator") {
		t.Fatalf("second server on the same state = %v, want a busy-directory error naming it", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := New(Options{StateDir: dir})
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	second.Close()
	// A failed start does not keep the directory locked.
	os.WriteFile(filepath.Join(dir, usersFileName), []byte("{not json"), 0o600)
	if _, err := New(Options{StateDir: dir}); err == nil {
		t.Fatal("corrupt state accepted")
	}
	os.Remove(filepath.Join(dir, usersFileName))
	third, err := New(Options{StateDir: dir})
	if err != nil {
		t.Fatalf("lock kept by a failed start: %v", err)
	}
	third.Close()
}

// Temporary files left by an emulator killed mid-save are removed when the next one starts.
func TestStaleTempFilesRemovedOnStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stale := []string{".tmp-returns.json.123456", ".returns.json.tmp987654"}
	for _, n := range stale {
		os.WriteFile(filepath.Join(dir, n), []byte(`{"half":`), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	srv, err := New(Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed: %v", n, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
}
