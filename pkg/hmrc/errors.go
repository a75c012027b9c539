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
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	"golang.org/x/oauth2"
)

// FieldError is one entry of the "errors" array HMRC puts inside INVALID_REQUEST and
// BUSINESS_ERROR replies.
type FieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path,omitempty"`
}

// APIError is every non-2xx reply from HMRC, whatever shape its body had: flat {code,message},
// the INVALID_REQUEST/BUSINESS_ERROR wrappers (Code is the wrapper, Errors the inner codes), the
// legacy {"statusCode":400,"message":"<CODE>"} (Code taken from the message), OAuth's
// {"error","error_description"}, an empty body, or a non-JSON page from a proxy.
type APIError struct {
	StatusCode    int
	Code          string
	Message       string
	Errors        []FieldError
	CorrelationID string
	// RetryAfter is the wait HMRC asked for in a Retry-After header; 0 when it sent none.
	RetryAfter time.Duration
	// Body is a short, single-line excerpt of a body that was not JSON (an HTML page from a
	// proxy, say), kept so that a person can see what answered.
	Body string
	// advice, when set, is what the call that met the error knows better than the code alone
	// (MATCHING_RESOURCE_NOT_FOUND from financial details means no such charge, say).
	advice string
}

// Error describes the reply in one line, inner codes included.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hmrc: %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": " + e.Message)
	}
	for i, fe := range e.Errors {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(fe.Code)
		if fe.Path != "" {
			b.WriteString(" at " + fe.Path)
		}
		if fe.Message != "" {
			b.WriteString(": " + fe.Message)
		}
		if i == len(e.Errors)-1 {
			b.WriteString(")")
		}
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

// Has reports whether code is the top-level code or one of the inner errors' codes.
func (e *APIError) Has(code string) bool {
	if e.Code == code {
		return true
	}
	for _, fe := range e.Errors {
		if fe.Code == code {
			return true
		}
	}
	return false
}

// Is lets errors.Is(err, ErrDuplicateSubmission) and friends match on HMRC's code wherever in
// the body it appeared. ErrThrottled also matches any 429, whatever its body.
func (e *APIError) Is(target error) bool {
	c, ok := target.(CodeError)
	if !ok {
		return false
	}
	if c == CodeThrottled && e.StatusCode == http.StatusTooManyRequests {
		return true
	}
	return e.Has(string(c))
}

// Temporary reports whether trying again later may succeed: HMRC or a proxy failed (5xx), the
// rate limit was hit (429), or HMRC reported its own failure under another status: vat-api's
// AuthorisedController answers 403 INTERNAL_SERVER_ERROR when the authorisation service fails.
func (e *APIError) Temporary() bool {
	return e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests ||
		e.Code == CodeInternalServerError || e.Code == CodeServiceUnavailable
}

// Advice returns what a person can do about the error, from its most specific code.
func (e *APIError) Advice() string {
	if e.advice != "" {
		return e.advice
	}
	if e.StatusCode < 500 && e.Code == CodeInternalServerError {
		// AuthorisedController's 403: the authorisation check failed before anything was
		// done, so even a submission was certainly not filed.
		return "HMRC's authorisation service failed (nothing was filed): try again later"
	}
	if len(e.Errors) == 0 && (e.Code == CodeInvalidRequest || e.Code == CodeBusinessError) {
		// A wrapper with nothing inside: there are no details to see.
		what := "as invalid"
		if e.Code == CodeBusinessError {
			what = "under its business rules"
		}
		return "HMRC refused the request " + what + " without saying why; if it happens again, report it with the correlation ID"
	}
	for _, fe := range e.Errors {
		if a := Advice(fe.Code); a != "" {
			return a
		}
	}
	if a := Advice(e.Code); a != "" {
		return a
	}
	if e.Temporary() {
		return "HMRC is unavailable: try again later"
	}
	return fmt.Sprintf("HMRC answered HTTP %d without an error code it documents", e.StatusCode)
}

// authCodes are the codes that a new login (possibly as someone else) would cure.
var authCodes = map[string]bool{
	CodeMissingCredentials:         true,
	CodeInvalidCredentials:         true,
	CodeUnauthorized:               true,
	CodeIncorrectAccessTokenType:   true,
	CodeInvalidScope:               true,
	CodeForbidden:                  true,
	CodeClientOrAgentNotAuthorised: true,
	CodeOAuthInvalidGrant:          true,
	CodeOAuthInvalidClient:         true,
}

// IsAuth reports whether err means the user must log in (again, or as the right account): a 401,
// a scope or enrolment refusal, or a token refresh that HMRC refused (an *oauth2.RetrieveError
// raised by the transport).
func IsAuth(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		if ae.StatusCode == http.StatusUnauthorized {
			return true
		}
		for code := range authCodes {
			if ae.Has(code) {
				return true
			}
		}
		return false
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500
	}
	return false
}

// IsRejected reports whether HMRC refused the request itself (validation or business rules, a
// 4xx other than an authorisation problem, the rate limit or HMRC's own failure reported under
// a 4xx), so sending it again unchanged will fail again.
func IsRejected(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.StatusCode >= 400 && ae.StatusCode < 500 && !ae.Temporary() && !IsAuth(err)
}

// IsTemporary reports whether err is worth trying again later unchanged: HMRC or a proxy failed
// (5xx), the rate limit was hit (429), or the network failed or timed out. An authorisation
// failure is never temporary, nor is a local file-system failure (a full disk, a read-only file
// system), whose syscall.Errno would otherwise pass for a net.Error. Check ErrOutcomeUnknown
// first: a submission in doubt must be reconciled, not simply resent.
func IsTemporary(err error) bool {
	if err == nil || IsAuth(err) || final(err) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Temporary()
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

// TimeoutError reports that one attempt got no (complete) reply within the client's request
// timeout (WithRequestTimeout). It unwraps to the transport's error, so it is still a network
// timeout to IsTemporary and, for a submit, inside an OutcomeUnknownError.
type TimeoutError struct {
	Method string
	Host   string
	After  time.Duration
	Err    error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no reply from %s within %s", e.Host, e.After)
}

// Unwrap returns the transport's error.
func (e *TimeoutError) Unwrap() error { return e.Err }

// ErrOutcomeUnknown matches (errors.Is) a submission whose fate is unknown: the request may have
// reached HMRC and been filed, but no clear answer came back (network error, timeout, 5xx).
// Before trying again, look the return up; a second submit of a filed return is refused.
var ErrOutcomeUnknown = errors.New("hmrc: submission outcome unknown")

// OutcomeUnknownError wraps the failure behind ErrOutcomeUnknown, keeping it reachable for
// errors.As (an *APIError for a 5xx, a *url.Error for a network failure).
type OutcomeUnknownError struct {
	Err error
}

// Error says what is unknown and why.
func (e *OutcomeUnknownError) Error() string {
	return "hmrc: submission outcome unknown, check whether the return was filed before resubmitting: " + e.Err.Error()
}

// Unwrap returns the underlying failure.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrOutcomeUnknown) true.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// errorBody is the union of every error body shape HMRC sends.
type errorBody struct {
	Code             string       `json:"code"`
	Message          string       `json:"message"`
	Errors           []FieldError `json:"errors"`
	StatusCode       int          `json:"statusCode"`
	Error            string       `json:"error"`
	ErrorDescription string       `json:"error_description"`
}

var codeLike = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// statusCodes names the code a body-less or non-JSON reply stands for.
var statusCodes = map[int]string{
	http.StatusNotFound:              CodeNotFound,
	http.StatusNotAcceptable:         CodeAcceptHeaderInvalid,
	http.StatusRequestEntityTooLarge: CodeRequestTooLarge,
	http.StatusUnsupportedMediaType:  CodeInvalidBodyType,
	http.StatusBadGateway:            CodeBadGateway,
	http.StatusTooManyRequests:       CodeThrottled,
	http.StatusInternalServerError:   CodeInternalServerError,
	http.StatusServiceUnavailable:    CodeServiceUnavailable,
	http.StatusGatewayTimeout:        CodeGatewayTimeout,
}

// maxExcerpt bounds the part of a non-JSON body kept in an APIError.
const maxExcerpt = 200

// parseError builds the APIError for a non-2xx reply. now resolves an HTTP-date Retry-After.
func parseError(resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{
		StatusCode:    resp.StatusCode,
		CorrelationID: resp.Header.Get("X-CorrelationId"),
		RetryAfter:    parseRetryAfter(resp.Header.Get("Retry-After"), now),
	}
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		switch {
		case eb.Code != "":
			e.Code, e.Message, e.Errors = eb.Code, eb.Message, eb.Errors
		case eb.Error != "":
			e.Code, e.Message = eb.Error, eb.ErrorDescription
		case eb.Message != "" && codeLike.MatchString(eb.Message):
			// The legacy body carries the code in "message".
			e.Code = eb.Message
			e.Message = legacyMessages[eb.Message]
			if e.Message == "" {
				e.Message = eb.Message
			}
		case eb.StatusCode != 0 && strings.HasPrefix(eb.Message, "Invalid Json"):
			// Play's JSON body parser, through vat-api's LegacyErrorHandler.
			e.Code, e.Message = CodeInvalidJSON, eb.Message
		default:
			e.Message = eb.Message
		}
		if e.Code == "" {
			e.Code = codeForStatus(resp.StatusCode)
		}
		return e
	}
	e.Code = codeForStatus(resp.StatusCode)
	e.Message = http.StatusText(resp.StatusCode)
	if len(trimmed) > 0 {
		e.Body = excerpt(trimmed)
		if resp.StatusCode == http.StatusBadRequest && invalidPayload.Match(trimmed) {
			// Play's withJsonBody (Create Test User): a plain-text list of JSON errors.
			e.Code, e.Message = CodeInvalidPayload, e.Body
			e.Body = ""
		}
	}
	return e
}

// invalidPayload is the start of the plain-text 400 that HMRC's Play services send when a JSON
// body does not match the expected shape ("Invalid CreateUserRequest payload: …").
var invalidPayload = regexp.MustCompile(`^Invalid [A-Za-z]+ payload: `)

// codeForStatus names the code a reply without one stands for, so that every APIError has a
// code to report and to advise on.
func codeForStatus(status int) string {
	if c, ok := statusCodes[status]; ok {
		return c
	}
	return "HTTP_" + strconv.Itoa(status)
}

// excerpt keeps the start of a body on one line with only printable characters, so that a proxy's
// HTML page cannot flood or garble a terminal.
func excerpt(b []byte) string {
	if len(b) > 4*maxExcerpt {
		b = b[:4*maxExcerpt]
	}
	var sb strings.Builder
	space := false
	for _, r := range string(b) {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
		if sb.Len() >= maxExcerpt {
			sb.WriteString("…")
			break
		}
	}
	return sb.String()
}

// parseRetryAfter reads delta-seconds or an HTTP-date; anything else or a past date gives 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		d := t.Sub(now)
		if d > 24*time.Hour {
			d = 24 * time.Hour
		}
		return d
	}
	return 0
}
