package auth

import (
	"testing"

	"github.com/gofrs/flock"
)

// newHeldLock takes the refresh lock as another process would and returns its release.
func newHeldLock(t *testing.T, path string) func() {
	t.Helper()
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil || !ok {
		t.Fatalf("take lock: %v", err)
	}
	return func() { fl.Unlock() }
}
