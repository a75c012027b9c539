package hmrc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

const obligationsOK = `{"obligations":[{"periodKey":"18A1","start":"2017-01-01","end":"2017-03-31","due":"2017-05-07","status":"F","received":"2017-05-06"},{"periodKey":"18A2","start":"2017-04-01","end":"2017-06-30","due":"2017-08-07","status":"O"}]}`

const submitOK = `{"processingDate":"2018-03-01T11:43:43.195Z","formBundleNumber":"256660290587","paymentIndicator":"BANK","chargeRefNumber":"aCxFaNx0FZsCvyWF"}`

var openQ = ObligationsOptions{Status: StatusOpen}

// sequence answers the n-th request with steps[n] (the last step repeats).
func sequence(steps ...func(w http.ResponseWriter, r *http.Request)) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(steps) {
			i = len(steps) - 1
		}
		steps[i](w, r)
	}), &n
}

func status(code int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) { reply(w, code, body) }
}

// hangUp closes the connection without any reply, as a dropped connection looks to a client.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func sampleSubmit() SubmitRequest {
	return SubmitRequest{PeriodKey: "18A2", Finalised: true, Return: vatreturn.Return{
		VATDueSales: 10000, TotalVATDue: 10000, VATReclaimedCurrPeriod: 2550, NetVATDue: 7450,
		TotalValueSalesExVAT: 50000, TotalValuePurchasesExVAT: 12700,
	}}
}

func TestGetRetriedOn503ThenSucceeds(t *testing.T) {
	t.Parallel()
	h, n := sequence(
		status(503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`),
		status(503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`),
		status(200, obligationsOK),
	)
	c, s := setup(t, h)
	obs, resp, err := c.Obligations(t.Context(), "123456789", openQ)
	if err != nil {
		t.Fatalf("Obligations: %v", err)
	}
	if len(obs) != 2 || obs[1].PeriodKey != "18A2" || !obs[1].Received.IsZero() || obs[0].Received != d("2017-05-06") {
		t.Errorf("obligations = %+v", obs)
	}
	if n.Load() != 3 || resp.Attempts != 3 || len(s.all()) != 2 {
		t.Errorf("requests = %d, attempts = %d, sleeps = %v; want 3, 3, two sleeps", n.Load(), resp.Attempts, s.all())
	}
	for i, w := range s.all() {
		if w <= 0 || w > backoffCap {
			t.Errorf("sleep %d = %v, want a positive jittered backoff", i, w)
		}
	}
}

func TestGetGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	h, n := sequence(status(500, `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`))
	c, _ := setup(t, h, WithRetry(2))
	_, _, err := c.Obligations(t.Context(), "123456789", openQ)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 500 || !ae.Temporary() {
		t.Fatalf("err = %v, want a temporary 500 APIError", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Error("a GET failure must not be reported as an unknown submission outcome")
	}
	if n.Load() != 3 {
		t.Errorf("requests = %d, want 3 (1 + 2 retries)", n.Load())
	}
}

func TestGetRetriedAfterDroppedConnection(t *testing.T) {
	t.Parallel()
	h, n := sequence(hangUp, status(200, obligationsOK))
	c, _ := setup(t, h)
	if _, _, err := c.Obligations(t.Context(), "123456789", openQ); err != nil {
		t.Fatalf("Obligations: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("requests = %d, want 2", n.Load())
	}
}

func TestGetNotRetriedOnRejection(t *testing.T) {
	t.Parallel()
	h, n := sequence(status(400, `{"statusCode":400,"message":"INVALID_DATE_RANGE"}`))
	c, _ := setup(t, h)
	_, _, err := c.Obligations(t.Context(), "123456789", ObligationsOptions{From: d("2017-01-01"), To: d("2017-01-01")})
	if !errors.Is(err, CodeError(CodeInvalidDateRange)) || !IsRejected(err) {
		t.Fatalf("err = %v, want INVALID_DATE_RANGE", err)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestSubmitNotRetriedOn5xx(t *testing.T) {
	t.Parallel()
	for _, code := range []int{500, 502, 503, 504} {
		h, n := sequence(status(code, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`), status(201, submitOK))
		c, _ := setup(t, h)
		_, _, err := c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%d: err = %v, want ErrOutcomeUnknown", code, err)
		}
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != code {
			t.Errorf("%d: the APIError is not reachable through the outcome-unknown error: %v", code, err)
		}
		if n.Load() != 1 {
			t.Errorf("%d: POSTs = %d, want exactly 1", code, n.Load())
		}
	}
}

func TestSubmitDroppedConnectionIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	h, n := sequence(hangUp, status(201, submitOK))
	c, _ := setup(t, h)
	_, _, err := c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n.Load() != 1 {
		t.Errorf("POSTs = %d, want 1", n.Load())
	}
}

func TestSubmitRefusedConnectionIsNotOutcomeUnknown(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: the request never left, so the outcome is known (not filed).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := NewClient(&http.Client{}, WithBaseURL("http://"+addr), WithRateLimit(0), WithSleep((&sleeps{}).sleep))
	_, _, err = c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain connection error", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Errorf("err = %T, want the *url.Error kept", err)
	}
}

func TestSubmitRetriedOnlyOn429(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	h, _ := sequence(
		func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			w.Header().Set("Retry-After", "2")
			reply(w, 429, `{"code":"MESSAGE_THROTTLED_OUT","message":"The request for the API is throttled as you have exceeded your quota."}`)
		},
		func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			w.Header().Set("Receipt-ID", "2d5b0b3d-4a3c-4c1e-9e6e-3f1c7d9d2b10")
			w.Header().Set("Receipt-Timestamp", "2018-02-14T09:32:15Z")
			reply(w, 201, submitOK)
		},
	)
	c, s := setup(t, h)
	rc, resp, err := c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
	if err != nil {
		t.Fatalf("SubmitReturn: %v", err)
	}
	if posts.Load() != 2 || resp.Attempts != 2 {
		t.Errorf("POSTs = %d, attempts = %d, want exactly 2", posts.Load(), resp.Attempts)
	}
	if w := s.all(); len(w) != 1 || w[0] < 2*time.Second {
		t.Errorf("sleeps = %v, want one wait of at least Retry-After (2s)", w)
	}
	want := Receipt{
		ProcessingDate:   time.Date(2018, 3, 1, 11, 43, 43, 195e6, time.UTC),
		FormBundleNumber: "256660290587", PaymentIndicator: "BANK", ChargeRefNumber: "aCxFaNx0FZsCvyWF",
		ReceiptID:        "2d5b0b3d-4a3c-4c1e-9e6e-3f1c7d9d2b10",
		ReceiptTimestamp: time.Date(2018, 2, 14, 9, 32, 15, 0, time.UTC),
		CorrelationID:    "c0ffee00-0000-4000-8000-000000000001",
	}
	if *rc != want {
		t.Errorf("receipt:\n got %+v\nwant %+v", *rc, want)
	}
}

func TestRetryAfterBeyondLimitIsNotWaited(t *testing.T) {
	t.Parallel()
	h, n := sequence(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(w, 429, `{"code":"MESSAGE_THROTTLED_OUT","message":"throttled"}`)
	})
	c, s := setup(t, h)
	_, _, err := c.Obligations(t.Context(), "123456789", openQ)
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAfter != time.Hour || !errors.Is(err, ErrThrottled) {
		t.Fatalf("err = %v, want throttled with RetryAfter 1h", err)
	}
	if n.Load() != 1 || len(s.all()) != 0 {
		t.Errorf("requests = %d, sleeps = %v; want 1 and none", n.Load(), s.all())
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	h, n := sequence(status(503, ``))
	ctx, cancel := context.WithCancel(t.Context())
	sleepCancels := func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	c, _ := setup(t, h, WithSleep(sleepCancels))
	_, _, err := c.Obligations(ctx, "123456789", openQ)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestRateLimiterIsConsulted(t *testing.T) {
	t.Parallel()
	h, n := sequence(status(200, obligationsOK))
	// One request per thousand seconds: the second call cannot get a token before its deadline,
	// and the limiter says so at once instead of sending.
	c, _ := setup(t, h, WithRateLimit(0.001))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, _, err := c.Obligations(ctx, "123456789", openQ); err != nil {
		t.Fatalf("first call: %v", err)
	}
	_, _, err := c.Obligations(ctx, "123456789", openQ)
	if err == nil {
		t.Fatal("second call was not limited")
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
	// The limited submit never left, so it is not an unknown outcome.
	if _, _, err := c.SubmitReturn(ctx, "123456789", sampleSubmit()); err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("limited submit: err = %v, want a plain error", err)
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	t.Parallel()
	for attempt := 1; attempt <= 12; attempt++ {
		full := backoffBase << (attempt - 1)
		if full > backoffCap || full <= 0 {
			full = backoffCap
		}
		for range 50 {
			got := backoff(attempt)
			if got < full/2 || got > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, got, full/2, full)
			}
		}
	}
}

func TestOversizedReplyRefusedNotRetried(t *testing.T) {
	t.Parallel()
	h, n := sequence(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		chunk := make([]byte, 1<<20)
		for range 9 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c, _ := setup(t, h)
	_, _, err := c.Obligations(t.Context(), "123456789", openQ)
	if !errors.Is(err, errBodyTooLarge) {
		t.Fatalf("err = %v, want errBodyTooLarge", err)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestSubmitInterruptedBeforeItsHeadersLeftIsNotOutcomeUnknown(t *testing.T) {
	t.Parallel()
	// A server that accepts the TCP connection but never answers the TLS handshake: the request
	// got a connection and never wrote a byte of itself, so Ctrl-C there has a known outcome.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	c := NewClient(&http.Client{}, WithBaseURL("https://"+ln.Addr().String()), WithRateLimit(0), WithSleep((&sleeps{}).sleep))
	_, _, err = c.SubmitReturn(ctx, "123456789", sampleSubmit())
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain error: nothing was sent", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline kept", err)
	}
}
