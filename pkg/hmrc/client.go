// Package hmrc is a client for HMRC's VAT (MTD) API v1.0 and the sandbox test APIs (Create Test
// User, Test Fraud Prevention Headers).
//
// Authentication and fraud-prevention headers are not its business: it is given an *http.Client
// whose transport adds them. It owns what needs the reply body: typed errors for every shape of
// HMRC error, the 3 requests/second rate limit, Retry-After, safe retries (GETs only, and the
// submit POST only after a 429, which HMRC guarantees was not processed) and splitting date ranges
// longer than HMRC allows.
package hmrc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/faults"
)

// SandboxBaseURL is HMRC's sandbox API host, the default base.
const SandboxBaseURL = "https://test-api.service.hmrc.gov.uk"

// ProductionBaseURL is HMRC's live API host.
const ProductionBaseURL = "https://api.service.hmrc.gov.uk"

// acceptV1 selects version 1.0 of every API this client calls.
const acceptV1 = "application/vnd.hmrc.1.0+json"

// maxBody bounds how much of a reply is read; HMRC's largest documented bodies are a few KiB, so
// this only guards against a misbehaving server or proxy.
const maxBody = 8 << 20

// Client calls HMRC's APIs. It is safe for concurrent use.
type Client struct {
	hc         *http.Client
	baseURL    string
	userAgent  string
	scenario   string
	maxRetries int
	limiter    *rate.Limiter
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error
	maxWait    time.Duration
	timeout    time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sets the API host, e.g. ProductionBaseURL or an emulator's address. The default is
// SandboxBaseURL.
func WithBaseURL(u string) Option {
	return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") }
}

// WithRateLimit caps requests per second (default 3, HMRC's standard limit per application);
// 0 turns the limiter off.
func WithRateLimit(rps float64) Option {
	return func(c *Client) {
		if rps <= 0 {
			c.limiter = nil
			return
		}
		c.limiter = rate.NewLimiter(rate.Limit(rps), 1)
	}
}

// WithUserAgent sets the User-Agent header; the default is "vat/<version>".
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithRetry sets how many times a failed request may be retried (default 3; 0 = never).
func WithRetry(max int) Option {
	return func(c *Client) {
		if max < 0 {
			max = 0
		}
		c.maxRetries = max
	}
}

// WithMaxRetryWait sets the longest Retry-After the client will sit out before giving up and
// returning the error (default 1 minute); it keeps an interactive command from hanging for an hour.
func WithMaxRetryWait(d time.Duration) Option { return func(c *Client) { c.maxWait = d } }

// WithRequestTimeout bounds each HTTP attempt (default 1 minute; 0 = only ctx bounds it). A GET
// that times out is retried; a submit that times out is reported as ErrOutcomeUnknown, since
// HMRC may have filed it.
func WithRequestTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithClock injects the clock used to read HTTP-date Retry-After headers.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithSleep injects how the client waits between retries; it must return early with ctx.Err()
// when ctx ends. Tests use it to record the waits instead of taking them.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = sleep }
}

// WithGovTestScenario sends a Gov-Test-Scenario header (sandbox only) on every request.
func WithGovTestScenario(s string) Option { return func(c *Client) { c.scenario = s } }

// WithDebug traces every request and response to w, secrets redacted (see DebugTransport). It
// wraps the given client's transport from the outside, so it shows what this package sends and
// receives but not headers that inner transports add; put a DebugTransport innermost to see those.
func WithDebug(w io.Writer) Option {
	return func(c *Client) {
		if w == nil {
			return
		}
		hc := *c.hc
		hc.Transport = &DebugTransport{Base: c.hc.Transport, Out: w}
		c.hc = &hc
	}
}

// NewClient returns a client that sends requests through hc (nil means http.DefaultClient),
// whose transport is expected to add the OAuth bearer token and fraud-prevention headers.
func NewClient(hc *http.Client, opts ...Option) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{
		hc:         hc,
		baseURL:    SandboxBaseURL,
		userAgent:  build.ProductName + "/" + build.Version,
		maxRetries: 3,
		limiter:    rate.NewLimiter(3, 1),
		now:        time.Now,
		sleep:      sleepCtx,
		maxWait:    time.Minute,
		timeout:    time.Minute,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// BaseURL returns the API host the client talks to.
func (c *Client) BaseURL() string { return c.baseURL }

// Response is HMRC's reply to the last HTTP request behind a call (its body already read and
// closed), with the headers callers keep.
type Response struct {
	*http.Response
	// CorrelationID is HMRC's X-CorrelationId, which HMRC support asks for.
	CorrelationID string
	// Attempts counts the HTTP requests the call made, retries included.
	Attempts int
}

func newResponse(r *http.Response, attempts int) *Response {
	return &Response{Response: r, CorrelationID: r.Header.Get("X-CorrelationId"), Attempts: attempts}
}

// call is one logical API call.
type call struct {
	method string
	path   string // escaped path, starting with "/"
	query  url.Values
	body   any
	// idempotent calls are retried on network errors and 5xx; others only on 429.
	idempotent bool
}

// do sends the call, retrying as its kind allows, and decodes a 2xx JSON body into v (when v is
// not nil and the body is not empty).
func (c *Client) do(ctx context.Context, cl call, v any) (*Response, error) {
	u, err := url.Parse(c.baseURL + cl.path)
	if err != nil {
		return nil, fmt.Errorf("hmrc: invalid base url %q: %w", c.baseURL, err)
	}
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	var payload []byte
	if cl.body != nil {
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("hmrc: encode request: %w", err)
		}
	}
	for attempt := 1; ; attempt++ {
		resp, body, sent, err := c.send(ctx, cl, u, payload) //nolint:bodyclose // send reads the body whole and closes it
		if err != nil && !sent && final(err) {
			// A token that could not be had, a refused redirect or a local file-system failure:
			// HMRC did not act on the request, and sending it again would meet the same cause
			// (or, for a token refresh, spend a single-use refresh token a second time).
			return nil, err
		}
		if err != nil {
			if !sent || IsAuth(err) {
				// Nothing reached HMRC, so even a submit has a known outcome: not filed.
				if !cl.idempotent || IsAuth(err) || errors.Is(err, errRateLimitWait) {
					return nil, err
				}
			} else if !cl.idempotent {
				return nil, &OutcomeUnknownError{Err: err}
			}
			if errors.Is(err, errBodyTooLarge) || ctx.Err() != nil || attempt > c.maxRetries {
				return nil, err
			}
			if err := c.sleep(ctx, backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		r := newResponse(resp, attempt)
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if v != nil && len(bytes.TrimSpace(body)) > 0 {
				if err := json.Unmarshal(body, v); err != nil {
					err = fmt.Errorf("hmrc: decode %s %s reply: %w", cl.method, u.Path, err)
					if !cl.idempotent {
						return r, &OutcomeUnknownError{Err: err}
					}
					return r, err
				}
			}
			return r, nil
		}
		apiErr := parseError(resp, body, c.now())
		retryable := resp.StatusCode == http.StatusTooManyRequests ||
			(cl.idempotent && apiErr.Temporary())
		if retryable && attempt <= c.maxRetries && apiErr.RetryAfter <= c.maxWait {
			wait := backoff(attempt)
			if apiErr.RetryAfter > wait {
				wait = apiErr.RetryAfter
			}
			if err := c.sleep(ctx, wait); err != nil {
				return r, err
			}
			continue
		}
		if !cl.idempotent && resp.StatusCode >= 500 {
			return r, &OutcomeUnknownError{Err: apiErr}
		}
		return r, apiErr
	}
}

var (
	errBodyTooLarge  = errors.New("hmrc: reply body too large")
	errRateLimitWait = errors.New("hmrc: client rate limit")
)

// send makes one HTTP request and reads the whole (bounded) reply. sent is false when the
// request certainly never left (the rate limiter refused to wait, or the connection could not be
// made), which tells a failed submit apart from one whose outcome is unknown.
func (c *Client) send(ctx context.Context, cl call, u *url.URL, payload []byte) (resp *http.Response, body []byte, sent bool, err error) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, nil, false, fmt.Errorf("%w: %w", errRateLimitWait, err)
		}
	}
	parent := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel() // only after the body is read below
	}
	// Our own per-attempt deadline, not the caller's, is the one a user can change: say so.
	timedOut := func(err error) error {
		if c.timeout > 0 && ctx.Err() != nil && parent.Err() == nil {
			return &TimeoutError{Method: cl.method, Host: u.Host, After: c.timeout, Err: err}
		}
		return err
	}
	// The net/http transport tells us whether any of the request was written. A request that
	// got a connection but never wrote its headers cannot have reached HMRC, so even a submit
	// interrupted there (Ctrl-C, a timeout while dialling TLS) has a known outcome: not filed.
	var gotConn, wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(string) { gotConn.Store(true) },
		WroteHeaders: func() { wrote.Store(true) },
	})
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), rd)
	if err != nil {
		return nil, nil, false, fmt.Errorf("hmrc: build request: %w", err)
	}
	req.Header.Set("Accept", acceptV1)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if c.scenario != "" {
		req.Header.Set("Gov-Test-Scenario", c.scenario)
	}
	resp, err = c.hc.Do(req)
	if err != nil {
		sent := !neverSent(err)
		if gotConn.Load() && !wrote.Load() {
			sent = false
		}
		if wrote.Load() && !wasNotActedOn(err) {
			// Whatever failed locally, the request had started to leave.
			sent = true
		}
		return nil, nil, sent, timedOut(err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, true, timedOut(fmt.Errorf("hmrc: read %s %s reply: %w", cl.method, u.Path, err))
	}
	if len(body) > maxBody {
		return nil, nil, true, fmt.Errorf("%w (over %d bytes) from %s %s", errBodyTooLarge, maxBody, cl.method, u.Path)
	}
	return resp, body, true, nil
}

// neverSent reports whether a transport error happened before any byte of the request could
// reach HMRC: no connection was made (DNS, refused), or a transport in the chain (the OAuth
// token refresh, say) failed before sending.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var re *oauth2.RetrieveError
	return errors.As(err, &re) || final(err)
}

// notActedOn is implemented by errors from the transport chain that prove HMRC did not act on the
// request: no token could be had, so nothing was sent (the auth package's token errors), or the
// server answered with a redirect, which HMRC's API never does and which is refused rather than
// followed (httpsafe.RedirectError).
type notActedOn interface{ NotActedOn() bool }

func wasNotActedOn(err error) bool {
	var na notActedOn
	return errors.As(err, &na) && na.NotActedOn()
}

// final reports whether err, met before any of the request was written, ends the call at once:
// retrying cannot help, and the outcome of a submit is known (not filed).
func final(err error) bool {
	return wasNotActedOn(err) || faults.IsLocal(err)
}

// vatPath builds /organisations/vat/{vrn}/{rest...}, escaping each segment so a VRN or period
// key can never change the path's shape ('#' in a period key goes out as %23).
func vatPath(vrn string, rest ...string) string {
	var b strings.Builder
	b.WriteString("/organisations/vat/")
	b.WriteString(url.PathEscape(vrn))
	for _, s := range rest {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
