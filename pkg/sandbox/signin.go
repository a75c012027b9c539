package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ErrSignIn is returned by SignIn when the emulator refuses the user ID and password.
var ErrSignIn = errors.New("sandbox: sign-in refused")

// AuthorizeError is an error page shown at /oauth/authorize, as HMRC shows
// authorize-time errors in the browser.
type AuthorizeError struct {
	Status      int
	Code        string // e.g. invalid_request
	Description string
}

// Error describes the authorize-time error as the page states it.
func (e *AuthorizeError) Error() string {
	return fmt.Sprintf("sandbox: authorize: %s: %s", e.Code, e.Description)
}

const maxPageBytes = 1 << 20

// SignIn drives the emulator's plain-HTML sign-in and grant forms over HTTP (no
// JavaScript), as a person would, and returns the final redirect URL
// (callback?code=…&state=…) or, for the OOB redirect, a URL carrying the code. The
// redirect itself is not followed, so nothing needs to listen on the callback.
func SignIn(ctx context.Context, hc *http.Client, authorizeURL, userID, password string) (*url.URL, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	page, base, err := fetchPage(&noFollow, req)
	if err != nil {
		return nil, err
	}
	form, ok := findForm(page, "sign-in")
	if !ok {
		return nil, pageError(page)
	}
	form.values.Set("userId", userID)
	form.values.Set("password", password)
	page, base, err = postForm(ctx, &noFollow, base, form)
	if err != nil {
		return nil, err
	}
	if _, again := findForm(page, "sign-in"); again {
		return nil, ErrSignIn
	}
	grant, ok := findForm(page, "grant")
	if !ok {
		return nil, pageError(page)
	}
	grant.values.Set("decision", "allow")
	target, err := base.Parse(grant.action)
	if err != nil {
		return nil, fmt.Errorf("sign in: grant form action: %w", err)
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(grant.values.Encode()))
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in: grant: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPageBytes))
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("sign in: grant: unexpected status %d", resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("sign in: grant: %w", err)
	}
	return loc, nil
}

func fetchPage(hc *http.Client, req *http.Request) (*html.Node, *url.URL, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("sign in: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, nil, fmt.Errorf("sign in: unexpected redirect (status %d)", resp.StatusCode)
	}
	doc, err := html.Parse(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("sign in: read page: %w", err)
	}
	if resp.StatusCode >= 400 {
		return nil, nil, pageErrorStatus(doc, resp.StatusCode)
	}
	return doc, resp.Request.URL, nil
}

func postForm(ctx context.Context, hc *http.Client, base *url.URL, f htmlForm) (*html.Node, *url.URL, error) {
	target, err := base.Parse(f.action)
	if err != nil {
		return nil, nil, fmt.Errorf("sign in: form action: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(f.values.Encode()))
	if err != nil {
		return nil, nil, fmt.Errorf("sign in: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return fetchPage(hc, req)
}

type htmlForm struct {
	action string
	values url.Values
}

// findForm returns the form with the given id and its hidden inputs' values.
func findForm(doc *html.Node, id string) (htmlForm, bool) {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode && n.Data == "form" && attr(n, "id") == id {
			found = n
		}
	})
	if found == nil {
		return htmlForm{}, false
	}
	f := htmlForm{action: attr(found, "action"), values: url.Values{}}
	walk(found, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "type") == "hidden" {
			f.values.Set(attr(n, "name"), attr(n, "value"))
		}
	})
	return f, true
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textByID(doc *html.Node, id string) string {
	var out string
	walk(doc, func(n *html.Node) {
		if out == "" && n.Type == html.ElementNode && attr(n, "id") == id {
			var b strings.Builder
			walk(n, func(t *html.Node) {
				if t.Type == html.TextNode {
					b.WriteString(t.Data)
				}
			})
			out = strings.TrimSpace(b.String())
		}
	})
	return out
}

func pageError(doc *html.Node) error { return pageErrorStatus(doc, http.StatusOK) }

func pageErrorStatus(doc *html.Node, status int) error {
	code := textByID(doc, "error-code")
	if code == "" {
		return fmt.Errorf("sign in: unexpected page (status %d)", status)
	}
	return &AuthorizeError{Status: status, Code: code, Description: textByID(doc, "error-description")}
}
