package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/vatbridge/vat/pkg/atomicfile"
)

// FileStore keeps each key's token in Dir/<key>.json (and a client secret in Dir/<key>.secret), mode
// 0600 in a 0700 directory, replaced atomically. It is the explicit choice for headless machines where
// no OS keyring exists.
type FileStore struct {
	Dir string
}

var _ Store = (*FileStore)(nil)
var _ SecretStore = (*FileStore)(nil)

// Kind implements Store.
func (s *FileStore) Kind() string { return KindFile }

// Load implements Store.
func (s *FileStore) Load(ctx context.Context, key string) (*Token, error) {
	b, err := s.read(ctx, key, ".json", MaxTokenSize)
	if err != nil {
		return nil, err
	}
	t, err := UnmarshalToken(b)
	if err != nil {
		return nil, fmt.Errorf("token file for %s: %w", key, err)
	}
	return t, nil
}

// Save implements Store.
func (s *FileStore) Save(ctx context.Context, key string, t *Token) error {
	b, err := MarshalToken(t)
	if err != nil {
		return err
	}
	return s.write(ctx, key, ".json", b)
}

// Delete implements Store.
func (s *FileStore) Delete(ctx context.Context, key string) error {
	return s.remove(ctx, key, ".json")
}

// SaveSecret implements SecretStore.
func (s *FileStore) SaveSecret(ctx context.Context, key, secret string) error {
	return s.write(ctx, key, ".secret", []byte(secret))
}

// LoadSecret implements SecretStore.
func (s *FileStore) LoadSecret(ctx context.Context, key string) (string, error) {
	b, err := s.read(ctx, key, ".secret", maxSecretSize)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// DeleteSecret implements SecretStore.
func (s *FileStore) DeleteSecret(ctx context.Context, key string) error {
	return s.remove(ctx, key, ".secret")
}

func (s *FileStore) path(key, ext string) (string, error) {
	if s.Dir == "" {
		return "", errors.New("file token store: no directory")
	}
	if err := validKey(key); err != nil {
		return "", err
	}
	return filepath.Join(s.Dir, key+ext), nil
}

// checkPerm refuses group/other access on Unix; on Windows the mode bits do not describe access.
func checkPerm(path string, fi fs.FileInfo, wantDir bool) error {
	if wantDir != fi.IsDir() || (!wantDir && !fi.Mode().IsRegular()) {
		return &InsecureFileError{Path: path, Mode: fi.Mode()}
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return &InsecureFileError{Path: path, Mode: fi.Mode()}
	}
	return nil
}

func (s *FileStore) checkDir() error {
	fi, err := os.Lstat(s.Dir)
	if err != nil {
		return fmt.Errorf("token directory: %w", err)
	}
	return checkPerm(s.Dir, fi, true)
}

func (s *FileStore) read(ctx context.Context, key, ext string, limit int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := s.path(key, ext)
	if err != nil {
		return nil, err
	}
	if err := s.checkDir(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", key, ErrNotFound)
		}
		return nil, err
	}
	// Lstat first so a symlink planted in our directory is refused rather than followed.
	li, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	if err := checkPerm(p, li, false); err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	defer f.Close()
	// Check the opened file too: it may have been swapped between Lstat and Open.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	if err := checkPerm(p, fi, false); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("token file %s: larger than %d bytes", p, limit)
	}
	return b, nil
}

// prepare checks the key and the directory, creating it 0700 when missing, and returns the path.
func (s *FileStore) prepare(ctx context.Context, key, ext string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	p, err := s.path(key, ext)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", fmt.Errorf("token directory: %w", err)
	}
	if err := s.checkDir(); err != nil {
		return "", err
	}
	return p, nil
}

func (s *FileStore) write(ctx context.Context, key, ext string, b []byte) error {
	p, err := s.prepare(ctx, key, ext)
	if err != nil {
		return err
	}
	// A reader in another process sees the old token or the new one, never half of either, and a
	// reported save survives a power cut.
	if err := atomicfile.WriteFile(p, b, 0o600); err != nil {
		return fmt.Errorf("write token file: %w", err)
	}
	return nil
}

// Reserve implements Reserver: it sets aside, in the token directory, the disk space a token
// of the largest allowed size needs, so that a refresh starts only when its result can be kept.
func (s *FileStore) Reserve(ctx context.Context, key string) (Reservation, error) {
	p, err := s.prepare(ctx, key, ".json")
	if err != nil {
		return nil, err
	}
	r, err := atomicfile.Reserve(p, MaxTokenSize, 0o600)
	if err != nil {
		return nil, fmt.Errorf("reserve space for the token file: %w", err)
	}
	return fileReservation{r}, nil
}

type fileReservation struct{ r *atomicfile.Reservation }

func (f fileReservation) Save(_ context.Context, t *Token) error {
	b, err := MarshalToken(t)
	if err != nil {
		f.r.Release()
		return err
	}
	if err := f.r.Commit(b); err != nil {
		return fmt.Errorf("write token file: %w", err)
	}
	return nil
}

func (f fileReservation) Release() { f.r.Release() }

func (s *FileStore) remove(ctx context.Context, key, ext string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := s.path(key, ext)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete token file: %w", err)
	}
	return nil
}
