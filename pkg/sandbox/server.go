package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// LocalClientID and LocalClientSecret identify the built-in application, which may
// redirect to any http://localhost:PORT/… or http://127.0.0.1:PORT/… URI and to the
// urn:ietf:wg:oauth:2.0:oob(:auto) pages.
const (
	LocalClientID     = "vat-local-client"
	LocalClientSecret = "vat-local-secret"
)

// Options configures a Server.
type Options struct {
	StateDir  string           // "" = in memory; else state persists as JSON files there and survives restarts
	RateLimit float64          // requests/second per client application (token's client id); 0 = off
	Canned    bool             // reproduce the historic 2017 canned sandbox bodies (obligations etc.)
	Now       func() time.Time // nil = time.Now
	Clients   []Client         // extra registered applications, besides the built-in local one
	Faults    []Fault          // initial fault plan (off by default)
	// FPHValidateUserOnly makes the fraud-header validator refuse application tokens (401
	// INCORRECT_ACCESS_TOKEN_TYPE), as HMRC reportedly has since 2026-08-26
	// (hmrc/income-tax-mtd-changelog#476, unconfirmed); off, it takes any token, as documented.
	FPHValidateUserOnly bool
	Logf                func(format string, args ...any) // nil = silent; request log lines (never tokens)
	// NewUsers fixes what the Create Test User API would draw at random for each business it
	// makes (a VRN or a kind of history, a registration date), so that a tour of the emulator
	// tells the same story every time. The zero value draws at random, as HMRC does.
	NewUsers UserSpec
}

// Client is a registered application. RedirectURIs are matched exactly, except that
// the query string of a registered URI may be extended, as HMRC allows.
type Client struct {
	ID, Secret, Name string
	RedirectURIs     []string
	// APIs are the APIs the application is subscribed to (APIVAT, APICreateTestUser,
	// APIFraudTest); nil means all of them.
	APIs []string
}

// Stats holds counters that tests assert on.
type Stats struct {
	TokenRefreshes, Submissions int
	Requests                    map[string]int // by endpoint name ("submit", "token", "authorize", …), counted once a resource matched, even if then refused
}

// Server emulates HMRC's sandbox. It is safe for concurrent use.
type Server struct {
	opts    Options
	now     func() time.Time
	logf    func(format string, args ...any)
	clients map[string]Client

	mu         sync.Mutex
	st         *stateData
	pending    map[string]*authRequest // authorize sessions awaiting sign-in or consent
	refreshing map[string]bool         // refresh-token hashes being exchanged right now
	limiters   map[string]*rate.Limiter
	faults     []*faultState
	stats      Stats
	lastFPH    map[string]map[string]fphRecord // client id → endpoint → last request
	stateLock  *flock.Flock                    // held on StateDir while the server is open
}

// New returns a Server, loading state from opts.StateDir when set.
func New(opts Options) (*Server, error) {
	if opts.RateLimit < 0 {
		return nil, fmt.Errorf("sandbox: rate limit %v is negative", opts.RateLimit)
	}
	var lock *flock.Flock
	if opts.StateDir != "" {
		var err error
		if lock, err = lockStateDir(opts.StateDir); err != nil {
			return nil, err
		}
	}
	s, err := newServer(opts)
	if err != nil {
		if lock != nil {
			lock.Unlock() //nolint:errcheck
		}
		return nil, err
	}
	s.stateLock = lock
	return s, nil
}

func newServer(opts Options) (*Server, error) {
	st, err := loadState(opts.StateDir)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:       opts,
		now:        opts.Now,
		logf:       opts.Logf,
		clients:    map[string]Client{},
		st:         st,
		pending:    map[string]*authRequest{},
		refreshing: map[string]bool{},
		limiters:   map[string]*rate.Limiter{},
		stats:      Stats{Requests: map[string]int{}},
		lastFPH:    map[string]map[string]fphRecord{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	s.clients[LocalClientID] = Client{ID: LocalClientID, Secret: LocalClientSecret, Name: "vat (local)"}
	for _, c := range opts.Clients {
		if c.ID == "" || c.Secret == "" {
			return nil, errors.New("sandbox: client needs an id and a secret")
		}
		if c.Name == "" {
			c.Name = c.ID
		}
		s.clients[c.ID] = c
	}
	for _, f := range opts.Faults {
		s.InjectFault(f)
	}
	return s, nil
}

// Close flushes state to StateDir.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.prune(s.now())
	err := saveState(s.opts.StateDir, s.st)
	if s.stateLock != nil {
		s.stateLock.Unlock() //nolint:errcheck // closing the descriptor releases it anyway
		s.stateLock = nil
	}
	return err
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Requests = make(map[string]int, len(s.stats.Requests))
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	return out
}

// persistLocked saves state; the caller holds s.mu. A failed save is logged, not
// returned to the HTTP client, because HMRC's answer does not depend on our disk.
func (s *Server) persistLocked() {
	s.st.prune(s.now()) // in memory too, so a long-running emulator does not grow
	if s.opts.StateDir == "" {
		return
	}
	if err := saveState(s.opts.StateDir, s.st); err != nil {
		s.logf("sandbox: %v", err)
	}
}

// ServeHTTP serves the API host and the "www" pages (sign-in, consent) on one host.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/") // HMRC's router retries without the slash
	}
	switch {
	case path == "/" || path == "":
		s.serveHome(w, r)
	case strings.HasPrefix(path, "/oauth/token"):
		s.serveOAuth(w, r, path) // logs itself
	case strings.HasPrefix(path, "/oauth/"):
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		s.serveOAuth(sw, r, path)
		// The path only: queries on these pages carry codes.
		s.logf("%s %s %d www", r.Method, r.URL.Path, sw.status)
	default:
		s.serveAPI(w, r)
	}
}

// Gateway messages, as HMRC's API platform words them.
const (
	msgMissingCredentials = "Authentication information is not provided"
	msgInvalidCredentials = "Invalid Authentication information provided"
	msgInvalidScope       = "Can not access the required resource. Ensure this token has all the required scopes."
	msgNotFoundResource   = "A resource with the name in the request can not be found in the API"
	msgThrottled          = "The request for the API is throttled as you have exceeded your quota."
	msgAcceptInvalid      = "The accept header is missing or invalid"
	msgWrongTokenType     = "The access token type used is not supported when invoking the API"
	msgMethodNotAllowed   = "The request method is not supported for this resource"
	msgInternal           = "An internal server error occurred"
	msgUnavailable        = "Internal server error"
	msgNotAuthorised      = "The client and/or agent is not authorised."
)

// apiErr is HMRC's error body: {"code","message","path"?,"errors"?}.
type apiErr struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Path    string   `json:"path,omitempty"`
	Errors  []apiErr `json:"errors,omitempty"`
}

// legacyErr is vat-api's older body shape, still sent for some validation errors.
type legacyErr struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiErr{Code: code, Message: msg})
}

func writeLegacy(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, legacyErr{StatusCode: status, Message: msg})
}

// route describes one API resource, as the gateway knows it.
type route struct {
	endpoint string // fault and stats name
	method   string
	pattern  *regexp.Regexp
	scope    string // "" = none needed
	user     bool   // user-restricted: application tokens are refused
	vat      bool   // a VAT (MTD) endpoint: VRN in the path, enrolment checked
	handle   func(s *Server, w http.ResponseWriter, r *http.Request, c *call)
}

// call carries what the gateway and vat-api's routing established about a request.
type call struct {
	endpoint string
	token    *accessRec
	user     *userRec
	vrn      string
	params   []string // path parameters after the VRN, unescaped
	scenario string
	corrID   string
	body     map[string]any // submit: the body, parsed before the enrolment check
}

var routes = []route{
	{"obligations", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/obligations$`), "read:vat", true, true, (*Server).handleObligations},
	{"submit", http.MethodPost, regexp.MustCompile(`^/organisations/vat/([^/]*)/returns$`), "write:vat", true, true, (*Server).handleSubmit},
	{"view-return", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/returns/([^/]*)$`), "read:vat", true, true, (*Server).handleViewReturn},
	{"liabilities", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/liabilities$`), "read:vat", true, true, (*Server).handleLiabilities},
	{"payments", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/payments$`), "read:vat", true, true, (*Server).handlePayments},
	{"penalties", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/penalties$`), "read:vat", true, true, (*Server).handlePenalties},
	{"financial-details", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/financial-details/([^/]*)$`), "read:vat", true, true, (*Server).handleFinancialDetails},
	{"information", http.MethodGet, regexp.MustCompile(`^/organisations/vat/([^/]*)/information$`), "read:vat", true, true, (*Server).handleInformation},
	{"create-test-user", http.MethodPost, regexp.MustCompile(`^/create-test-user/(organisations|individuals|agents)$`), "", false, false, (*Server).handleCreateTestUser},
	{"test-user-services", http.MethodGet, regexp.MustCompile(`^/create-test-user/services$`), "", false, false, (*Server).handleServices},
	{"fph-validate", http.MethodGet, regexp.MustCompile(`^/test/fraud-prevention-headers/validate$`), "", false, false, (*Server).handleFPHValidate},
	{"authorise-agent", http.MethodPost, regexp.MustCompile(`^/emulator/agents/([^/]+)/clients$`), "", false, false, (*Server).handleAuthoriseAgent},
	{"fph-feedback", http.MethodGet, regexp.MustCompile(`^/test/fraud-prevention-headers/([^/]+)/validation-feedback$`), "", false, false, (*Server).handleFPHFeedback},
}

var acceptPattern = regexp.MustCompile(`^application/vnd\.hmrc\.(\d\.\d)\+json$`)

// acceptOK reports whether an Accept header asks for version 1.0, the only version
// vat-api routes. Versions.scala matches its regex against each Accept header's
// whole value, so a list ("application/vnd.hmrc.1.0+json, application/json") or a
// parameter (";q=1") is refused.
func acceptOK(h http.Header) bool {
	for _, v := range h.Values("Accept") {
		if m := acceptPattern.FindStringSubmatch(v); m != nil && m[1] == "1.0" {
			return true
		}
	}
	return false
}

// matchRoute finds the resource for the escaped path. It returns the route and its
// unescaped parameters, or the methods the path allows when only the method is wrong.
func matchRoute(method, escapedPath string) (*route, []string, []string) {
	var allowed []string
	for i := range routes {
		rt := &routes[i]
		m := rt.pattern.FindStringSubmatch(escapedPath)
		if m == nil {
			continue
		}
		if rt.method != method {
			allowed = append(allowed, rt.method)
			continue
		}
		params := make([]string, 0, len(m)-1)
		for _, p := range m[1:] {
			u, err := url.PathUnescape(p)
			if err != nil {
				u = p
			}
			params = append(params, u)
		}
		return rt, params, nil
	}
	return nil, nil, allowed
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	buf := newBufferedWriter()
	corrID := uuid.NewString()
	buf.Header().Set("X-CorrelationId", corrID)
	buf.Header().Set("X-Content-Type-Options", "nosniff")
	endpoint := "unknown"
	flush := true
	defer func() {
		// Log first, so a client that has its reply knows the line is written.
		s.logf("%s %s %d %s %s", r.Method, r.URL.Path, buf.status, endpoint, corrID)
		if flush {
			buf.flushTo(w)
		}
	}()

	esc := r.URL.EscapedPath()
	if len(esc) > 1 {
		esc = strings.TrimSuffix(esc, "/")
	}
	rt, params, allowed := matchRoute(r.Method, esc)
	if rt == nil {
		if len(allowed) > 0 {
			buf.Header().Set("Allow", strings.Join(allowed, ", "))
			writeErr(buf, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", msgMethodNotAllowed)
			return
		}
		writeErr(buf, http.StatusNotFound, "MATCHING_RESOURCE_NOT_FOUND", msgNotFoundResource)
		return
	}
	endpoint = rt.endpoint
	s.countRequest(rt.endpoint) // every request that reached a resource, rejected or not
	if !acceptOK(r.Header) {
		writeErr(buf, http.StatusNotAcceptable, "ACCEPT_HEADER_INVALID", msgAcceptInvalid)
		return
	}
	c := &call{endpoint: rt.endpoint, params: params, scenario: strings.TrimSpace(r.Header.Get("Gov-Test-Scenario")), corrID: corrID}
	if !s.authenticate(buf, r, rt, c) || !s.subscribed(buf, c) {
		return
	}
	if !s.allow(c.token.ClientID) {
		buf.Header().Set("Retry-After", "1")
		writeErr(buf, http.StatusTooManyRequests, "MESSAGE_THROTTLED_OUT", msgThrottled)
		return
	}
	s.mu.Lock()
	faultVRN := ""
	if rt.vat {
		faultVRN = params[0]
	}
	f := s.takeFaultLocked(rt.endpoint, faultVRN)
	if rt.vat {
		s.recordFPHLocked(c.token.ClientID, rt.endpoint, r)
	}
	s.mu.Unlock()

	// The enrolment check's own failure comes where the check is made, after the VRN's.
	authFault := f != nil && f.Kind == FaultAuthServiceError
	if authFault {
		f = nil
	}
	if f != nil && !f.before(r.Context(), buf) {
		return
	}
	if rt.vat {
		c.vrn = params[0]
		c.params = params[1:]
		if rt.endpoint == "submit" {
			body, ok := readSubmitBody(buf, r)
			if !ok {
				buf.Header().Del("X-CorrelationId")
				s.finish(w, r, buf, f, &flush)
				return
			}
			c.body = body
		}
		// AuthorisedController.invokeBlock answers these itself, without the
		// controllers' withApiHeaders, so they carry no X-CorrelationId.
		if !vrnPattern.MatchString(c.vrn) {
			buf.Header().Del("X-CorrelationId")
			writeErr(buf, http.StatusBadRequest, "VRN_INVALID", "The provided VRN is invalid")
			s.finish(w, r, buf, f, &flush)
			return
		}
		if authFault {
			// AuthorisedController.scala: auth's failure (ForbiddenDownstreamError) is
			// answered as 403 with DownstreamError's body.
			buf.Header().Del("X-CorrelationId")
			writeErr(buf, http.StatusForbidden, "INTERNAL_SERVER_ERROR", msgInternal)
			return
		}
		if !s.authorisedFor(c) {
			buf.Header().Del("X-CorrelationId")
			writeErr(buf, http.StatusForbidden, "CLIENT_OR_AGENT_NOT_AUTHORISED", msgNotAuthorised)
			s.finish(w, r, buf, f, &flush)
			return
		}
	}
	rt.handle(s, buf, r, c)
	s.finish(w, r, buf, f, &flush)
}

// finish applies the after-processing faults: the work is done, the reply is lost
// or late, as when a connection drops or a proxy times out after HMRC acted.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, buf *bufferedWriter, f *faultState, flush *bool) {
	if f == nil {
		return
	}
	if !f.after(r.Context(), w) {
		*flush = false
	}
}

// authenticate applies the gateway's bearer-token and scope checks.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rt *route, c *call) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="HMRC API Platform"`)
		writeErr(w, http.StatusUnauthorized, "MISSING_CREDENTIALS", msgMissingCredentials)
		return false
	}
	const prefix = "bearer "
	tok := ""
	if len(h) > len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		tok = strings.TrimSpace(h[len(prefix):])
	}
	s.mu.Lock()
	var rec *accessRec
	if tok != "" {
		if a, ok := s.st.Access[hashSecret(tok)]; ok && s.now().Before(a.Expires) {
			cp := *a
			rec = &cp
		}
	}
	if rec != nil && rec.UserID != "" {
		if u, ok := s.st.Users[rec.UserID]; ok {
			cp := *u
			cp.Clients = append([]string(nil), u.Clients...)
			c.user = &cp
		} else {
			rec = nil // the user is gone, so is the token
		}
	}
	s.mu.Unlock()
	if rec == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="HMRC API Platform"`)
		writeErr(w, http.StatusUnauthorized, "INVALID_CREDENTIALS", msgInvalidCredentials)
		return false
	}
	c.token = rec
	userOnly := rt.user || (rt.endpoint == "fph-validate" && s.opts.FPHValidateUserOnly)
	if userOnly && rec.UserID == "" {
		writeErr(w, http.StatusUnauthorized, "INCORRECT_ACCESS_TOKEN_TYPE", msgWrongTokenType)
		return false
	}
	if rt.scope != "" && !contains(rec.Scopes, rt.scope) {
		writeErr(w, http.StatusForbidden, "INVALID_SCOPE", msgInvalidScope)
		return false
	}
	return true
}

// authorisedFor applies vat-api's enrolment rule (AuthorisedController.scala): the
// user holds HMRC-MTD-VAT for the VRN, or holds HMRC-AS-AGENT and the client has
// authorised the agent. Which services give which enrolment is in enrolled.
func (s *Server) authorisedFor(c *call) bool {
	u := c.user
	if u == nil {
		return false
	}
	switch u.Kind {
	case "organisation", "individual":
		return u.VRN != "" && u.VRN == c.vrn && hasMTDVAT(u)
	case "agent":
		return u.ARN != "" && contains(u.Clients, c.vrn)
	}
	return false
}

// allow applies the per-application rate limit.
func (s *Server) allow(clientID string) bool {
	if s.opts.RateLimit <= 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.limiters[clientID]
	if !ok {
		burst := int(s.opts.RateLimit)
		if burst < 1 {
			burst = 1
		}
		l = rate.NewLimiter(rate.Limit(s.opts.RateLimit), burst)
		s.limiters[clientID] = l
	}
	return l.AllowN(s.now(), 1)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// statusWriter remembers the status of a reply, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// bufferedWriter holds a whole reply so that faults can decide, after the work is
// done, whether the client ever sees it.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func newBufferedWriter() *bufferedWriter {
	return &bufferedWriter{header: http.Header{}, status: http.StatusOK}
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

func (b *bufferedWriter) flushTo(w http.ResponseWriter) {
	h := w.Header()
	keys := make([]string, 0, len(b.header))
	for k := range b.header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h[k] = b.header[k]
	}
	w.WriteHeader(b.status)
	if b.body.Len() > 0 {
		_, _ = w.Write(b.body.Bytes())
	}
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

const isoDate = "2006-01-02"

func fmtDate(t time.Time) string { return t.Format(isoDate) }

// parseDate parses YYYY-MM-DD strictly: Go's parser refuses 2017-02-30 as Java's
// STRICT resolver does.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len(isoDate) {
		return time.Time{}, false
	}
	t, err := time.Parse(isoDate, s)
	return t, err == nil
}

// plusMonths adds months the way java.time does (HMRC's services are Scala): the
// day is clamped to the end of a shorter month, so 2024-02-29 plus a year is
// 2025-02-28, where Go's AddDate would give 2025-03-01.
func plusMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

func (s *Server) serveHome(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	renderPage(w, http.StatusOK, "home", map[string]any{"Title": "HMRC sandbox emulator"})
}
