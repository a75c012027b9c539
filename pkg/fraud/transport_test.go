package fraud

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingCollector returns fixed facts, counts its calls and hands out a new address on every
// LocalIPs call so that tests can tell a fresh collection from a cached one.
type countingCollector struct {
	facts    Facts
	err      error
	collects atomic.Int32
	ipCalls  atomic.Int32
}

func (c *countingCollector) Collect(context.Context) (Facts, error) {
	c.collects.Add(1)
	return c.facts, c.err
}

func (c *countingCollector) LocalIPs(context.Context) ([]netip.Addr, error) {
	n := c.ipCalls.Add(1)
	return []netip.Addr{netip.AddrFrom4([4]byte{10, 0, 0, byte(n)})}, nil
}

// onlyCollect hides LocalIPs so the transport must collect everything per request.
type onlyCollect struct{ c *countingCollector }

func (o onlyCollect) Collect(ctx context.Context) (Facts, error) { return o.c.Collect(ctx) }

// recorder is a real HTTP server that remembers the headers of each request it got.
type recorder struct {
	mu  sync.Mutex
	got []http.Header
}

func newRecorder(t *testing.T) (*recorder, *httptest.Server) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.got = append(rec.got, r.Header.Clone())
		rec.mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return rec, srv
}

// steppingClock advances one second per call, starting at a known instant.
func steppingClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	n := 0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		n++
		return start.Add(time.Duration(n) * time.Second)
	}
}

func TestTransportStampsEveryRequest(t *testing.T) {
	t.Parallel()
	rec, srv := newRecorder(t)
	col := &countingCollector{facts: goldenFacts()}
	start := time.Date(2026, 3, 29, 0, 59, 58, 0, time.UTC)
	tr := &Transport{Collector: col, Now: steppingClock(start)}
	client := &http.Client{Transport: tr}

	const n = 3
	for i := 0; i < n; i++ {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/organisations/vat/123456789/obligations", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "application/vnd.hmrc.1.0+json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp.Body.Close()
		if len(req.Header) != 1 {
			t.Errorf("request %d: caller's request was modified: %v", i, req.Header)
		}
	}
	if got := col.collects.Load(); got != 1 {
		t.Errorf("Collect called %d times, want 1 (static facts are cached)", got)
	}
	if got := col.ipCalls.Load(); got != n {
		t.Errorf("LocalIPs called %d times, want %d (once per request)", got, n)
	}
	if len(rec.got) != n {
		t.Fatalf("server saw %d requests, want %d", len(rec.got), n)
	}
	stamps := map[string]bool{}
	for i, h := range rec.got {
		for _, name := range DesktopAppDirect.HeaderNames() {
			if _, ok := h[canonical(name)]; !ok {
				t.Errorf("request %d: %s missing", i, name)
			}
		}
		if got := h.Get("Accept"); got != "application/vnd.hmrc.1.0+json" {
			t.Errorf("request %d: caller's Accept header lost: %q", i, got)
		}
		if got, want := h.Get(HeaderLocalIPs), "10.0.0."+string(rune('1'+i)); got != want {
			t.Errorf("request %d: local IPs %q, want freshly collected %q", i, got, want)
		}
		ts := h.Get(HeaderLocalIPsTimestamp)
		if _, err := time.Parse(TimestampLayout, ts); err != nil {
			t.Errorf("request %d: bad timestamp %q: %v", i, ts, err)
		}
		stamps[ts] = true
	}
	if len(stamps) != n {
		t.Errorf("timestamps not refreshed per request: %v", stamps)
	}
	// The clock's first reading stamps the first collection of local IPs.
	if got, want := rec.got[0].Get(HeaderLocalIPsTimestamp), "2026-03-29T00:59:59.000Z"; got != want {
		t.Errorf("first timestamp %q, want %q", got, want)
	}
}

// TestTransportTimezoneFollowsRequestTime crosses the 2026 start of British Summer Time
// (01:00 UTC on 29 March) between two requests of one cached collection.
func TestTransportTimezoneFollowsRequestTime(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	rec, srv := newRecorder(t)
	f := goldenFacts()
	f.Location = london
	times := []time.Time{
		time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 1, 0, 0, time.UTC), time.Date(2026, 3, 29, 1, 1, 0, 0, time.UTC),
	}
	var i atomic.Int32
	tr := &Transport{Collector: &countingCollector{facts: f}, Now: func() time.Time { return times[i.Add(1)-1] }}
	for range 2 {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := rec.got[0].Get(HeaderTimezone); got != "UTC+00:00" {
		t.Errorf("before BST: %q", got)
	}
	if got := rec.got[1].Get(HeaderTimezone); got != "UTC+01:00" {
		t.Errorf("after BST starts: %q", got)
	}
}

func TestTransportWithoutLocalIPsCollectorCollectsPerRequest(t *testing.T) {
	t.Parallel()
	rec, srv := newRecorder(t)
	col := &countingCollector{facts: goldenFacts()}
	tr := &Transport{Collector: onlyCollect{col}, Method: BatchProcessDirect}
	for range 2 {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := col.collects.Load(); got != 2 {
		t.Errorf("Collect called %d times, want 2", got)
	}
	if got := rec.got[1].Get(HeaderConnectionMethod); got != string(BatchProcessDirect) {
		t.Errorf("connection method %q", got)
	}
	if _, ok := rec.got[1][canonical(HeaderScreens)]; ok {
		t.Error("batch method sent Screens")
	}
}

// A request's context may name another connection method than the Transport's.
func TestTransportMethodFromContext(t *testing.T) {
	t.Parallel()
	rec, srv := newRecorder(t)
	tr := &Transport{Collector: &countingCollector{facts: goldenFacts()}, Method: DesktopAppDirect}
	for _, ctx := range []context.Context{t.Context(), WithMethod(t.Context(), BatchProcessDirect)} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for i, want := range []Method{DesktopAppDirect, BatchProcessDirect} {
		if got := rec.got[i].Get(HeaderConnectionMethod); got != string(want) {
			t.Errorf("request %d: connection method %q, want %s", i, got, want)
		}
	}
}

// closeTracker records whether the transport closed the request body.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

func TestTransportFailsInsteadOfSendingBadHeaders(t *testing.T) {
	t.Parallel()
	boom := errors.New("config dir not writable")
	tests := []struct {
		name string
		tr   *Transport
		want string
	}{
		{"collector error", &Transport{Collector: &countingCollector{err: boom}}, "config dir not writable"},
		{"no device id", &Transport{Collector: &countingCollector{facts: Facts{OSUser: "x"}}}, "no device id"},
		{"no collector", &Transport{}, "no collector"},
		{"unknown method", &Transport{Collector: &countingCollector{facts: goldenFacts()}, Method: "WEB_APP_VIA_SERVER"}, "unknown connection method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, srv := newRecorder(t)
			tt.tr.Base = srv.Client().Transport
			body := &closeTracker{Reader: strings.NewReader(`{"periodKey":"18A1"}`)}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, body)
			resp, err := (&http.Client{Transport: tt.tr}).Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("request went out")
			}
			var ce *CollectError
			if !errors.As(err, &ce) {
				t.Errorf("error %v is not a *CollectError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if !body.closed.Load() {
				t.Error("request body not closed")
			}
			if len(rec.got) != 0 {
				t.Error("server received a request")
			}
		})
	}
	var ce *CollectError
	if _, err := (&Transport{Collector: &countingCollector{err: boom}}).RoundTrip(httptest.NewRequest(http.MethodGet, "/", nil)); !errors.As(err, &ce) || !errors.Is(err, boom) {
		t.Errorf("cause not reachable through the error: %v", err)
	}
}

// TestTransportSendsEmptyHeadersOnTheWire checks that honestly empty values reach the server as
// present-but-empty headers rather than vanishing, which HMRC would grade as missing.
func TestTransportSendsEmptyHeadersOnTheWire(t *testing.T) {
	t.Parallel()
	rec, srv := newRecorder(t)
	tr := &Transport{Collector: StaticCollector(headlessFacts())}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, name := range []string{HeaderScreens, HeaderWindowSize, HeaderMultiFactor, HeaderLicenseIDs} {
		vs, ok := rec.got[0][canonical(name)]
		if !ok || len(vs) != 1 || vs[0] != "" {
			t.Errorf("%s on the wire: %q (present %v), want present and empty", name, vs, ok)
		}
	}
}
