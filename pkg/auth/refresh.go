package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"golang.org/x/oauth2"
)

// DefaultRefreshEarly is how long before expiry a token is refreshed, so a request never leaves with
// an access token that dies in flight.
const DefaultRefreshEarly = 5 * time.Minute

// DefaultLockTimeout caps the wait for another process's refresh.
const DefaultLockTimeout = 30 * time.Second

// maxBusyRetries bounds the retries after "Refresh operation is already in progress".
const maxBusyRetries = 5

// SourceOption configures NewTokenSource.
type SourceOption func(*tokenSource)

// WithNow injects the clock.
func WithNow(now func() time.Time) SourceOption { return func(s *tokenSource) { s.now = now } }

// WithRefreshEarly sets how long before expiry to refresh.
func WithRefreshEarly(d time.Duration) SourceOption { return func(s *tokenSource) { s.early = d } }

// WithLockTimeout caps the wait for the cross-process refresh lock.
func WithLockTimeout(d time.Duration) SourceOption { return func(s *tokenSource) { s.lockTimeout = d } }

// WithRetryDelay sets the pause before re-reading after HMRC says a refresh is already in progress.
func WithRetryDelay(d time.Duration) SourceOption { return func(s *tokenSource) { s.retryDelay = d } }

// NewTokenSource returns a TokenSource that serves the token stored under key and refreshes it ahead
// of expiry. HMRC refresh tokens are single-use, so:
//   - a refresh happens under an exclusive file lock (lockDir/<key>.lock) shared by every process,
//   - the store is re-read once the lock is held, so a process that waited uses the token another
//     process just obtained instead of spending the refresh token a second time,
//   - every new token is saved before it is handed out; if saving fails, the token is not used.
//
// A rejected refresh (invalid_grant) or an expired authority gives an error matching ErrReauthRequired;
// no stored token at all gives one matching ErrNotFound (never logged in, or logged out). ctx is used for the store and the token endpoint (oauth2.HTTPClient in ctx is
// honoured) for the life of the source.
func NewTokenSource(ctx context.Context, cfg *oauth2.Config, store Store, key string, lockDir string, opts ...SourceOption) oauth2.TokenSource {
	s := &tokenSource{
		ctx:         ctx,
		cfg:         cfg,
		store:       store,
		key:         key,
		lockDir:     lockDir,
		now:         time.Now,
		early:       DefaultRefreshEarly,
		lockTimeout: DefaultLockTimeout,
		retryDelay:  time.Second,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

type tokenSource struct {
	ctx         context.Context
	cfg         *oauth2.Config
	store       Store
	key         string
	lockDir     string
	now         func() time.Time
	early       time.Duration
	lockTimeout time.Duration
	retryDelay  time.Duration

	mu  sync.Mutex // serialises refreshes within the process; the file lock does it across processes
	cur *Token
}

func (s *tokenSource) fresh(t *Token) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || s.now().Add(s.early).Before(t.Expiry))
}

// Token implements oauth2.TokenSource.
func (s *tokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh(s.cur) {
		return s.cur.OAuth2(), nil
	}
	t, err := s.load()
	if err != nil {
		return nil, err
	}
	if s.fresh(t) {
		s.cur = t
		return t.OAuth2(), nil
	}
	t, err = s.refreshLocked()
	if err != nil {
		return nil, err
	}
	s.cur = t
	return t.OAuth2(), nil
}

func (s *tokenSource) load() (*Token, error) {
	t, err := s.store.Load(s.ctx, s.key)
	if err != nil {
		return nil, fmt.Errorf("load token: %w", err)
	}
	return t, nil
}

func (s *tokenSource) refreshLocked() (*Token, error) {
	if err := os.MkdirAll(s.lockDir, 0o700); err != nil {
		return nil, fmt.Errorf("refresh lock: %w", err)
	}
	if err := validKey(s.key); err != nil {
		return nil, err
	}
	fl := flock.New(filepath.Join(s.lockDir, s.key+".lock"), flock.SetPermissions(0o600))
	lctx, cancel := context.WithTimeout(s.ctx, s.lockTimeout)
	defer cancel()
	ok, err := fl.TryLockContext(lctx, 50*time.Millisecond)
	if err != nil || !ok {
		if err == nil {
			err = lctx.Err()
		}
		return nil, fmt.Errorf("refresh lock %s: another vat process holds it: %w", fl.Path(), err)
	}
	defer fl.Unlock() //nolint:errcheck // closing the descriptor releases the lock anyway

	busy := 0
	for {
		// Re-read under the lock: another process may have refreshed while we waited.
		t, err := s.load()
		if err != nil {
			return nil, err
		}
		if s.fresh(t) {
			return t, nil
		}
		if t.RefreshToken == "" {
			return nil, fmt.Errorf("stored token has no refresh token: %w", ErrReauthRequired)
		}
		if !t.AuthorityExpiry.IsZero() && !s.now().Before(t.AuthorityExpiry) {
			return nil, fmt.Errorf("authority granted to vat expired on %s: %w",
				t.AuthorityExpiry.Format(time.DateOnly), ErrReauthRequired)
		}
		nt, err := s.refresh(t)
		if err == nil {
			if err := s.store.Save(s.ctx, s.key, nt); err != nil {
				// The old refresh token is spent; without the new one saved the next run cannot refresh.
				return nil, fmt.Errorf("save refreshed token (the next run will need vat login): %w", err)
			}
			return nt, nil
		}
		var oe *OAuthError
		if errors.As(err, &oe) && oe.Code == "invalid_request" && strings.Contains(strings.ToLower(oe.Description), "in progress") {
			// Someone outside our lock (another machine sharing the profile, or our own earlier request
			// that timed out) is refreshing: wait, re-read, and try again a few times.
			busy++
			if busy >= maxBusyRetries {
				return nil, fmt.Errorf("refresh token: still in progress after %d tries: %w", busy, err)
			}
			select {
			case <-time.After(s.retryDelay):
				continue
			case <-lctx.Done():
				return nil, fmt.Errorf("waiting for a refresh in progress: %w", lctx.Err())
			}
		}
		return nil, err
	}
}

func (s *tokenSource) refresh(t *Token) (*Token, error) {
	// An expired oauth2.Token with only the refresh token makes oauth2 refresh immediately.
	ot, err := s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: t.RefreshToken}).Token()
	if err != nil {
		err = tokenError(err)
		if errors.Is(err, ErrReauthRequired) {
			return nil, fmt.Errorf("refresh token rejected: %w", err)
		}
		return nil, fmt.Errorf("refresh token: %w", err)
	}
	nt := fromOAuth2(ot, s.now(), t.AuthorityExpiry, t.Scope)
	if nt.RefreshToken == "" {
		// oauth2 keeps the old one when none came back; HMRC always rotates, so this is defensive.
		nt.RefreshToken = t.RefreshToken
	}
	return nt, nil
}
