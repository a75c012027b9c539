package rehearse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/rehearse"
	"github.com/vatbridge/vat/pkg/sandbox"
)

func TestRehearseFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want RehearseOptions
	}{
		{nil, RehearseOptions{}},
		{[]string{"--report-dir", "out", "--no-browser"}, RehearseOptions{ReportDir: "out", NoBrowser: true}},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *RehearseOptions
		cmd := NewCmdRehearse(cmdutil.NewFactory(ios), func(o *RehearseOptions) error { got = o; return nil })
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		got.IO, got.Factory = nil, nil
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%v: opts = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}

// snoop keeps what HMRC sent back that must never reach a report: the test user's password and
// every token. It can also spoil one request's headers, as a broken collector would.
type snoop struct {
	base    http.RoundTripper
	spoil   func(*http.Request) // nil = send as is
	mu      sync.Mutex
	secrets []string
}

func (s *snoop) RoundTrip(req *http.Request) (*http.Response, error) {
	if s.spoil != nil {
		req = req.Clone(req.Context())
		s.spoil(req)
	}
	resp, err := s.base.RoundTrip(req)
	if err != nil || !(strings.HasPrefix(req.URL.Path, "/create-test-user/") || req.URL.Path == "/oauth/token") {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		s.mu.Lock()
		for _, k := range []string{"password", "access_token", "refresh_token"} {
			if v, ok := m[k].(string); ok && v != "" {
				s.secrets = append(s.secrets, v)
			}
		}
		s.mu.Unlock()
	}
	return resp, nil
}

type result struct {
	err      error
	report   rehearse.Report
	passed   bool
	files    map[string]string // name → content
	stderr   string
	userDir  string
	secrets  []string
	reportTo string
}

// rehearseAgainst runs the command against emulator srv, as `vat sandbox rehearse --env local
// --api-url URL` with env added to the environment.
func rehearseAgainst(t *testing.T, srv *sandbox.Server, env map[string]string, spoil func(*http.Request)) result {
	t.Helper()
	return rehearseWith(t, srv, env, spoil, nil)
}

// rehearseWith is rehearseAgainst with a hook that may change the options and the user's config
// dir before the run.
func rehearseWith(t *testing.T, srv *sandbox.Server, env map[string]string, spoil func(*http.Request), prepare func(opts *RehearseOptions, userDir string, stderr *bytes.Buffer, hc *http.Client)) result {
	t.Helper()
	vars := map[string]string{"VAT_ENV": "local"}
	for k, v := range env {
		vars[k] = v
	}
	// vat sends sandbox tokens only over https, so the sandbox's stand-in speaks TLS.
	ts := httptest.NewUnstartedServer(srv)
	if vars["VAT_ENV"] == "sandbox" {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	userDir := t.TempDir()
	vars["VAT_API_URL"], vars["VAT_CONFIG_DIR"] = ts.URL, userDir
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return vars[k] }
	sn := &snoop{base: ts.Client().Transport, spoil: spoil}
	f.BaseTransport = sn
	dir := filepath.Join(t.TempDir(), "report")
	opts := &RehearseOptions{IO: ios, Factory: f, ReportDir: dir}
	if prepare != nil {
		prepare(opts, userDir, errOut, ts.Client())
	}
	err := rehearseRun(t.Context(), opts)
	r := result{err: err, stderr: errOut.String(), userDir: userDir, secrets: sn.secrets, reportTo: dir, files: map[string]string{}}
	for _, name := range []string{rehearse.FileJSON, rehearse.FileMarkdown, rehearse.FileHTML} {
		b, rerr := os.ReadFile(filepath.Join(dir, name))
		if rerr != nil {
			t.Fatalf("report file %s: %v (run error %v, stderr %s)", name, rerr, err, r.stderr)
		}
		r.files[name] = string(b)
		if !strings.Contains(out.String(), filepath.Join(dir, name)) {
			t.Errorf("stdout does not list %s: %q", name, out.String())
		}
	}
	var doc struct {
		rehearse.Report
		Passed bool `json:"passed"`
	}
	if err := json.Unmarshal([]byte(r.files[rehearse.FileJSON]), &doc); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	r.report, r.passed = doc.Report, doc.Passed
	return r
}

func newEmulator(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func step(t *testing.T, r result, id string) rehearse.Step {
	t.Helper()
	for _, s := range r.report.Steps {
		if s.ID == id {
			return *s
		}
	}
	t.Fatalf("no step %s in the report", id)
	return rehearse.Step{}
}

// onlyFailure asserts that exactly step id did not pass and returns it.
func onlyFailure(t *testing.T, r result, id string) rehearse.Step {
	t.Helper()
	for _, s := range r.report.Steps {
		if (s.ID == id) != (s.Status != rehearse.Passed) {
			t.Errorf("step %d %s: %s %s", s.N, s.ID, s.Status, s.Error)
		}
	}
	return step(t, r, id)
}

// The whole sequence runs against the emulator, every step passes, HMRC's validator finds no
// error, and the report holds the evidence but no secret.
func TestRehearsalPassesAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	r := rehearseAgainst(t, newEmulator(t, sandbox.Options{RateLimit: 3}), nil, nil)
	if r.err != nil {
		t.Fatalf("rehearsal failed: %v\n%s", r.err, r.stderr)
	}
	if !r.passed || len(r.report.Steps) != 14 {
		t.Fatalf("passed=%v with %d steps", r.passed, len(r.report.Steps))
	}
	for _, s := range r.report.Steps {
		if s.Status != rehearse.Passed || s.Started.IsZero() {
			t.Errorf("step %d %s: %s %s", s.N, s.ID, s.Status, s.Error)
		}
		if s.ID != rehearse.StepWorkbook && len(s.Calls) == 0 {
			t.Errorf("step %d %s records no call", s.N, s.ID)
		}
		for _, c := range s.Calls {
			if c.Time.IsZero() || c.Status == 0 || (!strings.HasPrefix(c.Endpoint, "/oauth/") && c.CorrelationID == "") {
				t.Errorf("step %d call %+v lacks its time, status or X-CorrelationId", s.N, c)
			}
		}
		if s.Headers != nil && len(s.Headers.Errors) > 0 {
			t.Errorf("step %d: validator errors %+v", s.N, s.Headers.Errors)
		}
	}
	if len(r.report.Feedback) < 8 {
		t.Errorf("validation feedback on %d VAT endpoints, want all 8", len(r.report.Feedback))
	}
	for _, h := range r.report.Feedback {
		if len(h.Errors) > 0 {
			t.Errorf("feedback on %s %s: errors %+v", h.Method, h.Path, h.Errors)
		}
	}
	// The count agrees with its noun: "1 document", "2 documents".
	if fd := step(t, r, rehearse.StepFinancialDetails); !regexp.MustCompile(`: (1 document|([02-9]|\d\d+) documents)($| )`).MatchString(fd.Summary) {
		t.Errorf("financial details summary %q", fd.Summary)
	}
	// The CSV names its columns as a program would, camelCase like the JSON.
	for _, h := range (Doc{Report: r.report}).CSV().Headers {
		if !regexp.MustCompile(`^[a-z][a-zA-Z]*$`).MatchString(h) {
			t.Errorf("CSV column %q is not camelCase", h)
		}
	}
	submit := step(t, r, rehearse.StepSubmit)
	if !strings.Contains(strings.Join(callEndpoints(submit), " "), "/returns") || r.report.Filed == nil || r.report.Filed.FormBundleNumber == "" {
		t.Errorf("submit step %+v, filed %+v", submit, r.report.Filed)
	}
	for _, c := range r.report.Checklist {
		if c.Result == rehearse.Fail {
			t.Errorf("checklist: %s failed: %s", c.Item, c.Evidence)
		}
	}
	u := r.report.User
	if u == nil || len(u.UserID) != 12 || len(u.VRN) != 9 {
		t.Fatalf("test user %+v", u)
	}
	if len(r.secrets) < 3 {
		t.Fatalf("snooped %d secrets, want the password and at least two tokens", len(r.secrets))
	}
	for name, content := range r.files {
		if !strings.Contains(content, u.UserID) || !strings.Contains(content, u.VRN) {
			t.Errorf("%s lacks the test user's ID or VRN", name)
		}
		for _, sec := range r.secrets {
			if strings.Contains(content, sec) {
				t.Errorf("%s contains a password or token", name)
			}
		}
		if strings.Contains(content, sandbox.LocalClientSecret) {
			t.Errorf("%s contains the client secret", name)
		}
	}
	html := r.files[rehearse.FileHTML]
	for _, external := range []string{"<script", "<link", "src=", "@import"} {
		if strings.Contains(html, external) {
			t.Errorf("HTML page is not self-contained: has %s", external)
		}
	}
	if !strings.Contains(r.report.Email.Body, submit.Calls[len(submit.Calls)-1].CorrelationID) || r.report.Email.To != rehearse.SDSTeam {
		t.Errorf("email lacks the submission's correlation ID:\n%s", r.report.Email.Body)
	}
	// The user's own config dir holds only the device ID the headers carried: no profile, no
	// tokens, no journal.
	entries, _ := os.ReadDir(r.userDir)
	if len(entries) != 1 || entries[0].Name() != fraud.DeviceIDFile {
		t.Errorf("user's config dir holds %v", entries)
	}
}

func callEndpoints(s rehearse.Step) []string {
	var out []string
	for _, c := range s.Calls {
		out = append(out, c.Method+" "+c.Endpoint)
	}
	return out
}

// A 503 on one endpoint fails exactly that step, named in the report and the error, and the
// command exits non-zero.
func TestRehearsalNamesTheStepThatGotA503(t *testing.T) {
	t.Parallel()
	srv := newEmulator(t, sandbox.Options{RateLimit: 3, Faults: []sandbox.Fault{{Endpoint: "payments", Kind: sandbox.FaultUnavailable}}})
	r := rehearseAgainst(t, srv, nil, nil)
	if r.err == nil || r.passed {
		t.Fatal("rehearsal passed despite a 503")
	}
	if code := cmdutil.ExitCode(r.err); code == cmdutil.ExitOK {
		t.Errorf("exit code %d", code)
	}
	s := onlyFailure(t, r, rehearse.StepPayments)
	if !strings.Contains(s.Error, "503") || !strings.Contains(s.Error, "/payments") {
		t.Errorf("payments step error %q does not name the 503", s.Error)
	}
	if !strings.Contains(r.err.Error(), "step 9") || !strings.Contains(r.err.Error(), "payments") {
		t.Errorf("error %q does not name step 9", r.err)
	}
	if !strings.Contains(r.files[rehearse.FileMarkdown], "Step 9, Retrieve VAT payments") || !strings.Contains(r.files[rehearse.FileHTML], "Step 9, Retrieve VAT payments") {
		t.Error("the report's failure list does not name step 9")
	}
}

// An empty Gov-Client-Device-ID on one request fails exactly the step that sent it, naming the
// header, and the command exits non-zero.
func TestRehearsalNamesTheBadHeader(t *testing.T) {
	t.Parallel()
	spoil := func(req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/liabilities") {
			req.Header.Set(fraud.HeaderDeviceID, "")
		}
	}
	r := rehearseAgainst(t, newEmulator(t, sandbox.Options{RateLimit: 3}), nil, spoil)
	if r.err == nil || r.passed {
		t.Fatal("rehearsal passed despite an empty device ID")
	}
	s := onlyFailure(t, r, rehearse.StepLiabilities)
	if s.Headers == nil || len(s.Headers.Errors) == 0 || !strings.EqualFold(s.Headers.Errors[0].Header, fraud.HeaderDeviceID) {
		t.Fatalf("liabilities step headers %+v", s.Headers)
	}
	if !strings.Contains(strings.ToLower(s.Error), "gov-client-device-id") || !strings.Contains(strings.ToLower(r.err.Error()), "gov-client-device-id") {
		t.Errorf("step error %q / run error %q do not name the header", s.Error, r.err)
	}
	var minimum rehearse.Check
	for _, c := range r.report.Checklist {
		if c.Section == rehearse.SectionMinimum {
			minimum = c
			break
		}
	}
	if minimum.Result != rehearse.Fail || !strings.Contains(minimum.Evidence, "step 8") {
		t.Errorf("fraud-header standard: %+v", minimum)
	}
}

// An application not subscribed to Create Test User meets HMRC's 403 RESOURCE_FORBIDDEN, and the
// report says what to change on the Developer Hub.
func TestRehearsalExplainsAMissingSubscription(t *testing.T) {
	t.Parallel()
	srv := newEmulator(t, sandbox.Options{Clients: []sandbox.Client{{ID: "my-app", Secret: "my-secret",
		APIs: []string{sandbox.APIVAT, sandbox.APIFraudTest}}}})
	r := rehearseAgainst(t, srv, map[string]string{"VAT_CLIENT_ID": "my-app", "VAT_CLIENT_SECRET": "my-secret"}, nil)
	s := step(t, r, rehearse.StepCreateUser)
	if r.err == nil || s.Status != rehearse.Failed || !strings.Contains(s.Error, "RESOURCE_FORBIDDEN") {
		t.Fatalf("create-user step %+v, err %v", s, r.err)
	}
	if !strings.Contains(s.Advice, `subscribe to "Create Test User"`) || !strings.Contains(s.Advice, "Developer Hub") {
		t.Errorf("advice %q", s.Advice)
	}
	if sign := step(t, r, rehearse.StepSignIn); sign.Status != rehearse.Skipped {
		t.Errorf("sign-in step ran after the user could not be created: %+v", sign)
	}
	if strings.Contains(r.files[rehearse.FileJSON], "my-secret") {
		t.Error("the report holds the client secret")
	}
}

// An application whose redirect URIs leave out the loopback address is refused at sign-in, and the
// report says which URI to register on the Developer Hub.
func TestRehearsalExplainsAnUnregisteredRedirect(t *testing.T) {
	t.Parallel()
	srv := newEmulator(t, sandbox.Options{Clients: []sandbox.Client{{ID: "my-app", Secret: "my-secret",
		RedirectURIs: []string{"https://vendor.example/callback"}}}})
	r := rehearseAgainst(t, srv, map[string]string{"VAT_CLIENT_ID": "my-app", "VAT_CLIENT_SECRET": "my-secret"}, nil)
	s := step(t, r, rehearse.StepSignIn)
	if r.err == nil || s.Status != rehearse.Failed {
		t.Fatalf("sign-in step %+v", s)
	}
	if !strings.Contains(s.Advice, "Redirect URIs") || !strings.Contains(s.Advice, "add http://localhost:") {
		t.Errorf("advice %q does not name the URI to register", s.Advice)
	}
}

func TestRehearsalRefusesProduction(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string {
		return map[string]string{"VAT_ENV": "production", "VAT_CONFIG_DIR": t.TempDir()}[k]
	}
	err := rehearseRun(t.Context(), &RehearseOptions{IO: ios, Factory: f, ReportDir: t.TempDir()})
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) {
		t.Errorf("production: %v, want a usage error", err)
	}
}

// With --env sandbox the user's own application is used and the person signs in in a browser
// with the test user's credentials, shown on the terminal; the report still has no password.
func TestRehearsalSignsInThroughTheBrowserInTheSandbox(t *testing.T) {
	t.Parallel()
	srv := newEmulator(t, sandbox.Options{RateLimit: 3, Clients: []sandbox.Client{{ID: "my-app", Secret: "my-secret",
		RedirectURIs: []string{"http://localhost"}}}})
	var password string
	prepare := func(opts *RehearseOptions, userDir string, stderr *bytes.Buffer, hc *http.Client) {
		// The application registered loopback redirects; any free port will do here.
		file := &config.File{Profiles: map[string]config.Profile{"default": {LoginPorts: []int{0}}}}
		if err := file.Save(userDir); err != nil {
			t.Fatal(err)
		}
		opts.OpenBrowser = func(authURL string) error {
			// The person reads the credentials off the terminal and types them in.
			m := regexp.MustCompile(`user ID +(\d+)\n +password +(\S+)`).FindStringSubmatch(stderr.String())
			if m == nil {
				return fmt.Errorf("no credentials on the terminal: %q", stderr.String())
			}
			password = m[2]
			go func() {
				cb, err := sandbox.SignIn(context.Background(), hc, authURL, m[1], m[2])
				if err != nil {
					t.Errorf("sign in: %v", err)
					return
				}
				if resp, err := http.Get(cb.String()); err == nil {
					resp.Body.Close()
				}
			}()
			return nil
		}
	}
	r := rehearseWith(t, srv, map[string]string{"VAT_ENV": "sandbox", "VAT_CLIENT_ID": "my-app", "VAT_CLIENT_SECRET": "my-secret"}, nil, prepare)
	if r.err != nil {
		t.Fatalf("rehearsal failed: %v\n%s", r.err, r.stderr)
	}
	if r.report.Env != "sandbox" || r.report.ClientID != "my-app" || !r.passed {
		t.Errorf("env %s, client %s, passed %v", r.report.Env, r.report.ClientID, r.passed)
	}
	if password == "" {
		t.Fatal("the browser was never opened")
	}
	for name, content := range r.files {
		if strings.Contains(content, password) || strings.Contains(content, "my-secret") {
			t.Errorf("%s holds the password or the client secret", name)
		}
	}
	if strings.Contains(r.report.Email.Body, "EMULATOR") {
		t.Error("a sandbox rehearsal's email says it ran against the emulator")
	}
}
