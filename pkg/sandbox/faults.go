package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind says how a Fault disturbs a request.
type FaultKind int

// The fault kinds. The *AfterProcessing kinds do the work first (a return is stored)
// and then lose or delay the reply, which is what makes a submission's outcome
// unknown to the client.
const (
	FaultServerError            FaultKind = iota + 1 // 500 INTERNAL_SERVER_ERROR
	FaultUnavailable                                 // 503 SERVICE_UNAVAILABLE
	FaultThrottle                                    // 429 MESSAGE_THROTTLED_OUT with Retry-After
	FaultSlow                                        // sleep Delay, then answer normally
	FaultDropAfterProcessing                         // do the work, then close the connection without a reply
	FaultTimeoutAfterProcessing                      // do the work, then sleep Delay before answering
	FaultDownstreamUnavailable                       // 503 SERVICE_UNAVAILABLE from the back end, after routing and validation
	FaultHIPForbidden                                // penalties, financial details: HIP answers 403 (CLIENT_OR_AGENT_NOT_AUTHORISED)
	FaultHIPError                                    // penalties, financial details: HIP answers an unmapped code (500 with that code)
	FaultAuthServiceError                            // the enrolment check fails inside HMRC: 403 INTERNAL_SERVER_ERROR
)

var faultKindNames = map[FaultKind]string{
	FaultServerError:            "500",
	FaultUnavailable:            "503",
	FaultThrottle:               "429",
	FaultSlow:                   "slow",
	FaultDropAfterProcessing:    "drop-after",
	FaultTimeoutAfterProcessing: "timeout-after",
	FaultDownstreamUnavailable:  "downstream-503",
	FaultHIPForbidden:           "hip-403",
	FaultHIPError:               "hip-error",
	FaultAuthServiceError:       "auth-error",
}

var faultKindAliases = map[string]FaultKind{
	"500": FaultServerError, "server-error": FaultServerError, "error": FaultServerError,
	"503": FaultUnavailable, "unavailable": FaultUnavailable,
	"429": FaultThrottle, "throttle": FaultThrottle,
	"slow":       FaultSlow,
	"drop-after": FaultDropAfterProcessing, "drop": FaultDropAfterProcessing,
	"timeout-after": FaultTimeoutAfterProcessing, "timeout": FaultTimeoutAfterProcessing,
	"downstream-503": FaultDownstreamUnavailable,
	"hip-403":        FaultHIPForbidden,
	"hip-error":      FaultHIPError,
	"auth-error":     FaultAuthServiceError,
}

// String returns the name ParseFault accepts.
func (k FaultKind) String() string {
	if n, ok := faultKindNames[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is one entry of the fault plan.
type Fault struct {
	Endpoint string // "submit","obligations","view-return","liabilities","payments","penalties","financial-details","information","token","*"
	Kind     FaultKind
	Times    int // how many matching requests it applies to (0 = 1)
	Delay    time.Duration
	// VRN, when set, limits the fault to VAT requests for that VRN, so that one business of
	// many can be made to fail.
	VRN string
}

// String renders f in the syntax ParseFault reads.
func (f Fault) String() string {
	s := f.Endpoint
	if f.VRN != "" {
		s += "@" + f.VRN
	}
	s += "=" + f.Kind.String()
	if f.Delay > 0 {
		s += ":" + f.Delay.String()
	}
	if f.Times > 1 {
		s += ":" + strconv.Itoa(f.Times)
	}
	return s
}

var faultEndpoints = map[string]bool{
	"submit": true, "obligations": true, "view-return": true, "liabilities": true, "payments": true,
	"penalties": true, "financial-details": true, "information": true, "token": true, "*": true,
}

const (
	defaultSlowDelay    = 2 * time.Second
	defaultTimeoutDelay = 60 * time.Second
	maxFaultTimes       = 1_000_000
	maxFaultDelay       = time.Hour
)

// ParseFault reads a fault from the CLI syntax ENDPOINT[@VRN]=KIND[:ARG[:ARG]], where an ARG
// with a unit is the delay and a bare number the count: "submit=drop-after",
// "submit=503:2", "*=slow:2s", "obligations=timeout-after:30s:3", "submit@123456782=503".
func ParseFault(spec string) (Fault, error) {
	ep, rest, ok := strings.Cut(strings.TrimSpace(spec), "=")
	if !ok || ep == "" || rest == "" {
		return Fault{}, fmt.Errorf("fault %q: want ENDPOINT=KIND[:COUNT|:DELAY]", spec)
	}
	ep, vrn, hasVRN := strings.Cut(ep, "@")
	if !faultEndpoints[ep] {
		return Fault{}, fmt.Errorf("fault %q: unknown endpoint %q", spec, ep)
	}
	if hasVRN && (!vrnPattern.MatchString(vrn) || ep == "token") {
		return Fault{}, fmt.Errorf("fault %q: @%s is not a VRN of a VAT endpoint", spec, vrn)
	}
	parts := strings.Split(rest, ":")
	kind, ok := faultKindAliases[parts[0]]
	if !ok {
		return Fault{}, fmt.Errorf("fault %q: unknown kind %q", spec, parts[0])
	}
	f := Fault{Endpoint: ep, Kind: kind, VRN: vrn}
	if (kind == FaultHIPForbidden || kind == FaultHIPError) && !hipEndpoints[ep] {
		return Fault{}, fmt.Errorf("fault %q: %s applies only to penalties and financial-details, which HMRC serves from HIP", spec, parts[0])
	}
	if (kind == FaultDownstreamUnavailable || kind == FaultAuthServiceError) && ep == "token" {
		return Fault{}, fmt.Errorf("fault %q: the token endpoint has no downstream", spec)
	}
	if len(parts) > 3 {
		return Fault{}, fmt.Errorf("fault %q: too many arguments", spec)
	}
	for _, a := range parts[1:] {
		if n, err := strconv.Atoi(a); err == nil {
			if n < 1 || n > maxFaultTimes {
				return Fault{}, fmt.Errorf("fault %q: count out of range", spec)
			}
			f.Times = n
			continue
		}
		d, err := time.ParseDuration(a)
		if err != nil || d <= 0 || d > maxFaultDelay {
			return Fault{}, fmt.Errorf("fault %q: %q is neither a count nor a delay up to 1h", spec, a)
		}
		f.Delay = d
	}
	return f, nil
}

// faultState is a Fault in the plan, with what is left of it.
type faultState struct {
	Fault
	remaining int
}

// InjectFault adds f to the fault plan; it applies to the next f.Times matching
// requests.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f, remaining: f.Times})
}

// takeFaultLocked consumes one use of the first fault matching endpoint and vrn ("" for
// requests that name none) that fires at the gateway (downstream faults wait for the
// back-end call).
func (s *Server) takeFaultLocked(endpoint, vrn string) *faultState {
	return s.takeMatchingFaultLocked(endpoint, vrn, false)
}

func (s *Server) takeMatchingFaultLocked(endpoint, vrn string, downstream bool) *faultState {
	for i, f := range s.faults {
		if f.Endpoint != endpoint && f.Endpoint != "*" || f.downstream() != downstream {
			continue
		}
		if f.VRN != "" && f.VRN != vrn {
			continue
		}
		if endpoint == "token" && f.Endpoint == "*" {
			continue // "*" means the API endpoints; token faults are asked for by name
		}
		f.remaining--
		if f.remaining <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		cp := *f
		return &cp
	}
	return nil
}

// before applies the part of a fault that comes before the work. It reports whether
// the work should go ahead.
func (f *faultState) before(ctx context.Context, w http.ResponseWriter) bool {
	switch f.Kind {
	case FaultServerError:
		writeErr(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", msgInternal)
		return false
	case FaultUnavailable:
		writeErr(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", msgUnavailable)
		return false
	case FaultThrottle:
		secs := int((f.Delay + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeErr(w, http.StatusTooManyRequests, "MESSAGE_THROTTLED_OUT", msgThrottled)
		return false
	case FaultSlow:
		return sleepCtx(ctx, delayOr(f.Delay, defaultSlowDelay))
	}
	return true
}

// after applies the part of a fault that comes after the work. It reports whether
// the buffered reply should still be sent.
func (f *faultState) after(ctx context.Context, w http.ResponseWriter) bool {
	switch f.Kind {
	case FaultDropAfterProcessing:
		dropConnection(w)
		return false
	case FaultTimeoutAfterProcessing:
		return sleepCtx(ctx, delayOr(f.Delay, defaultTimeoutDelay))
	}
	return true
}

// dropConnection closes the client's connection without a byte of reply.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: aborting the handler is the documented way to reset.
	panic(http.ErrAbortHandler)
}

func delayOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
