package fraud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// CollectError reports that the fraud-prevention facts could not be collected, so the request was
// not sent: HMRC treats requests without correct headers as non-compliant.
type CollectError struct {
	Err error
}

func (e *CollectError) Error() string {
	return "fraud-prevention headers: " + e.Err.Error() + " (request not sent)"
}

func (e *CollectError) Unwrap() error { return e.Err }

// Transport is an [http.RoundTripper] that adds the fraud-prevention headers to every request, so
// that no request can leave without them. The slow, static facts are collected once and cached; the
// local IP addresses and their timestamp are collected again right before each request when the
// Collector implements [LocalIPsCollector], and otherwise the whole collection is repeated.
//
// If collection fails the request fails with a [*CollectError] instead of going out with wrong headers.
type Transport struct {
	// Base sends the request; nil means [http.DefaultTransport].
	Base http.RoundTripper
	// Method is the connection method; "" means [DesktopAppDirect].
	Method Method
	// Collector supplies the facts; it must not be nil.
	Collector Collector
	// Now is the clock; nil means [time.Now].
	Now func() time.Time

	mu     sync.Mutex
	cached *Facts
}

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	h, err := t.headers(req)
	if err != nil {
		// RoundTrip must close the body even when it fails.
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	// A RoundTripper must not modify the caller's request.
	r2 := req.Clone(req.Context())
	for k, v := range h {
		r2.Header[k] = v
	}
	return t.base().RoundTrip(r2)
}

type methodKey struct{}

// WithMethod makes the requests sent with ctx carry the headers of connection method m rather
// than the Transport's own: one run of vat may file some returns as a desktop application and
// others as a batch process, through one client.
func WithMethod(ctx context.Context, m Method) context.Context {
	return context.WithValue(ctx, methodKey{}, m)
}

// headers collects the facts for req and builds its header set.
func (t *Transport) headers(req *http.Request) (http.Header, error) {
	method := t.Method
	if m, ok := req.Context().Value(methodKey{}).(Method); ok && m != "" {
		method = m
	}
	if method == "" {
		method = DesktopAppDirect
	}
	if !method.Valid() {
		return nil, &CollectError{Err: fmt.Errorf("unknown connection method %q", method)}
	}
	if t.Collector == nil {
		return nil, &CollectError{Err: errors.New("no collector configured")}
	}
	f, err := t.facts(req)
	if err != nil {
		return nil, &CollectError{Err: err}
	}
	if f.DeviceID == "" {
		return nil, &CollectError{Err: errors.New("no device id")}
	}
	return Headers(method, f, t.now()), nil
}

// facts returns the cached static facts with freshly collected local IPs.
func (t *Transport) facts(req *http.Request) (Facts, error) {
	ctx := req.Context()
	ipc, refresh := t.Collector.(LocalIPsCollector)
	t.mu.Lock()
	cached := t.cached
	t.mu.Unlock()
	if cached == nil || !refresh {
		f, err := t.Collector.Collect(ctx)
		if err != nil {
			return Facts{}, err
		}
		if !refresh {
			// Without a cheap way to re-read the addresses, a full collection per request is the
			// only honest way to give each request its own Local-IPs.
			return f, nil
		}
		t.mu.Lock()
		t.cached = &f
		t.mu.Unlock()
		cached = &f
	}
	f := *cached
	ips, err := ipc.LocalIPs(ctx)
	if err != nil {
		return Facts{}, fmt.Errorf("collect local ip addresses: %w", err)
	}
	f.LocalIPs = ips
	f.LocalIPsTimestamp = t.now()
	return f, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}
