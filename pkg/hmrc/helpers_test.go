package hmrc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// sleeps records the waits a client asked for instead of taking them.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// setup starts a real HTTP server with h and returns a client pointed at it with the rate limiter
// off and waits recorded.
func setup(t testing.TB, h http.Handler, opts ...Option) (*Client, *sleeps) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := &sleeps{}
	all := append([]Option{WithBaseURL(srv.URL), WithRateLimit(0), WithSleep(s.sleep)}, opts...)
	return NewClient(srv.Client(), all...), s
}

// reply writes status and body with HMRC's usual headers.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("X-CorrelationId", "c0ffee00-0000-4000-8000-000000000001")
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// readSpecExample reads one of HMRC's published example bodies kept in testdata.
func readSpecExample(name string) (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "hmrc-examples", name))
	return string(b), err
}
