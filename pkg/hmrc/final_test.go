package hmrc

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/vatbridge/vat/pkg/httpsafe"
)

// notSentError stands for what the auth package's token source returns when no token could be
// had: the request never left.
type notSentError struct{ err error }

func (e *notSentError) Error() string    { return e.err.Error() }
func (e *notSentError) Unwrap() error    { return e.err }
func (e *notSentError) NotActedOn() bool { return true }

// failingTransport fails every request before sending it, counting the attempts.
type failingTransport struct {
	n   atomic.Int32
	err error
}

func (f *failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	f.n.Add(1)
	return nil, f.err
}

// A failed token refresh used to be retried by the GET's retry loop, sending the single-use
// refresh token again each time; a local file-system failure passed for a network outage.
func TestTokenAndLocalFailuresAreNeitherRetriedNorInDoubt(t *testing.T) {
	t.Parallel()
	for name, cause := range map[string]error{
		"token endpoint 401 invalid_client": &notSentError{errors.New("hmrc oauth error 401 invalid_client")},
		"token endpoint HTML 200":           &notSentError{errors.New("oauth2: server response missing access_token")},
		"full disk":                         fmt.Errorf("load token: %w", &fs.PathError{Op: "open", Path: "/cfg/tokens/x.json", Err: syscall.ENOSPC}),
		"read-only":                         &fs.PathError{Op: "open", Path: "/cfg/tokens/x.lock", Err: syscall.EROFS},
	} {
		ft := &failingTransport{err: cause}
		c := NewClient(&http.Client{Transport: ft}, WithBaseURL("http://127.0.0.1:1"), WithRateLimit(0), WithSleep((&sleeps{}).sleep))
		_, _, err := c.Obligations(t.Context(), "123456789", openQ)
		if err == nil || ft.n.Load() != 1 {
			t.Errorf("%s: GET err = %v after %d attempts, want 1 attempt", name, err, ft.n.Load())
		}
		if IsTemporary(err) {
			t.Errorf("%s: IsTemporary = true", name)
		}
		ft.n.Store(0)
		_, _, err = c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
		if err == nil || errors.Is(err, ErrOutcomeUnknown) || ft.n.Load() != 1 {
			t.Errorf("%s: submit err = %v after %d attempts, want a known failure after 1", name, err, ft.n.Load())
		}
	}
}

// A redirect from the API is refused: the return is not re-POSTed to the other host, the token
// never reaches it, and the outcome is known (not filed), not "in doubt".
func TestSubmitRedirectIsRefused(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		var leaked atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked.Add(1) }))
		defer other.Close()
		var posts atomic.Int32
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			http.Redirect(w, r, other.URL+r.URL.Path, code)
		}))
		defer api.Close()
		c := NewClient(httpsafe.Client(api.Client()), WithBaseURL(api.URL), WithRateLimit(0), WithSleep((&sleeps{}).sleep))
		_, _, err := c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
		var re *httpsafe.RedirectError
		if !errors.As(err, &re) || errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%d: err = %v, want a refused redirect with a known outcome", code, err)
		}
		if posts.Load() != 1 || leaked.Load() != 0 {
			t.Errorf("%d: POSTs to the API = %d, requests to the other host = %d; want 1 and 0", code, posts.Load(), leaked.Load())
		}
	}
}

// sentThenLocalFailure sends the request for real and then fails with a local file-system error,
// as a transport that logs the exchange to a full disk could.
type sentThenLocalFailure struct{}

func (sentThenLocalFailure) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return nil, &fs.PathError{Op: "write", Path: "/var/log/vat-trace", Err: syscall.ENOSPC}
}

// A local failure after the return had left is not proof that HMRC did not file it.
func TestLocalFailureAfterSendingIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		reply(w, 201, submitOK)
	}))
	defer api.Close()
	c := NewClient(&http.Client{Transport: sentThenLocalFailure{}}, WithBaseURL(api.URL), WithRateLimit(0), WithSleep((&sleeps{}).sleep))
	_, _, err := c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
	if !errors.Is(err, ErrOutcomeUnknown) || posts.Load() != 1 {
		t.Fatalf("err = %v after %d POSTs, want an unknown outcome after 1", err, posts.Load())
	}
}
