// Package httpsafe holds the HTTP client policy shared by every client that carries credentials.
//
// HMRC's API and token endpoint never redirect. Following a redirect is how a bearer token, a
// client secret or a refresh token reaches a host nobody chose: x/oauth2's Transport adds the
// Authorization header to every hop, and a 307 or 308 re-sends a POST body (a VAT return, or
// client_secret and refresh_token) to wherever the Location header points.
package httpsafe

import (
	"fmt"
	"net/http"
)

// RedirectError reports a redirect that was refused. Nothing was sent to To.
type RedirectError struct {
	Status   int    // the redirect's status code (301, 302, 303, 307, 308)
	From, To string // the host that answered with the redirect, and the host it named
	Method   string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused a %d redirect from %s to %s: HMRC does not redirect, so nothing (no token, no secret, no return) was sent to %s; check --api-url and any proxy",
		e.Status, e.From, e.To, e.To)
}

// NotActedOn reports that the answer was a redirect, not HMRC acting on the request, so the
// caller need neither retry nor treat the outcome as unknown.
func (e *RedirectError) NotActedOn() bool { return true }

// RefuseRedirects is an http.Client CheckRedirect function that refuses every redirect with a
// *RedirectError naming both hosts.
func RefuseRedirects(req *http.Request, via []*http.Request) error {
	from := ""
	if len(via) > 0 {
		from = via[len(via)-1].URL.Host
	}
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	method := ""
	if len(via) > 0 {
		method = via[len(via)-1].Method
	}
	return &RedirectError{Status: status, From: from, To: req.URL.Host, Method: method}
}

// Client returns a copy of c (http.DefaultClient when nil) that refuses redirects.
func Client(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	cc := *c
	cc.CheckRedirect = RefuseRedirects
	return &cc
}
