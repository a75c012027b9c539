package hmrc

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// redacted replaces every secret in a trace.
const redacted = "[REDACTED]"

// secretHeaders never appear in a trace.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// secretFields are form, query and JSON fields whose values never appear in a trace. password
// covers the sandbox test users' passwords returned by Create Test User.
var secretFields = []string{"access_token", "refresh_token", "id_token", "code", "client_secret", "code_verifier", "password"}

// jsonSecretFields leaves out "code": in JSON it is HMRC's error code, the very thing a trace is
// for, while the OAuth authorization code only ever travels in forms and query strings.
var jsonSecretFields = []string{"access_token", "refresh_token", "id_token", "client_secret", "code_verifier", "password"}

var (
	// jsonSecret matches "field": "value" (and "field":value) in JSON, even in a truncated body.
	jsonSecret = regexp.MustCompile(`("(?:` + strings.Join(jsonSecretFields, "|") + `)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\s]+)`)
	// formSecret matches field=value in a form or query string.
	formSecret = regexp.MustCompile(`(^|[&?;\s])((?:` + strings.Join(secretFields, "|") + `)=)[^&\s"']*`)
)

// maxTraceBody bounds how much of each body a trace shows.
const maxTraceBody = 64 << 10

// DebugTransport is an http.RoundTripper that writes every request and response (method, URL,
// status, headers and bodies) to Out, with Authorization, Cookie, tokens, auth codes, client
// secrets, PKCE verifiers and passwords redacted. It is for --debug.
type DebugTransport struct {
	Base http.RoundTripper // nil means http.DefaultTransport
	Out  io.Writer

	mu sync.Mutex // keeps one exchange's lines together when requests run concurrently
}

// RoundTrip traces req and its response around Base.RoundTrip.
func (t *DebugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("debug: read request body: %w", err)
		}
		reqBody = b
		// RoundTrip must not modify the caller's request, so send a clone carrying the copy.
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "> %s %s\n", req.Method, redactURL(req.URL))
	writeHeaders(&sb, "> ", req.Header)
	writeBody(&sb, "> ", reqBody)

	resp, err := base.RoundTrip(req)
	if err != nil {
		fmt.Fprintf(&sb, "! %s\n\n", redactText(err.Error()))
		t.flush(sb.String())
		return nil, err
	}
	// Read at most maxTraceBody for the trace and hand the caller the full body unchanged.
	head, rerr := io.ReadAll(io.LimitReader(resp.Body, maxTraceBody))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	fmt.Fprintf(&sb, "< %s %s\n", resp.Proto, resp.Status)
	writeHeaders(&sb, "< ", resp.Header)
	if isHTML(resp) && resp.StatusCode < 400 && len(head) > 0 {
		// Sign-in, consent and OOB pages: the OOB page holds the authorization code in its title
		// and text, and no HTML page is HMRC API data. Error pages from proxies stay visible.
		fmt.Fprintf(&sb, "<\n< [HTML page of %d bytes omitted]\n", len(head))
	} else {
		writeBody(&sb, "< ", head)
	}
	if rerr != nil {
		fmt.Fprintf(&sb, "! reading body: %s\n", rerr)
	}
	sb.WriteString("\n")
	t.flush(sb.String())
	return resp, nil
}

func isHTML(resp *http.Response) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Type"))), "text/html")
}

func (t *DebugTransport) flush(s string) {
	if t.Out == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.Out, s) //nolint:errcheck // a failing trace must not fail the request
}

func writeHeaders(sb *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if secretHeaders[http.CanonicalHeaderKey(k)] {
				v = redactAuth(v)
			} else {
				// Location and Referer carry URLs, and the OAuth redirect's carries the code.
				v = redactText(v)
			}
			fmt.Fprintf(sb, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// redactAuth keeps the scheme ("Bearer") so a trace still shows which kind of credential went out.
func redactAuth(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && !strings.Contains(scheme, "=") {
		return scheme + " " + redacted
	}
	return redacted
}

func writeBody(sb *strings.Builder, prefix string, b []byte) {
	if len(b) == 0 {
		return
	}
	s := redactText(string(b))
	if len(b) == maxTraceBody {
		s += "…(truncated)"
	}
	sb.WriteString(prefix + "\n")
	for _, line := range strings.Split(s, "\n") {
		sb.WriteString(prefix + line + "\n")
	}
}

// redactText removes secrets from a body (JSON or form encoded) or an error message.
func redactText(s string) string {
	s = jsonSecret.ReplaceAllString(s, `${1}"`+redacted+`"`)
	return formSecret.ReplaceAllString(s, "${1}${2}"+redacted)
}

func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for _, f := range secretFields {
			if q.Has(f) {
				q.Set(f, redacted)
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}
