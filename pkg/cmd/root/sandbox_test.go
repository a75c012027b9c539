package root

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// serve starts `vat sandbox serve` in-process and returns its URL and a stop function.
func serve(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	pr, pw := io.Pipe()
	ios, _, _, _ := iostreams.Test()
	ios.Out = pw
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--quiet"}, args...), f)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no first line from serve: %v (exit %d)", err, <-done)
	}
	m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("first line = %q", line)
	}
	go io.Copy(io.Discard, pr)
	return m[1], func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d after Ctrl-C, want 0", code)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}
}

// The emulator served by the CLI keeps users, tokens and returns across a restart with --state.
func TestSandboxServeStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	url, stop := serve(t, "--state", state)
	cfg := filepath.Join(t.TempDir(), "config")
	env := map[string]string{"VAT_ENV": "local", "VAT_API_URL": url, "VAT_CONFIG_DIR": cfg, "VAT_TOKEN_STORE": "file"}
	run := func(args ...string) (int, string, string) {
		ios, _, out, errOut := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return env[k] }
		return Run(context.Background(), args, f), out.String(), errOut.String()
	}
	code, out, errOut := run("sandbox", "create-user", "--save")
	if code != 0 {
		t.Fatalf("create-user: %d %s", code, errOut)
	}
	userID := regexp.MustCompile(`userId +(\d{12})`).FindStringSubmatch(out)
	password := regexp.MustCompile(`password +(\w{12})`).FindStringSubmatch(out)
	if userID == nil || password == nil {
		t.Fatalf("create-user printed %q", out)
	}
	ios, _, _, _ := iostreams.Test()
	if err := demo.Login(context.Background(), cmdutil.NewFactory(ios), env, hmrcUser(userID[1], password[1])); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run("obligations"); code != 0 {
		t.Fatalf("obligations before restart: %d %s", code, errOut)
	}
	stop()

	// Restarted on the same address, as a user restarts it: tokens belong to the API they were
	// issued by, so the address is part of what must stay the same.
	url2, stop2 := serve(t, "--state", state, "--addr", strings.TrimPrefix(url, "http://"))
	defer stop2()
	if url2 != url {
		t.Fatalf("restarted on %s, not %s", url2, url)
	}
	code, out, errOut = run("obligations", "-o", "json")
	if code != 0 {
		t.Fatalf("obligations after restart with the old token: %d %s", code, errOut)
	}
	if !strings.Contains(out, `"periodKey"`) {
		t.Errorf("obligations after restart = %s", out)
	}
}

func TestSandboxServeFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ args, want string }{
		{"--fault nonsense", `--fault "nonsense"`},
		{"--client only-an-id", `--client "only-an-id"`},
		{"--rate-limit -1", "--rate-limit must be 0"},
	} {
		code, _, stderr := runCLI(t, nil, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, strings.Fields(tt.args)...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q", tt.args, code, stderr)
		}
	}
}

func hmrcUser(id, pw string) hmrc.TestUser { return hmrc.TestUser{UserID: id, Password: pw} }

// With -o json the emulator starts with one document naming its address, for a script to read
// (port 0 picks a free one); CSV has no rows to give and is refused before anything listens.
func TestSandboxServeOutputFormats(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	ios, _, _, errOut := iostreams.Test()
	ios.Out = pw
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "-o", "json"}, f)
		pw.Close()
	}()
	dec := json.NewDecoder(pr)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		cancel()
		t.Fatalf("no JSON from serve -o json: %v (exit %d)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	var doc struct{ URL string }
	if err := json.Unmarshal(raw, &doc); err != nil || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(doc.URL) {
		t.Errorf("serve -o json: %v %s", err, raw)
	}
	if err := CheckSchema("sandbox-serve", string(raw)); err != nil {
		t.Errorf("serve -o json: %v\n%s", err, raw)
	}
	// A request, which the emulator logs on stderr without -o json.
	if resp, err := http.Get(doc.URL + "/nothing-here"); err == nil {
		resp.Body.Close()
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d after Ctrl-C", code)
	}
	if errOut.Len() != 0 {
		t.Errorf("serve -o json wrote to stderr: %q", errOut.String())
	}

	code, stdout, stderr := runCLI(t, nil, "sandbox", "serve", "--addr", "127.0.0.1:0", "-o", "csv")
	if code != cmdutil.ExitUsage || stdout != "" || !strings.Contains(stderr, "csv") {
		t.Errorf("serve -o csv: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
