package root

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// runCLI runs one command line in-process with a private config dir and environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["VAT_CONFIG_DIR"]; !ok {
		env["VAT_CONFIG_DIR"] = t.TempDir()
	}
	f.Getenv = func(k string) string { return env[k] }
	code = Run(context.Background(), args, f)
	return code, out.String(), errOut.String()
}

func TestUnknownFlagIsAUsageErrorWithAHint(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, nil, "version", "--frobnicate")
	if code != cmdutil.ExitUsage {
		t.Errorf("exit = %d, want %d", code, cmdutil.ExitUsage)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	want := "error: unknown flag: --frobnicate\nRun 'vat version --help' for usage.\n"
	if stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestJSONErrorsGoToStderr(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, map[string]string{"VAT_OUTPUT": "json"}, "nonsense-command")
	if code != cmdutil.ExitUsage || stdout != "" {
		t.Fatalf("exit = %d stdout = %q", code, stdout)
	}
	var doc struct {
		Error struct {
			Code, Message string
			Details       []string
		}
	}
	if err := json.Unmarshal([]byte(stderr), &doc); err != nil {
		t.Fatalf("stderr is not JSON: %v\n%s", err, stderr)
	}
	if doc.Error.Code != "USAGE" || !strings.Contains(doc.Error.Message, "nonsense-command") || doc.Error.Details == nil {
		t.Errorf("error doc = %+v", doc)
	}
}

// -o json asks for a JSON error wherever it stands: after a bad flag it is never parsed.
func TestJSONErrorWhateverTheFlagOrder(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-o", "json", "obligations", "--bogus"},
		{"obligations", "--bogus", "-o", "json"},
		{"obligations", "--bogus", "--output=json"},
	} {
		code, stdout, stderr := runCLI(t, nil, args...)
		var doc struct {
			Error struct{ Code, Message string }
		}
		if code != cmdutil.ExitUsage || stdout != "" || json.Unmarshal([]byte(stderr), &doc) != nil || doc.Error.Code != "USAGE" ||
			!strings.Contains(doc.Error.Message, "--bogus") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestBadSettingNamesItsSource(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, map[string]string{"VAT_ENV": "prod"}, "version")
	if code != cmdutil.ExitOK {
		t.Errorf("version must not need settings; exit = %d (%s)", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCLI(t, nil, "version", "-o", "json")
	var v map[string]string
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["version"] != "dev" {
		t.Errorf("version -o json = %d %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "vat dev (commit none") {
		t.Errorf("--version = %d %q", code, stdout)
	}
}

// A missing argument is a usage error (exit 2) naming what is missing, not cobra's
// "requires at least 1 arg(s)" with exit 1.
func TestMissingArgumentsAreUsageErrors(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, nil, "sandbox", "authorise", "--agent", "123")
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, "needs the VRN of at least one client") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// --version is 'vat version' in every format, wherever -o stands.
func TestVersionFlagIsTheVersionCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--version", "-o", "json"}, {"-o", "json", "--version"}, {"-v", "--output=json"}} {
		code, stdout, stderr := runCLI(t, nil, args...)
		var v map[string]string
		if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["version"] != "dev" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, _ := runCLI(t, nil, "--version", "extra"); code != cmdutil.ExitUsage {
		t.Errorf("--version extra: exit %d, want %d", code, cmdutil.ExitUsage)
	}
}

// A group of commands does what it can: alone it prints its help (exit 0); an unknown
// subcommand is a usage error, and so is asking it for JSON, which it has none of.
func TestGroupsNeedASubcommand(t *testing.T) {
	t.Parallel()
	if code, stdout, _ := runCLI(t, nil, "clients"); code != 0 || !strings.Contains(stdout, "Available Commands") {
		t.Errorf("vat clients: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := runCLI(t, nil, "clients", "bogus")
	if code != cmdutil.ExitUsage || stdout != "" || !strings.Contains(stderr, `unknown command "bogus" for "vat clients"`) {
		t.Errorf("vat clients bogus: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, nil, "sandbox", "-o", "json")
	var doc struct{ Error struct{ Code string } }
	if code != cmdutil.ExitUsage || stdout != "" || json.Unmarshal([]byte(stderr), &doc) != nil || doc.Error.Code != "USAGE" {
		t.Errorf("vat sandbox -o json: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
