package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cli/browser"
	"golang.org/x/oauth2"
)

// OOBRedirectURI is HMRC's out-of-band redirect: the code is shown on an HMRC page for the user to
// paste, for machines where no local browser can reach a loopback listener (SSH, headless).
const OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"

// CallbackPath is the path of the loopback redirect URI, http://localhost:PORT/callback.
const CallbackPath = "/callback"

// GuidanceURL is HMRC's guidance on software for VAT returns, linked from the sign-in prompt.
const GuidanceURL = "https://www.gov.uk/guidance/use-software-to-submit-your-vat-returns"

// DefaultPorts returns the loopback ports registered as redirect URIs, tried in order. HMRC allows
// five redirect URIs and does not promise to ignore the port, so they must be fixed in advance.
func DefaultPorts() []int { return []int{53682, 53683, 53684} }

// DefaultLoginTimeout is how long Login waits for the user to finish in the browser.
const DefaultLoginTimeout = 5 * time.Minute

// exchangeTimeout bounds the code-for-token request after the user is done.
const exchangeTimeout = 60 * time.Second

// maxPastedCode bounds what we read from the user; HMRC codes are about 32 characters.
const maxPastedCode = 512

// LoginOptions configures Login.
type LoginOptions struct {
	// Config holds the client credentials, scopes and HMRC endpoints (see NewConfig). Its RedirectURL
	// is ignored: Login sets it to the loopback or OOB URI it uses.
	Config *oauth2.Config
	// Ports are the registered loopback ports, tried in order (DefaultPorts() when empty). Port 0 takes
	// any free port, for an authorization server that accepts any loopback port (the emulator).
	Ports []int
	// NoBrowser prints the URL with the OOB redirect and reads the code the user pastes.
	NoBrowser bool
	// OpenBrowser opens the authorize URL; github.com/cli/browser by default.
	OpenBrowser func(url string) error
	// Prompt receives the instructions (normally stderr). It never receives a code or token.
	Prompt io.Writer
	// PastedCode is where the user pastes the OOB code (normally stdin).
	PastedCode io.Reader
	// Timeout bounds the wait for the user (DefaultLoginTimeout when zero).
	Timeout time.Duration
	// Now is the clock used for expiry times (time.Now when nil).
	Now func() time.Time
}

// Login runs the OAuth 2.0 authorization-code grant with PKCE (S256) against HMRC and returns the
// new token; the caller saves it. The user signs in in a browser, which HMRC sends back to a listener
// on the loopback interface; with NoBrowser the user pastes the code from HMRC's OOB page instead.
// A declined consent gives an error matching ErrAccessDenied; HMRC's OAuth errors are *OAuthError.
func Login(ctx context.Context, opts LoginOptions) (*Token, error) {
	if opts.Config == nil {
		return nil, errors.New("login: no oauth configuration")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	prompt := opts.Prompt
	if prompt == nil {
		prompt = io.Discard
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	cfg := *opts.Config
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		return nil, err
	}

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var code string
	if opts.NoBrowser {
		cfg.RedirectURL = OOBRedirectURI
		code, err = pasteFlow(waitCtx, &cfg, state, verifier, prompt, opts.PastedCode)
	} else {
		code, err = loopbackFlow(waitCtx, &cfg, state, verifier, prompt, opts)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			// Nobody answered: not the network, so the deadline is not wrapped (it would read
			// as "HMRC unavailable, retry later").
			if opts.NoBrowser {
				return nil, fmt.Errorf("no code was pasted within %s: run 'vat login --no-browser' again and paste the code HMRC shows", timeout)
			}
			return nil, fmt.Errorf("the browser did not come back within %s: run 'vat login' again and grant authority in the page it opens", timeout)
		}
		return nil, err
	}

	exCtx, exCancel := context.WithTimeout(safeContext(ctx), exchangeTimeout)
	defer exCancel()
	ot, err := cfg.Exchange(exCtx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("login: exchange code for token: %w", tokenError(err))
	}
	t := now()
	tok := fromOAuth2(ot, t, t.AddDate(0, AuthorityLifetime, 0), strings.Join(cfg.Scopes, " "), Issuer(&cfg))
	if tok.RefreshToken == "" {
		return nil, errors.New("login: hmrc returned no refresh token")
	}
	if _, err := MarshalToken(tok); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	return tok, nil
}

// tokenError turns oauth2's RetrieveError, whose message includes the raw response body, into an
// OAuthError that carries only the error code and description.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	oe := &OAuthError{Code: re.ErrorCode, Description: re.ErrorDescription}
	if re.Response != nil {
		oe.Status = re.Response.StatusCode
	}
	if oe.Code == "" {
		oe.Code = "server_error"
		oe.Description = "unexpected reply from the token endpoint"
	}
	return oe
}

func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("login: random state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func writeIntro(w io.Writer) {
	// Lines under 80 columns, and the address on a line of its own: a terminal that wraps a
	// URL breaks the click on it.
	fmt.Fprintf(w, "Sign in to HMRC to let vat file VAT returns for you.\n"+
		"Use the business's VAT Government Gateway organisation account (the one used\n"+
		"for VAT online), or, if you are an agent, your Agent Services Account.\n"+
		"HMRC's guidance:\n  %s\n\n", GuidanceURL)
}

func pasteFlow(ctx context.Context, cfg *oauth2.Config, state, verifier string, w io.Writer, r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("login: no input to read the pasted code from")
	}
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	writeIntro(w)
	fmt.Fprintf(w, "Open this URL in a browser on any device:\n\n  %s\n\n"+
		"After you grant authority HMRC shows a code.\nPaste it here and press Enter: ", authURL)

	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		// Bounded read: a pasted megabyte must not become a megabyte allocation.
		br := bufio.NewReaderSize(io.LimitReader(r, maxPastedCode+2), maxPastedCode+2)
		line, err := br.ReadString('\n')
		if errors.Is(err, io.EOF) && line != "" {
			err = nil
		}
		ch <- result{line, err}
	}()
	var res result
	select {
	case res = <-ch:
	case <-ctx.Done():
		fmt.Fprintln(w) // end the prompt's line before the error is shown
		return "", fmt.Errorf("waiting for the pasted code: %w", ctx.Err())
	}
	if res.err != nil {
		fmt.Fprintln(w)
		if errors.Is(res.err, io.EOF) {
			return "", errors.New("no code was pasted (the input ended): run 'vat login --no-browser' at a terminal and paste the code HMRC shows")
		}
		return "", fmt.Errorf("reading the pasted code: %w", res.err)
	}
	code := strings.TrimSpace(res.line)
	if err := checkCode(code); err != nil {
		return "", err
	}
	return code, nil
}

// checkCode rejects input that cannot be an authorization code, without echoing it.
func checkCode(code string) error {
	if code == "" {
		return errors.New("login: no code pasted")
	}
	if len(code) > maxPastedCode {
		return fmt.Errorf("login: pasted code longer than %d characters", maxPastedCode)
	}
	for _, r := range code {
		if r <= ' ' || r > '~' {
			return errors.New("login: pasted code contains spaces or unexpected characters")
		}
	}
	return nil
}

// listenLoopback binds the first usable port on 127.0.0.1 and, when the machine has IPv6, on the same
// port of [::1], since browsers may resolve localhost to either. A port whose [::1] side belongs to
// someone else is skipped: that process would receive our code.
func listenLoopback(ports []int) ([]net.Listener, int, error) {
	var errs []error
	for _, p := range ports {
		l4, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		port := l4.Addr().(*net.TCPAddr).Port
		l6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
		if err == nil {
			return []net.Listener{l4, l6}, port, nil
		}
		if c, derr := net.DialTimeout("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)), time.Second); derr == nil {
			c.Close()
			l4.Close()
			errs = append(errs, fmt.Errorf("port %d is taken on [::1]", port))
			continue
		}
		return []net.Listener{l4}, port, nil
	}
	return nil, 0, fmt.Errorf("login: no free registered loopback port %v: %w", ports, errors.Join(errs...))
}

func loopbackFlow(ctx context.Context, cfg *oauth2.Config, state, verifier string, w io.Writer, opts LoginOptions) (string, error) {
	ports := opts.Ports
	if len(ports) == 0 {
		ports = DefaultPorts()
	}
	ls, port, err := listenLoopback(ports)
	if err != nil {
		return "", err
	}
	cfg.RedirectURL = fmt.Sprintf("http://localhost:%d%s", port, CallbackPath)
	h := newCallbackHandler(state, port)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          nil,
	}
	for _, l := range ls {
		go srv.Serve(l) //nolint:errcheck // ends with ErrServerClosed at Shutdown
	}
	defer func() {
		// Give the browser the "you can close this window" page before closing the sockets.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx) //nolint:errcheck
	}()

	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	writeIntro(w)
	open := opts.OpenBrowser
	if open == nil {
		open = browser.OpenURL
	}
	fmt.Fprintf(w, "Opening your browser at:\n\n  %s\n\n", authURL)
	if err := open(authURL); err != nil {
		fmt.Fprintf(w, "Could not open a browser (%v). Open the URL above yourself,\n"+
			"or run vat login --no-browser to paste a code instead.\n", err)
	}
	fmt.Fprintf(w, "Waiting for HMRC to send the browser back to %s ...\n", cfg.RedirectURL)

	select {
	case res := <-h.result:
		if res.err != nil {
			return "", fmt.Errorf("login: %w", res.err)
		}
		fmt.Fprintln(w, "Authority granted.")
		return res.code, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

type callbackResult struct {
	code string
	err  error
}

// callbackHandler receives HMRC's redirect. It answers only GET /callback from the loopback interface
// with a Host naming the loopback, and only when state matches; anything else gets an error reply and
// Login keeps waiting, so a forged request cannot end the login or inject a code.
type callbackHandler struct {
	state  string
	hosts  map[string]bool
	once   sync.Once
	result chan callbackResult
}

func newCallbackHandler(state string, port int) *callbackHandler {
	p := strconv.Itoa(port)
	return &callbackHandler{
		state: state,
		// Checking Host defeats DNS rebinding: a web page on another name cannot reach us via the browser.
		hosts:  map[string]bool{"localhost:" + p: true, "127.0.0.1:" + p: true, "[::1]:" + p: true},
		result: make(chan callbackResult, 1),
	}
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Security-Policy", "default-src 'none'")
	if r.URL.Path != CallbackPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		hdr.Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !isLoopback(r.RemoteAddr) || !h.hosts[strings.ToLower(r.Host)] {
		http.Error(w, "refused: not a local request", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(h.state)) != 1 {
		http.Error(w, "refused: this sign-in did not start here (state mismatch)", http.StatusBadRequest)
		return
	}
	var res callbackResult
	if e := q.Get("error"); e != "" {
		oe := &OAuthError{Code: e, Description: q.Get("error_description"), ErrorCode: q.Get("error_code")}
		res.err = oe
	} else {
		res.code = q.Get("code")
		if err := checkCode(res.code); err != nil {
			http.Error(w, "refused: no valid code", http.StatusBadRequest)
			return
		}
	}
	delivered := false
	h.once.Do(func() { h.result <- res; delivered = true })
	if !delivered {
		http.Error(w, "this sign-in is already complete", http.StatusConflict)
		return
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	msg := "Signed in. You can close this window and return to vat."
	if res.err != nil {
		msg = "HMRC did not grant authority. You can close this window; vat shows what happened."
	}
	// Static text only: nothing from the request is reflected into the page.
	fmt.Fprintf(w, "<!doctype html><html><head><meta charset=\"utf-8\"><title>vat</title></head><body><p id=\"result\">%s</p></body></html>\n", msg)
}
