// Package atomicfile replaces a file's contents so that, after a crash or power cut, readers find
// either the old contents or the new ones, never a torn mixture and never an empty file.
//
// Rename alone is not enough: without fsync of the file the rename can reach the disk before the
// data (an empty file after a crash), and without fsync of the directory the rename itself can be
// lost (the old contents come back after the new ones were reported saved).
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// TempPrefix starts the name of every temporary file this package creates, so that a directory's
// owner can tell leftovers of a killed writer apart from real files (see RemoveTemps).
const TempPrefix = ".tmp-"

// WriteFile writes data to path with permissions perm through a temporary file in the same
// directory, syncs it, renames it over path and syncs the directory. On any failure path is left
// as it was and the temporary file is removed.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	r, err := reserve(path, len(data), perm)
	if err != nil {
		return err
	}
	return r.Commit(data)
}

// Reservation is a temporary file next to its target that already holds enough disk blocks for
// the new contents: committing overwrites those blocks and shrinks the file, which needs no new
// space on file systems that overwrite in place (ext4, xfs, tmpfs), so a full disk is found out
// before, not after, an irreversible step such as spending a single-use token.
type Reservation struct {
	path string
	f    *os.File
	size int
	done bool
}

// Reserve creates the temporary file for path and fills it with size bytes, synced. Call Commit
// to write the real contents, or Release to give the space back.
func Reserve(path string, size int, perm fs.FileMode) (*Reservation, error) {
	return reserve(path, size, perm)
}

func reserve(path string, size int, perm fs.FileMode) (*Reservation, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, TempPrefix+base+".*")
	if err != nil {
		return nil, err
	}
	r := &Reservation{path: path, f: f, size: size}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		r.Release()
		return nil, err
	}
	if size > 0 {
		if _, err := f.Write(make([]byte, size)); err != nil {
			r.Release()
			return nil, err
		}
		if err := f.Sync(); err != nil {
			r.Release()
			return nil, err
		}
	}
	return r, nil
}

// Commit replaces the target with data. Data longer than the reservation is written too, with
// whatever risk of running out of space that carries.
func (r *Reservation) Commit(data []byte) error {
	if r.done {
		return errors.New("atomicfile: reservation already used")
	}
	defer r.Release()
	if _, err := r.f.WriteAt(data, 0); err != nil {
		return err
	}
	if len(data) < r.size {
		if err := r.f.Truncate(int64(len(data))); err != nil {
			return err
		}
	}
	if err := r.f.Sync(); err != nil {
		return err
	}
	if err := r.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.f.Name(), r.path); err != nil {
		return err
	}
	r.done = true
	return SyncDir(filepath.Dir(r.path))
}

// Release removes the temporary file unless Commit renamed it into place. It is safe to call more
// than once.
func (r *Reservation) Release() {
	if r.done {
		return
	}
	r.done = true
	r.f.Close()
	os.Remove(r.f.Name())
}

// SyncDir makes the directory's entries (a rename, a new file) durable. Windows cannot open a
// directory for syncing and commits metadata itself.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return &fs.PathError{Op: "sync", Path: dir, Err: err}
	}
	return nil
}

// RemoveTemps deletes the temporary files a killed writer left in dir and returns their names.
// Only call it when no other process can be writing there (the caller holds the directory's lock),
// since a live writer's temporary file looks the same.
func RemoveTemps(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), TempPrefix) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Name())
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("remove temporary files: %w", err)
	}
	return removed, nil
}
