package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// oauthErr is RFC 6749's error body, which HMRC's token endpoint uses.
type oauthErr struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

func writeOAuthErr(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, oauthErr{Error: code, Description: desc})
}

func (s *Server) countRequest(name string) {
	s.mu.Lock()
	s.stats.Requests[name]++
	s.mu.Unlock()
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	buf := newBufferedWriter()
	buf.Header().Set("Cache-Control", "no-store")
	buf.Header().Set("Pragma", "no-cache")
	flush := true
	defer func() {
		s.logf("%s %s %d token", r.Method, r.URL.Path, buf.status)
		if flush {
			buf.flushTo(w)
		}
	}()
	if r.Method != http.MethodPost {
		buf.Header().Set("Allow", http.MethodPost)
		writeOAuthErr(buf, http.StatusMethodNotAllowed, "invalid_request", "method not allowed")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthErr(buf, http.StatusBadRequest, "invalid_request", "the request body could not be read")
		return
	}
	form := r.PostForm // client credentials belong in the body, never the query
	grantType := form.Get("grant_type")
	refreshHash := ""
	if grantType == "refresh_token" && form.Get("refresh_token") != "" {
		refreshHash = hashSecret(form.Get("refresh_token"))
	}

	// Counting, the fault and the refresh claim happen under one lock, so that a test
	// which sees the count knows the refresh is already in progress.
	s.mu.Lock()
	s.stats.Requests["token"]++
	f := s.takeFaultLocked("token", "")
	inProgress, claimed := false, false
	if refreshHash != "" && (f == nil || f.Kind >= FaultSlow) {
		if s.refreshing[refreshHash] {
			inProgress = true
		} else if _, ok := s.st.Refresh[refreshHash]; ok {
			s.refreshing[refreshHash], claimed = true, true
		}
	}
	s.mu.Unlock()
	if claimed {
		defer func() {
			s.mu.Lock()
			delete(s.refreshing, refreshHash)
			s.mu.Unlock()
		}()
	}

	if f != nil {
		switch f.Kind {
		case FaultServerError:
			writeOAuthErr(buf, http.StatusInternalServerError, "server_error", "internal server error")
			return
		case FaultUnavailable:
			writeOAuthErr(buf, http.StatusServiceUnavailable, "server_error", "service unavailable")
			return
		case FaultThrottle:
			f.before(r.Context(), buf)
			return
		case FaultSlow:
			if !f.before(r.Context(), buf) {
				return
			}
		}
	}
	if inProgress {
		writeOAuthErr(buf, http.StatusBadRequest, "invalid_request", "Refresh operation is already in progress")
		return
	}
	s.token(buf, form, grantType, refreshHash)
	if f != nil && !f.after(r.Context(), w) {
		flush = false
	}
}

// token answers one token request whose form has been read.
func (s *Server) token(w http.ResponseWriter, form url.Values, grantType, refreshHash string) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	switch {
	case clientID == "":
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	case secret == "":
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "client_secret is required")
		return
	}
	client, ok := s.clients[clientID]
	if !ok || subtle.ConstantTimeCompare([]byte(client.Secret), []byte(secret)) != 1 {
		writeOAuthErr(w, http.StatusUnauthorized, "invalid_client", "invalid client id or secret")
		return
	}
	switch grantType {
	case "":
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
	case "authorization_code":
		s.exchangeCode(w, client, form)
	case "refresh_token":
		if form.Get("refresh_token") == "" {
			writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "refresh_token is required for given grant_type")
			return
		}
		s.refresh(w, client, refreshHash)
	case "client_credentials":
		scopes := parseScopes(form.Get("scope"))
		for _, sc := range scopes {
			if _, ok := scopeNames[sc]; !ok {
				writeOAuthErr(w, http.StatusBadRequest, "invalid_scope", "scope is invalid")
				return
			}
		}
		tok := newSecret()
		s.mu.Lock()
		s.st.Access[hashSecret(tok)] = &accessRec{ClientID: client.ID, Scopes: scopes, Expires: s.now().Add(accessLifetime)}
		s.persistLocked()
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok, TokenType: "bearer", ExpiresIn: int(accessLifetime / time.Second), Scope: strings.Join(scopes, " ")})
	default:
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "unsupported grant_type")
	}
}

func (s *Server) exchangeCode(w http.ResponseWriter, client Client, form url.Values) {
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	if code == "" {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code is required for given grant_type")
		return
	}
	if redirectURI == "" {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "redirect_uri is required for given grant_type")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := hashSecret(code)
	rec, ok := s.st.Codes[h]
	if ok {
		delete(s.st.Codes, h) // single use, whatever happens next
		defer s.persistLocked()
	}
	if !ok || s.now().After(rec.Expires) || rec.ClientID != client.ID {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code is invalid")
		return
	}
	if rec.RedirectURI != redirectURI {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "redirect_uri is invalid")
		return
	}
	if rec.Challenge != "" {
		if verifier == "" {
			writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code_verifier is required")
			return
		}
		if !pkceVerifierPattern.MatchString(verifier) {
			writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code_verifier is invalid")
			return
		}
		sum := sha256.Sum256([]byte(verifier))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(rec.Challenge)) != 1 {
			writeOAuthErr(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match code_challenge")
			return
		}
	} else if verifier != "" {
		// A verifier for a code issued without a challenge is refused rather than
		// ignored, as HMRC's token endpoint does: a client that believes it used
		// PKCE but whose challenge was lost learns so at once.
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code_verifier sent but no code_challenge was given")
		return
	}
	if _, ok := s.st.Users[rec.UserID]; !ok {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_request", "code is invalid")
		return
	}
	g := &grantRec{ID: newSecret()[:32], ClientID: client.ID, UserID: rec.UserID, Scopes: rec.Scopes, Granted: s.now()}
	s.st.Grants[g.ID] = g
	writeJSON(w, http.StatusOK, s.issueLocked(g))
}

// issueLocked creates an access and refresh token pair under grant g.
func (s *Server) issueLocked(g *grantRec) tokenResponse {
	access, refresh := newSecret()[:32], newSecret()[:32]
	ah := hashSecret(access)
	s.st.Access[ah] = &accessRec{ClientID: g.ClientID, UserID: g.UserID, GrantID: g.ID, Scopes: g.Scopes, Expires: s.now().Add(accessLifetime)}
	s.st.Refresh[hashSecret(refresh)] = &refreshRec{GrantID: g.ID, AccessHash: ah}
	return tokenResponse{
		AccessToken: access, TokenType: "bearer", ExpiresIn: int(accessLifetime / time.Second),
		RefreshToken: refresh, Scope: strings.Join(g.Scopes, " "),
	}
}

// refresh rotates a refresh token: the old refresh and access tokens die, a new pair
// is issued under the same authority, which still ends 18 months after the grant.
func (s *Server) refresh(w http.ResponseWriter, client Client, h string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.st.Refresh[h]
	if !ok {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_grant", "refresh_token is invalid")
		return
	}
	g, ok := s.st.Grants[rec.GrantID]
	if !ok || g.ClientID != client.ID {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_grant", "refresh_token is invalid")
		return
	}
	if s.now().After(plusMonths(g.Granted, authorityMonths)) {
		delete(s.st.Refresh, h)
		delete(s.st.Access, rec.AccessHash)
		s.persistLocked()
		writeOAuthErr(w, http.StatusBadRequest, "invalid_grant", "refresh_token has expired")
		return
	}
	if _, ok := s.st.Users[g.UserID]; !ok {
		writeOAuthErr(w, http.StatusBadRequest, "invalid_grant", "refresh_token is invalid")
		return
	}
	delete(s.st.Refresh, h)
	delete(s.st.Access, rec.AccessHash)
	resp := s.issueLocked(g)
	s.stats.TokenRefreshes++
	s.persistLocked()
	writeJSON(w, http.StatusOK, resp)
}
