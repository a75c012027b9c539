package sandbox

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"

	"github.com/vatbridge/vat/pkg/atomicfile"
)

// stateLockName is the lock file in a state directory, held for the life of the Server.
const stateLockName = "emulator.lock"

// StateDirBusyError reports a state directory that another running emulator holds. Two servers
// sharing one directory each rewrite the whole state from memory, so one loses the other's
// filed returns and tokens.
type StateDirBusyError struct{ Dir string }

func (e *StateDirBusyError) Error() string {
	return fmt.Sprintf("sandbox: state directory %s is in use by another running emulator: stop it, or give this one another --state directory", e.Dir)
}

// lockStateDir takes the directory's lock without waiting and then removes the temporary files
// an emulator killed mid-save left behind: with the lock held no other server can be writing
// them.
func lockStateDir(dir string) (*flock.Flock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	fl := flock.New(filepath.Join(dir, stateLockName), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("sandbox: lock state directory: %w", err)
	}
	if !ok {
		return nil, &StateDirBusyError{Dir: dir}
	}
	if err := removeStaleTemps(dir); err != nil {
		fl.Unlock() //nolint:errcheck
		return nil, err
	}
	return fl, nil
}

func removeStaleTemps(dir string) error {
	if _, err := atomicfile.RemoveTemps(dir); err != nil {
		return fmt.Errorf("sandbox: clean state directory: %w", err)
	}
	// Names used by versions before atomicfile.
	for _, name := range []string{usersFileName, tokensFileName, returnsFileName} {
		old, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp*"))
		for _, p := range old {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("sandbox: clean state directory: %w", err)
			}
		}
	}
	return nil
}
