package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Lifetimes of HMRC's OAuth artefacts.
const (
	codeLifetime    = 10 * time.Minute
	accessLifetime  = 4 * time.Hour
	authorityMonths = 18
	pendingLifetime = 30 * time.Minute
	maxPending      = 10000 // bounds memory held for abandoned sign-ins
	maxFormBytes    = 64 << 10
)

const (
	oobURI     = "urn:ietf:wg:oauth:2.0:oob"
	oobAutoURI = "urn:ietf:wg:oauth:2.0:oob:auto"
)

// scopeNames are the scopes the emulator grants, with the wording of the consent page.
var scopeNames = map[string]string{
	"read:vat":  "View your VAT information",
	"write:vat": "Change your VAT information",
	"hello":     "Say hello",
}

var (
	pkceChallengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	pkceVerifierPattern  = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
)

// authRequest is an authorize call waiting for the user to sign in and consent.
type authRequest struct {
	ID, ClientID, RedirectURI, State, Challenge string
	Scopes                                      []string
	UserID                                      string // set once signed in
	Nonce                                       string // ties the consent form to the sign-in
	Expires                                     time.Time
}

// newSecret returns 32 random bytes as hex: opaque, and unguessable.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// hashSecret is how tokens and codes are kept: a leak of the state files does not
// leak a usable token.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request, path string) {
	switch path {
	case "/oauth/authorize":
		s.handleAuthorize(w, r)
	case "/oauth/sign-in":
		s.handleSignIn(w, r)
	case "/oauth/grant":
		s.handleGrant(w, r)
	case "/oauth/oob":
		s.handleOOB(w, r)
	case "/oauth/token":
		s.handleToken(w, r)
	default:
		renderPage(w, http.StatusNotFound, "error", map[string]any{"Title": "Page not found", "Error": "not_found", "Description": "This page can’t be found"})
	}
}

// redirectAllowed reports whether uri may receive codes for client c.
func redirectAllowed(c Client, uri string) bool {
	if uri == "" {
		return false
	}
	if uri == oobURI || uri == oobAutoURI {
		return true // HMRC lists both as valid for installed applications
	}
	u, err := url.Parse(uri)
	if err != nil || u.Fragment != "" || !u.IsAbs() {
		return false
	}
	if c.ID == LocalClientID {
		return u.Scheme == "http" && isLoopbackHost(u.Hostname())
	}
	for _, reg := range c.RedirectURIs {
		if uri == reg || strings.HasPrefix(uri, reg) {
			return true
		}
		// http://localhost registered without a port admits any port, as installed
		// applications pick a free one.
		ru, err := url.Parse(reg)
		if err == nil && ru.Scheme == "http" && isLoopbackHost(ru.Hostname()) && ru.Port() == "" &&
			u.Scheme == "http" && u.Hostname() == ru.Hostname() && strings.HasPrefix(u.Path, ru.Path) {
			return true
		}
	}
	return false
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func parseScopes(raw string) []string {
	var out []string
	for _, sc := range strings.Fields(raw) {
		if !contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		renderAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "method not allowed")
		return
	}
	s.countRequest("authorize")
	q := r.URL.Query()
	if q.Has("client_secret") {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "client_secret should NOT be present")
		return
	}
	clientID := q.Get("client_id")
	if clientID == "" {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	client, ok := s.clients[clientID]
	if !ok {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "client_id is invalid")
		return
	}
	redirectURI := q.Get("redirect_uri")
	if redirectURI == "" {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri is required")
		return
	}
	if !redirectAllowed(client, redirectURI) {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri is invalid")
		return
	}
	switch rt := q.Get("response_type"); {
	case rt == "":
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "response_type is required")
		return
	case rt != "code":
		renderAuthError(w, http.StatusBadRequest, "unsupported_response_type", "response_type must be 'code'")
		return
	}
	scopes := parseScopes(q.Get("scope"))
	if len(scopes) == 0 {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "scope is required")
		return
	}
	for _, sc := range scopes {
		if _, ok := scopeNames[sc]; !ok {
			renderAuthError(w, http.StatusBadRequest, "invalid_scope", "scope is invalid")
			return
		}
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method == "":
	case challenge == "" || method == "":
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "code_challenge and code_challenge_method must be sent together")
		return
	case method != "S256":
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "code_challenge_method must be S256")
		return
	case !pkceChallengePattern.MatchString(challenge):
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "code_challenge is invalid")
		return
	}
	ar := &authRequest{
		ID: newSecret(), ClientID: clientID, RedirectURI: redirectURI, State: q.Get("state"),
		Challenge: challenge, Scopes: scopes, Expires: s.now().Add(pendingLifetime),
	}
	s.mu.Lock()
	s.prunePendingLocked()
	s.pending[ar.ID] = ar
	s.mu.Unlock()
	renderPage(w, http.StatusOK, "signin", signInData(client, ar, ""))
}

func (s *Server) prunePendingLocked() {
	now := s.now()
	for id, p := range s.pending {
		if now.After(p.Expires) {
			delete(s.pending, id)
		}
	}
	for id := range s.pending {
		if len(s.pending) < maxPending {
			break
		}
		delete(s.pending, id) // arbitrary eviction; only abandoned sign-ins pile up
	}
}

func signInData(c Client, ar *authRequest, errMsg string) map[string]any {
	return map[string]any{"Title": "Sign in", "App": c.Name, "Request": ar.ID, "Error": errMsg}
}

// pendingFor returns the live authorize session named in the form.
func (s *Server) pendingFor(r *http.Request) (*authRequest, bool) {
	id := r.PostForm.Get("request")
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.pending[id]
	if !ok || s.now().After(ar.Expires) {
		return nil, false
	}
	cp := *ar
	return &cp, true
}

func (s *Server) parsePostForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		renderAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "method not allowed")
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "the form could not be read")
		return false
	}
	return true
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if !s.parsePostForm(w, r) {
		return
	}
	ar, ok := s.pendingFor(r)
	if !ok {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "the sign-in session has expired; start again from your application")
		return
	}
	client := s.clients[ar.ClientID]
	userID, password := strings.TrimSpace(r.PostForm.Get("userId")), r.PostForm.Get("password")
	s.mu.Lock()
	u, found := s.st.Users[userID]
	good := found && checkPassword(u, password)
	var nonce string
	if good {
		nonce = newSecret()
		if p, ok := s.pending[ar.ID]; ok {
			p.UserID, p.Nonce = userID, nonce
		}
	}
	s.mu.Unlock()
	if !good {
		renderPage(w, http.StatusOK, "signin", signInData(client, ar, "Enter a correct user ID and password"))
		return
	}
	renderPage(w, http.StatusOK, "grant", grantData(client, ar, nonce, u))
}

func grantData(c Client, ar *authRequest, nonce string, u *userRec) map[string]any {
	type scopeLine struct{ Name, Description string }
	var lines []scopeLine
	for _, sc := range ar.Scopes {
		lines = append(lines, scopeLine{sc, scopeNames[sc]})
	}
	return map[string]any{
		"Title": "Grant authority", "App": c.Name, "Request": ar.ID, "Nonce": nonce,
		"Scopes": lines, "User": u.UserFullName, "UserID": u.UserID,
	}
}

func (s *Server) handleGrant(w http.ResponseWriter, r *http.Request) {
	if !s.parsePostForm(w, r) {
		return
	}
	s.mu.Lock()
	ar, ok := s.pending[r.PostForm.Get("request")]
	if ok && (s.now().After(ar.Expires) || ar.UserID == "" ||
		subtle.ConstantTimeCompare([]byte(ar.Nonce), []byte(r.PostForm.Get("nonce"))) != 1) {
		ok = false
	}
	if ok {
		delete(s.pending, ar.ID) // one decision per sign-in
	}
	var code string
	allow := r.PostForm.Get("decision") == "allow"
	if ok && allow {
		code = newSecret()
		s.st.Codes[hashSecret(code)] = &codeRec{
			ClientID: ar.ClientID, UserID: ar.UserID, Scopes: ar.Scopes,
			RedirectURI: ar.RedirectURI, Challenge: ar.Challenge, Expires: s.now().Add(codeLifetime),
		}
		s.persistLocked()
	}
	s.mu.Unlock()
	if !ok {
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "the sign-in session has expired; start again from your application")
		return
	}
	params := url.Values{}
	if allow {
		params.Set("code", code)
	} else {
		params.Set("error", "access_denied")
		params.Set("error_description", "user denied the authorization")
		params.Set("error_code", "USER_DENIED_AUTHORIZATION")
	}
	if ar.State != "" {
		params.Set("state", ar.State)
	}
	target := ar.RedirectURI
	if target == oobURI || target == oobAutoURI {
		if target == oobAutoURI {
			params.Set("auto", "1")
		}
		target = "/oauth/oob"
	}
	u, err := url.Parse(target)
	if err != nil { // checked at authorize; kept for safety
		renderAuthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri is invalid")
		return
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// handleOOB shows the code for the out-of-band redirect: in the title, where a
// program can read it, and on the page, for a person to copy.
func (s *Server) handleOOB(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := map[string]any{"Code": q.Get("code"), "Auto": q.Get("auto") == "1", "Error": q.Get("error")}
	if q.Get("code") != "" {
		data["Title"] = "Success code=" + q.Get("code")
	} else {
		data["Title"] = "Denied error=" + q.Get("error")
	}
	w.Header().Set("Cache-Control", "no-store")
	renderPage(w, http.StatusOK, "oob", data)
}

func checkPassword(u *userRec, password string) bool {
	got := hashPassword(u.Salt, password)
	return subtle.ConstantTimeCompare([]byte(got), []byte(u.PasswordHash)) == 1
}

func hashPassword(salt, password string) string {
	h := sha256.Sum256([]byte(salt + "\x00" + password))
	return hex.EncodeToString(h[:])
}

func renderAuthError(w http.ResponseWriter, status int, code, desc string) {
	renderPage(w, status, "error", map[string]any{"Title": "There is a problem", "Error": code, "Description": desc})
}
