package auth

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
)

// Store keeps one Token per key (a profile name). Implementations must be safe for use by several
// processes at once in the sense that every Save replaces the whole value atomically; serialising
// refreshes is the job of the lock in NewTokenSource, not of the store.
type Store interface {
	// Load returns the token saved under key, or an error wrapping ErrNotFound.
	Load(ctx context.Context, key string) (*Token, error)
	// Save replaces the token under key.
	Save(ctx context.Context, key string, t *Token) error
	// Delete removes the token under key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// Kind names the backend for status output: "keyring" or "file".
	Kind() string
}

// SecretStore is implemented by the stores that can also keep an application's client secret next to
// its tokens (under a separate entry), so the secret gets the same protection as the tokens.
type SecretStore interface {
	SaveSecret(ctx context.Context, key, secret string) error
	LoadSecret(ctx context.Context, key string) (string, error)
	DeleteSecret(ctx context.Context, key string) error
}

// Store kinds accepted by OpenStore (the --token-store flag).
const (
	KindAuto    = "auto"
	KindKeyring = "keyring"
	KindFile    = "file"
)

// maxSecretSize bounds a stored client secret; HMRC's are 36 characters.
const maxSecretSize = 512

// SaveSecret stores a client secret for key in s.
func SaveSecret(ctx context.Context, s Store, key, secret string) error {
	ss, ok := s.(SecretStore)
	if !ok {
		return fmt.Errorf("save client secret: %s store cannot hold secrets", s.Kind())
	}
	if secret == "" || len(secret) > maxSecretSize {
		return fmt.Errorf("save client secret: length must be 1..%d", maxSecretSize)
	}
	return ss.SaveSecret(ctx, key, secret)
}

// LoadSecret returns the client secret stored for key, or an error wrapping ErrNotFound.
func LoadSecret(ctx context.Context, s Store, key string) (string, error) {
	ss, ok := s.(SecretStore)
	if !ok {
		return "", fmt.Errorf("load client secret: %s store cannot hold secrets: %w", s.Kind(), ErrNotFound)
	}
	return ss.LoadSecret(ctx, key)
}

// DeleteSecret removes the client secret stored for key; a missing one is not an error.
func DeleteSecret(ctx context.Context, s Store, key string) error {
	ss, ok := s.(SecretStore)
	if !ok {
		return nil
	}
	return ss.DeleteSecret(ctx, key)
}

// OpenStore returns the store for kind ("auto", "keyring" or "file"; "" means auto). The file store
// lives in configDir/tokens. "auto" uses the OS keyring only when it answers a probe within a few
// seconds; otherwise it fails with ErrNoKeyring and never falls back to a plain file by itself, because
// a user who did not choose a file must not end up with tokens in one.
func OpenStore(ctx context.Context, kind, configDir string) (Store, error) {
	switch kind {
	case KindAuto, "", KindKeyring:
		ks := NewKeyringStore()
		if err := ks.Probe(ctx); err != nil {
			return nil, err
		}
		return ks, nil
	case KindFile:
		if configDir == "" {
			return nil, errors.New("file token store: no config directory")
		}
		return &FileStore{Dir: filepath.Join(configDir, "tokens")}, nil
	default:
		return nil, fmt.Errorf("unknown token store %q (want auto, keyring or file)", kind)
	}
}

// validKey keeps keys usable both as keyring user names and as file names on every OS.
func validKey(key string) error {
	if key == "" || len(key) > 64 || key[0] == '.' || key[0] == '-' {
		return fmt.Errorf("invalid store key %q", key)
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return fmt.Errorf("invalid store key %q: use letters, digits, '-', '_' or '.'", key)
		}
	}
	return nil
}
