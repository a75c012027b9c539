package auth

import (
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkTokenSourceCached is the per-request cost once a fresh token is held.
func BenchmarkTokenSourceCached(b *testing.B) {
	store := &FileStore{Dir: filepath.Join(b.TempDir(), "tokens")}
	tok := sampleToken()
	tok.Expiry = time.Now().Add(time.Hour)
	if err := store.Save(b.Context(), "p", tok); err != nil {
		b.Fatal(err)
	}
	ts := NewTokenSource(b.Context(), nil, store, "p", b.TempDir())
	for b.Loop() {
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFileStoreSaveLoad is one atomic save (fsync included) and one checked load.
func BenchmarkFileStoreSaveLoad(b *testing.B) {
	store := &FileStore{Dir: filepath.Join(b.TempDir(), "tokens")}
	tok := sampleToken()
	for b.Loop() {
		if err := store.Save(b.Context(), "p", tok); err != nil {
			b.Fatal(err)
		}
		if _, err := store.Load(b.Context(), "p"); err != nil {
			b.Fatal(err)
		}
	}
}
