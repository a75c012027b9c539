package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Store keeps one Token per key (see TokenKey). Implementations must be safe for use by several
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

// Reserver is implemented by stores that can set aside the space a Save will need, so that a
// token refresh, which spends HMRC's single-use refresh token, starts only when its result can
// be kept. The file store implements it; an OS keyring keeps its own storage.
type Reserver interface {
	Reserve(ctx context.Context, key string) (Reservation, error)
}

// Reservation is space set aside for one Save of a token.
type Reservation interface {
	// Save writes t into the reserved space; it can be called once.
	Save(ctx context.Context, t *Token) error
	// Release gives the space back unless Save used it. It is safe to call after Save.
	Release()
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
	if key == "" || len(key) > maxKeyLen || key[0] == '.' || key[0] == '-' || key[0] == '+' {
		return fmt.Errorf("invalid store key %q", key)
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == '+':
		default:
			return fmt.Errorf("invalid store key %q: use letters, digits, '-', '_', '.' or '+'", key)
		}
	}
	return nil
}

// maxKeyLen leaves room for a 64-character profile name plus the environment and URL suffix.
const maxKeyLen = 128

// TokenKey is the store key of a profile's tokens for one environment: "<profile>+<env>", plus a
// digest of the API URL when one overrides the environment's default ("<profile>+local-1a2b...").
// Keying by profile alone let --env local or a stray VAT_API_URL pick up the production token and
// send it to whatever URL was named. '+' cannot occur in a profile name, so no profile's key can
// collide with another's, or with the profile-only keys older versions wrote.
func TokenKey(profile, env, apiURL string) (string, error) {
	if err := validKey(profile); err != nil || strings.Contains(profile, "+") {
		return "", fmt.Errorf("invalid profile name %q", profile)
	}
	if env == "" || strings.ContainsAny(env, "+-") {
		return "", fmt.Errorf("invalid environment %q", env)
	}
	key := profile + "+" + env
	if apiURL != "" {
		sum := sha256.Sum256([]byte(NormalizeBase(apiURL)))
		key += "-" + hex.EncodeToString(sum[:6])
	}
	if err := validKey(key); err != nil {
		return "", err
	}
	return key, nil
}

// NormalizeBase is the form of an API base URL that tokens record and compare: lower-case scheme
// and host, no trailing slash.
func NormalizeBase(base string) string {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return strings.TrimRight(base, "/")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/")
}

// MigrateLegacyToken moves a token stored by an older vat under the bare profile name (legacyKey)
// to newKey, recording base as its issuer, and deletes the old entry. It does nothing when newKey
// already holds a token or legacyKey holds none, and it refuses a base that is not https, so an
// old token (which says nothing about where it came from) is never adopted by a local emulator or
// any plain-http URL. Call it only where the old token's issuer is known, that is, when the
// environment is the profile's own (from its settings or the default, not a flag or variable) and
// no API URL overrides it; vat login always saved a profile's token for that environment.
func MigrateLegacyToken(ctx context.Context, s Store, legacyKey, newKey, base string) (bool, error) {
	if !strings.HasPrefix(strings.ToLower(base), "https://") {
		return false, nil
	}
	if _, err := s.Load(ctx, newKey); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("migrate stored token: %w", err)
	}
	t, err := s.Load(ctx, legacyKey)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("migrate stored token: %w", err)
	}
	if t.Base != "" {
		return false, nil // written by this version: it belongs to whatever its base says
	}
	t.Base = NormalizeBase(base)
	if err := s.Save(ctx, newKey, t); err != nil {
		return false, fmt.Errorf("migrate stored token: %w", err)
	}
	if err := s.Delete(ctx, legacyKey); err != nil {
		return true, fmt.Errorf("migrate stored token: delete the old entry: %w", err)
	}
	return true, nil
}
