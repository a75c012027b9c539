package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which tokens are filed in the OS keyring.
const KeyringService = "vat"

// DefaultKeyringTimeout bounds every keyring call. A locked Secret Service or a keychain whose ACL
// changed can wait forever for a prompt nobody sees (cron, SSH), so we give up, like gh, after 3 s.
const DefaultKeyringTimeout = 3 * time.Second

// probeUser is a key no profile can have (':' is not allowed in keys), looked up to test the keyring.
const probeUser = "probe:vat"

// keyringAPI is the part of go-keyring we call; tests substitute a slow one to exercise the timeout.
type keyringAPI interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type zalandoKeyring struct{}

func (zalandoKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (zalandoKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (zalandoKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// KeyringStore keeps tokens in the OS keyring (macOS Keychain, Windows Credential Manager, the
// freedesktop Secret Service on Linux/BSD), one item per key, service "vat".
type KeyringStore struct {
	Service string        // keyring service name; KeyringService by default
	Timeout time.Duration // per call; DefaultKeyringTimeout by default

	api       keyringAPI
	busExists func() bool
}

var _ Store = (*KeyringStore)(nil)
var _ SecretStore = (*KeyringStore)(nil)

// NewKeyringStore returns a store over the real OS keyring.
func NewKeyringStore() *KeyringStore {
	return &KeyringStore{Service: KeyringService, Timeout: DefaultKeyringTimeout}
}

// Kind implements Store.
func (s *KeyringStore) Kind() string { return KindKeyring }

// Probe checks that a keyring answers within the timeout, so "auto" can refuse early with advice
// instead of failing after a login. It fails with an error wrapping ErrNoKeyring.
func (s *KeyringStore) Probe(ctx context.Context) error {
	_, err := s.get(ctx, probeUser)
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	if errors.Is(err, ErrNoKeyring) {
		return err
	}
	return fmt.Errorf("%w (%w)", ErrNoKeyring, err)
}

// Load implements Store.
func (s *KeyringStore) Load(ctx context.Context, key string) (*Token, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	v, err := s.get(ctx, key)
	if err != nil {
		return nil, err
	}
	t, err := UnmarshalToken([]byte(v))
	if err != nil {
		return nil, fmt.Errorf("keyring item for %s: %w", key, err)
	}
	return t, nil
}

// Save implements Store.
func (s *KeyringStore) Save(ctx context.Context, key string, t *Token) error {
	if err := validKey(key); err != nil {
		return err
	}
	b, err := MarshalToken(t)
	if err != nil {
		return err
	}
	return s.set(ctx, key, string(b))
}

// Delete implements Store.
func (s *KeyringStore) Delete(ctx context.Context, key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	return s.del(ctx, key)
}

// SaveSecret implements SecretStore.
func (s *KeyringStore) SaveSecret(ctx context.Context, key, secret string) error {
	if err := validKey(key); err != nil {
		return err
	}
	return s.set(ctx, secretUser(key), secret)
}

// LoadSecret implements SecretStore.
func (s *KeyringStore) LoadSecret(ctx context.Context, key string) (string, error) {
	if err := validKey(key); err != nil {
		return "", err
	}
	v, err := s.get(ctx, secretUser(key))
	if err != nil {
		return "", err
	}
	if len(v) > maxSecretSize {
		return "", fmt.Errorf("keyring client secret for %s: larger than %d bytes", key, maxSecretSize)
	}
	return v, nil
}

// DeleteSecret implements SecretStore.
func (s *KeyringStore) DeleteSecret(ctx context.Context, key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	return s.del(ctx, secretUser(key))
}

// secretUser files the client secret under a name no token key can take (':' is not a key character).
func secretUser(key string) string { return "client-secret:" + key }

func (s *KeyringStore) get(ctx context.Context, user string) (string, error) {
	var v string
	err := s.call(ctx, "get", func(api keyringAPI) error {
		var err error
		v, err = api.Get(s.service(), user)
		return err
	})
	return v, err
}

func (s *KeyringStore) set(ctx context.Context, user, value string) error {
	return s.call(ctx, "set", func(api keyringAPI) error { return api.Set(s.service(), user, value) })
}

func (s *KeyringStore) del(ctx context.Context, user string) error {
	err := s.call(ctx, "delete", func(api keyringAPI) error { return api.Delete(s.service(), user) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (s *KeyringStore) service() string {
	if s.Service == "" {
		return KeyringService
	}
	return s.Service
}

// call runs fn in a goroutine and stops waiting after the timeout or when ctx ends. The goroutine may
// outlive the call (go-keyring offers no cancellation); its result lands in a buffered channel and is
// dropped, so nothing leaks but the goroutine itself until the keyring answers or the process exits.
func (s *KeyringStore) call(ctx context.Context, op string, fn func(keyringAPI) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("keyring %s: %w", op, err)
	}
	busExists := s.busExists
	if busExists == nil {
		busExists = func() bool { return sessionBusAvailable(os.Getenv, os.Stat, os.Getuid()) }
	}
	// Without a session bus, godbus would autolaunch dbus-launch and leave daemons running after we
	// exit (godbus/dbus session-bus autolaunch), so we do not touch go-keyring at all.
	if !busExists() {
		return fmt.Errorf("%w (no D-Bus session bus)", ErrNoKeyring)
	}
	api := s.api
	if api == nil {
		api = zalandoKeyring{}
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	done := make(chan error, 1)
	go func() { done <- fn(api) }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("keyring %s: %w", op, ErrNotFound)
		}
		if errors.Is(err, keyring.ErrSetDataTooBig) {
			return fmt.Errorf("keyring %s: %w", op, ErrTokenTooLarge)
		}
		if err != nil {
			// go-keyring's messages name D-Bus objects and commands, never the secret.
			return fmt.Errorf("keyring %s: %w", op, err)
		}
		return nil
	case <-timer.C:
		return &TimeoutError{Op: op, After: timeout}
	case <-ctx.Done():
		return fmt.Errorf("keyring %s: %w", op, ctx.Err())
	}
}
