package rehearse

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Call is one HTTP exchange with HMRC, as the approval evidence lists it. It holds no header
// values and no query string of an OAuth address, so no token, code or secret can reach a report.
type Call struct {
	Time          time.Time `json:"time"`
	Method        string    `json:"method"`
	Endpoint      string    `json:"endpoint"` // path, with the query of a VAT API call (its dates)
	Status        int       `json:"status,omitempty"`
	CorrelationID string    `json:"correlationId,omitempty"`
	// Error is a transport failure: the request got no HTTP reply.
	Error string `json:"error,omitempty"`
}

// Recorder is an http.RoundTripper that notes every exchange, to be collected per step. It sits
// innermost, under the OAuth and fraud-prevention transports, so it sees each retry and each token
// request as HMRC does.
type Recorder struct {
	// Base sends the request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limit, when set, paces the API requests of every client sharing this recorder: HMRC's rate
	// limit counts all of an application's requests, and each hmrc.Client paces only its own.
	Limit *rate.Limiter

	mu    sync.Mutex
	calls []Call
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.Limit != nil && !strings.HasPrefix(req.URL.Path, "/oauth/") {
		if err := r.Limit.Wait(req.Context()); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	c := Call{Time: r.now().UTC(), Method: req.Method, Endpoint: endpointOf(req)}
	base := r.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		c.Error = err.Error()
	} else {
		c.Status, c.CorrelationID = resp.StatusCode, resp.Header.Get("X-CorrelationId")
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return resp, err
}

// Take returns the calls noted since the last Take and starts a new list.
func (r *Recorder) Take() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

func (r *Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// endpointOf keeps the query only of VAT API calls, whose dates say what was asked; OAuth and
// sign-in addresses carry codes and states in theirs.
func endpointOf(req *http.Request) string {
	p := req.URL.EscapedPath()
	if strings.HasPrefix(p, "/organisations/") && req.URL.RawQuery != "" {
		return p + "?" + req.URL.RawQuery
	}
	return p
}
