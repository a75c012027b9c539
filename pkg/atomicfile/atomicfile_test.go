package atomicfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vatbridge/vat/pkg/atomicfile"
	"github.com/vatbridge/vat/pkg/internal/fulldisk"
)

func TestWriteFileReplacesAndLeavesNoTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	for _, s := range []string{"first", "second, longer"} {
		if err := atomicfile.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != s {
			t.Fatalf("read back %q, %v; want %q", b, err, s)
		}
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the file", len(ents))
	}
}

// The reservation is what lets a token refresh or a receipt go ahead only when its result can be
// kept: once reserved, a full disk must not stop the commit.
func TestReservationCommitsOnFullDisk(t *testing.T) {
	dir := fulldisk.Mount(t, 64)
	p := filepath.Join(dir, "token.json")
	if err := atomicfile.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := atomicfile.Reserve(p, 2048, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	fulldisk.Fill(t, dir)
	if err := atomicfile.WriteFile(filepath.Join(dir, "other"), make([]byte, 4096), 0o600); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("the disk is not full: write gave %v", err)
	}
	want := strings.Repeat("n", 1500)
	if err := r.Commit([]byte(want)); err != nil {
		t.Fatalf("commit into reserved space: %v", err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != want {
		t.Fatalf("read back %d bytes, %v", len(b), err)
	}
}

func TestWriteFileOnFullDiskKeepsOldAndCleansUp(t *testing.T) {
	dir := fulldisk.Mount(t, 64)
	p := filepath.Join(dir, "state.json")
	if err := atomicfile.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	fulldisk.Fill(t, dir)
	err := atomicfile.WriteFile(p, make([]byte, 8192), 0o600)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write on full disk = %v, want ENOSPC", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("old contents lost: %q", b)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), atomicfile.TempPrefix) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestRemoveTemps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, atomicfile.TempPrefix+"returns.json.123"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(dir, "returns.json"), []byte("{}"), 0o600)
	got, err := atomicfile.RemoveTemps(dir)
	if err != nil || len(got) != 1 {
		t.Fatalf("removed %v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "returns.json")); err != nil {
		t.Errorf("real file removed: %v", err)
	}
}
