package auth

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Transport adds the bearer token from Source to each request and, when the API answers 401
// (HMRC revoked the access token or it expired early), gets another token once, under the same
// cross-process lock as any refresh, and sends the request again before giving up. It never sends
// a token to a URL outside the API base the token was issued by.
//
// It replaces oauth2.Transport, which re-adds the token on every redirect hop and has a
// deprecated CancelRequest method that http.Client calls (and logs about) on timeouts.
type Transport struct {
	Source *TokenSource
	Base   http.RoundTripper // http.DefaultTransport when nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base == nil {
		return http.DefaultTransport
	}
	return t.Base
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.Source.token()
	if err == nil {
		err = checkDestination(tok, req.URL)
	}
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.base().RoundTrip(authorized(req, req.Body, tok.AccessToken))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	var body io.ReadCloser
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return resp, nil // cannot be sent again; the 401 stands
		}
		if body, err = req.GetBody(); err != nil {
			return resp, nil //nolint:nilerr // the body cannot be sent again; the 401 stands
		}
	}
	nt, err := t.Source.RefreshRejected(tok.AccessToken)
	if err != nil {
		if body != nil {
			body.Close()
		}
		drain(resp)
		return nil, err
	}
	drain(resp)
	return t.base().RoundTrip(authorized(req, body, nt.AccessToken))
}

// authorized clones req with the bearer token set; the caller's request is never modified.
func authorized(req *http.Request, body io.ReadCloser, accessToken string) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", "Bearer "+accessToken)
	return r
}

// TokenScopeError reports a request to a URL outside the API base its token was issued by.
type TokenScopeError struct {
	URL, Base string
}

func (e *TokenScopeError) Error() string {
	return fmt.Sprintf("not sending the HMRC token to %s: it was issued by %s", e.URL, e.Base)
}

// NotActedOn reports that nothing was sent.
func (e *TokenScopeError) NotActedOn() bool { return true }

func checkDestination(tok *Token, u *url.URL) error {
	if tok.Base == "" {
		return nil
	}
	b, err := url.Parse(NormalizeBase(tok.Base))
	if err != nil {
		return &TokenScopeError{URL: u.Redacted(), Base: tok.Base}
	}
	path := strings.TrimRight(b.Path, "/")
	if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) ||
		(path != "" && u.Path != path && !strings.HasPrefix(u.Path, path+"/")) {
		return &TokenScopeError{URL: u.Scheme + "://" + u.Host + u.Path, Base: tok.Base}
	}
	return nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // only to reuse the connection
	resp.Body.Close()
}
