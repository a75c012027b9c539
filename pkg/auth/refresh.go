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
type SourceOption func(*TokenSource)

// WithNow injects the clock.
func WithNow(now func() time.Time) SourceOption { return func(s *TokenSource) { s.now = now } }

// WithRefreshEarly sets how long before expiry to refresh.
func WithRefreshEarly(d time.Duration) SourceOption { return func(s *TokenSource) { s.early = d } }

// WithLockTimeout caps the wait for the cross-process refresh lock.
func WithLockTimeout(d time.Duration) SourceOption { return func(s *TokenSource) { s.lockTimeout = d } }

// WithRetryDelay sets the pause before re-reading after HMRC says a refresh is already in progress.
func WithRetryDelay(d time.Duration) SourceOption { return func(s *TokenSource) { s.retryDelay = d } }

// WithIssuer makes the source serve only tokens issued by the API base url (see Token.Base), so
// that a token stored for one environment or URL is never sent to another.
func WithIssuer(url string) SourceOption {
	return func(s *TokenSource) { s.issuer = NormalizeBase(url) }
}

// WithSaveFailure is called when a refreshed token could not be saved (a full disk, a read-only
// file system) and is being kept in memory for the rest of the run; the error says why and what
// is at stake. Without it the failure is only available from Unsaved.
func WithSaveFailure(fn func(err error)) SourceOption {
	return func(s *TokenSource) { s.onSaveError = fn }
}

// NewTokenSource returns a TokenSource that serves the token stored under key and refreshes it
// ahead of expiry. HMRC refresh tokens are single-use, so:
//   - a refresh happens under an exclusive file lock (lockDir/<key>.lock) shared by every process,
//   - the store is re-read once the lock is held, so a process that waited uses the token another
//     process just obtained instead of spending the refresh token a second time,
//   - space for the new token is reserved in the store before the refresh token is sent, so a
//     full disk stops the refresh while the old refresh token is still good,
//   - a refreshed token that still cannot be saved is kept in memory and used for the rest of the
//     run (the stored refresh token is spent), with the failure reported through WithSaveFailure,
//   - a refresh token is sent at most once per run: a failed refresh is never retried with it.
//
// A rejected refresh (invalid_grant) or an expired authority gives an error matching
// ErrReauthRequired; no stored token at all gives one matching ErrNotFound (never logged in, or
// logged out). Every error from Token is a *TokenError. ctx is used for the store and the token
// endpoint (oauth2.HTTPClient in ctx is honoured, with redirects refused) for the life of the
// source.
func NewTokenSource(ctx context.Context, cfg *oauth2.Config, store Store, key string, lockDir string, opts ...SourceOption) *TokenSource {
	s := &TokenSource{
		ctx:         safeContext(ctx),
		cfg:         cfg,
		store:       store,
		key:         key,
		lockDir:     lockDir,
		now:         time.Now,
		early:       DefaultRefreshEarly,
		lockTimeout: DefaultLockTimeout,
		retryDelay:  time.Second,
		spent:       map[string]error{},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// TokenSource serves and refreshes one stored token; see NewTokenSource. It implements
// oauth2.TokenSource and is safe for concurrent use.
type TokenSource struct {
	ctx         context.Context
	cfg         *oauth2.Config
	store       Store
	key         string
	lockDir     string
	now         func() time.Time
	early       time.Duration
	lockTimeout time.Duration
	retryDelay  time.Duration
	issuer      string
	onSaveError func(error)

	mu  sync.Mutex // serialises refreshes within the process; the file lock does it across processes
	cur *Token
	// unsaved is a refreshed token the store could not take; the store still holds the refresh
	// token spent to obtain it (spentFrom), so until a save succeeds unsaved is the live one.
	unsaved   *Token
	spentFrom string
	saveErr   error
	// spent maps each refresh token sent in this run to the failure that followed, so that it is
	// never sent again: HMRC may have consumed it even when its answer was unusable.
	spent map[string]error
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// TokenError wraps every failure to provide a token. No request was sent for want of it, so an
// HTTP client should neither retry (which would send a single-use refresh token again) nor treat
// a submission as possibly filed.
type TokenError struct{ Err error }

func (e *TokenError) Error() string { return e.Err.Error() }
func (e *TokenError) Unwrap() error { return e.Err }

// NotActedOn reports that the request needing the token was never sent.
func (e *TokenError) NotActedOn() bool { return true }

// UnsavedTokenError reports a refreshed token that could not be saved and is kept in memory only.
type UnsavedTokenError struct {
	Key string
	Err error
}

func (e *UnsavedTokenError) Error() string {
	return fmt.Sprintf("the refreshed HMRC token for %s could not be saved (%v); it is used for this run only, and the stored refresh token is spent: free the space and run vat again before this run ends to keep it, or run vat login afterwards", e.Key, e.Err)
}

func (e *UnsavedTokenError) Unwrap() error { return e.Err }

// IssuerMismatchError reports a stored token issued by another API base than the one in use.
type IssuerMismatchError struct {
	Key, Have, Want string
}

func (e *IssuerMismatchError) Error() string {
	have := e.Have
	if have == "" {
		have = "an unrecorded API"
	}
	return fmt.Sprintf("the token stored under %s was issued by %s, not %s: it is not sent there", e.Key, have, e.Want)
}

// Is makes the mismatch call for a login (errors.Is(err, ErrReauthRequired)).
func (e *IssuerMismatchError) Is(target error) bool { return target == ErrReauthRequired }

func (s *TokenSource) fresh(t *Token) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || s.now().Add(s.early).Before(t.Expiry))
}

// Token implements oauth2.TokenSource.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	t, err := s.token()
	if err != nil {
		return nil, err
	}
	return t.OAuth2(), nil
}

func (s *TokenSource) token() (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tokenLocked("")
	if err != nil {
		return nil, &TokenError{Err: err}
	}
	return t, nil
}

// tokenLocked returns a fresh token; with stale set (an access token the API refused) it returns
// one other than stale, refreshing if need be. The caller holds s.mu.
func (s *TokenSource) tokenLocked(stale string) (*Token, error) {
	if s.unsaved != nil {
		s.flushLocked()
	}
	if s.fresh(s.cur) && s.cur.AccessToken != stale {
		return s.cur, nil
	}
	if s.unsaved == nil {
		t, err := s.load()
		if err != nil {
			return nil, err
		}
		if s.fresh(t) && t.AccessToken != stale {
			s.cur = t
			return t, nil
		}
	}
	t, err := s.refreshLocked(stale)
	if err != nil {
		return nil, err
	}
	s.cur = t
	return t, nil
}

// RefreshRejected is for an API that answered 401 to a request carrying the access token stale:
// HMRC revoked it or it expired early. It returns a different token, the one another process
// saved meanwhile or a new one from a refresh under the same cross-process lock as any refresh.
// Transport calls it; other callers must not call it twice for one 401.
func (s *TokenSource) RefreshRejected(stale string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tokenLocked(stale)
	if err != nil {
		return nil, &TokenError{Err: err}
	}
	return t.OAuth2(), nil
}

// Unsaved returns the error behind a refreshed token kept in memory only (an
// *UnsavedTokenError), or nil when every token obtained is saved.
func (s *TokenSource) Unsaved() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unsaved != nil {
		s.flushLocked()
	}
	return s.saveErr
}

func (s *TokenSource) load() (*Token, error) {
	t, err := s.store.Load(s.ctx, s.key)
	if err != nil {
		return nil, fmt.Errorf("load token: %w", err)
	}
	if s.issuer != "" && NormalizeBase(t.Base) != s.issuer {
		return nil, &IssuerMismatchError{Key: s.key, Have: t.Base, Want: s.issuer}
	}
	return t, nil
}

// lock takes the cross-process refresh lock. Its failures say what is wrong: only a wait that
// ran out means another process holds it.
func (s *TokenSource) lock() (*flock.Flock, error) {
	if err := validKey(s.key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.lockDir, 0o700); err != nil {
		return nil, fmt.Errorf("refresh lock: %w", err)
	}
	fl := flock.New(filepath.Join(s.lockDir, s.key+".lock"), flock.SetPermissions(0o600))
	lctx, cancel := context.WithTimeout(s.ctx, s.lockTimeout)
	defer cancel()
	ok, err := fl.TryLockContext(lctx, 50*time.Millisecond)
	switch {
	case ok && err == nil:
		return fl, nil
	case s.ctx.Err() != nil:
		return nil, fmt.Errorf("refresh lock %s: %w", fl.Path(), s.ctx.Err())
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("refresh lock %s: cannot open or lock it: %w", fl.Path(), err)
	default:
		return nil, fmt.Errorf("refresh lock %s: another vat process has held it for %s: %w", fl.Path(), s.lockTimeout, context.DeadlineExceeded)
	}
}

func (s *TokenSource) refreshLocked(stale string) (*Token, error) {
	fl, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer fl.Unlock() //nolint:errcheck // closing the descriptor releases the lock anyway

	busy := 0
	for {
		var t *Token
		if s.unsaved != nil {
			// The store still holds the refresh token we spent; ours is the live one.
			t = s.unsaved
		} else {
			// Re-read under the lock: another process may have refreshed while we waited.
			if t, err = s.load(); err != nil {
				return nil, err
			}
		}
		if s.fresh(t) && t.AccessToken != stale {
			return t, nil
		}
		if t.RefreshToken == "" {
			return nil, fmt.Errorf("stored token has no refresh token: %w", ErrReauthRequired)
		}
		if !t.AuthorityExpiry.IsZero() && !s.now().Before(t.AuthorityExpiry) {
			return nil, fmt.Errorf("authority granted to vat expired on %s: %w",
				t.AuthorityExpiry.Format(time.DateOnly), ErrReauthRequired)
		}
		if prev, ok := s.spent[t.RefreshToken]; ok {
			return nil, fmt.Errorf("not sending the refresh token again (it works once, and this run already sent it): %w", prev)
		}
		var res Reservation
		if r, ok := s.store.(Reserver); ok {
			if res, err = r.Reserve(s.ctx, s.key); err != nil {
				return nil, fmt.Errorf("not refreshing the HMRC token, because the new single-use refresh token could not be saved (nothing was sent to HMRC): %w", err)
			}
		}
		s.spent[t.RefreshToken] = errors.New("refresh failed")
		nt, err := s.refresh(t)
		if err == nil {
			s.keep(nt, t.RefreshToken, res)
			return nt, nil
		}
		if res != nil {
			res.Release()
		}
		s.spent[t.RefreshToken] = err
		var oe *OAuthError
		if errors.As(err, &oe) && oe.Code == "invalid_request" && strings.Contains(strings.ToLower(oe.Description), "in progress") {
			// HMRC refused to start the refresh, so the token is not spent. Someone outside our lock
			// (another machine sharing the profile, or our own earlier request that timed out) is
			// refreshing: wait, re-read, and try again a few times.
			delete(s.spent, t.RefreshToken)
			busy++
			if busy >= maxBusyRetries {
				return nil, fmt.Errorf("refresh token: still in progress after %d tries: %w", busy, err)
			}
			select {
			case <-time.After(s.retryDelay):
				continue
			case <-s.ctx.Done():
				return nil, fmt.Errorf("waiting for a refresh in progress: %w", s.ctx.Err())
			}
		}
		return nil, err
	}
}

// keep saves a refreshed token, into the reserved space when there is one. When the save fails
// the token is kept in memory: the refresh token that bought it is spent, so dropping it would
// leave this run, and every later one, without authority.
func (s *TokenSource) keep(nt *Token, spentFrom string, res Reservation) {
	var err error
	if res != nil {
		err = res.Save(s.ctx, nt)
		res.Release()
	}
	if res == nil || err != nil {
		err = s.store.Save(s.ctx, s.key, nt)
	}
	if err == nil {
		s.unsaved, s.spentFrom, s.saveErr = nil, "", nil
		return
	}
	s.unsaved, s.spentFrom = nt, spentFrom
	s.saveErr = &UnsavedTokenError{Key: s.key, Err: err}
	if s.onSaveError != nil {
		s.onSaveError(s.saveErr)
	}
}

// flushLocked tries again to save a token kept in memory. It overwrites the store only while the
// store still holds the spent refresh token: anything else was saved by a later login or process.
func (s *TokenSource) flushLocked() {
	fl, err := s.lock()
	if err != nil {
		return
	}
	defer fl.Unlock() //nolint:errcheck
	if t, err := s.store.Load(s.ctx, s.key); err == nil && t.RefreshToken != s.spentFrom {
		s.unsaved, s.spentFrom, s.saveErr = nil, "", nil
		return
	}
	if err := s.store.Save(s.ctx, s.key, s.unsaved); err == nil {
		s.unsaved, s.spentFrom, s.saveErr = nil, "", nil
	}
}

func (s *TokenSource) refresh(t *Token) (*Token, error) {
	// An expired oauth2.Token with only the refresh token makes oauth2 refresh immediately.
	ot, err := s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: t.RefreshToken}).Token()
	if err != nil {
		err = tokenError(err)
		if errors.Is(err, ErrReauthRequired) {
			return nil, fmt.Errorf("refresh token rejected: %w", err)
		}
		return nil, fmt.Errorf("refresh token: %w", err)
	}
	base := t.Base
	if base == "" {
		base = Issuer(s.cfg)
	}
	nt := fromOAuth2(ot, s.now(), t.AuthorityExpiry, t.Scope, base)
	if nt.RefreshToken == "" {
		// oauth2 keeps the old one when none came back; HMRC always rotates, so this is defensive.
		nt.RefreshToken = t.RefreshToken
	}
	return nt, nil
}
