package root

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
)

// 'vat help environment' documents every variable vat reads and every config.toml key: the
// variables are found in the source (every Getenv of a literal, and the settings table), the keys
// in config.Profile's toml tags, so a new one cannot go undocumented.
func TestHelpEnvironmentListsEverything(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, nil, "help", "environment")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	vars := map[string]bool{}
	getenv := regexp.MustCompile(`Getenv\("([A-Z_]+)"\)|"(VAT_[A-Z_]+|NO_COLOR)"`)
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range getenv.FindAllStringSubmatch(string(b), -1) {
			name := m[1] + m[2]
			// The second form also matches HMRC's error codes (VAT_NET_VALUE...): only settings
			// and Getenv calls in the packages that read the environment count.
			if m[1] != "" || strings.Contains(path, "/config/") || strings.Contains(path, "/cmdutil/") || strings.Contains(path, "/iostreams/") {
				vars[name] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"VAT_PROFILE", "VAT_ENV", "VAT_API_URL", "VAT_VRN", "VAT_OUTPUT", "VAT_CONFIG_DIR", "VAT_TOKEN_STORE",
		"VAT_DEBUG", "NO_COLOR", "VAT_CLIENT_ID", "VAT_CLIENT_SECRET", "VAT_FRAUD_METHOD", "VAT_HTTP_TIMEOUT", "VAT_GOV_TEST_SCENARIO", "VAT_CSV_BOM"} {
		if !vars[must] {
			t.Errorf("the scan missed %s: fix the test", must)
		}
	}
	for v := range vars {
		// The system's own, and VAT_TEST_REAL, which only the test suite reads.
		if v == "TERM" || v == "HOME" || v == "PATH" || v == "GOCOVERDIR" || v == "VAT_TEST_REAL" {
			continue
		}
		if !strings.Contains(out, v) {
			t.Errorf("'vat help environment' does not mention %s", v)
		}
	}
	for _, pt := range []reflect.Type{reflect.TypeFor[config.Profile](), reflect.TypeFor[config.Client]()} {
		for i := range pt.NumField() {
			key, _, _ := strings.Cut(pt.Field(i).Tag.Get("toml"), ",")
			if key == "clients" {
				key = "[[profiles.default.clients]]"
			} else {
				key += " = "
			}
			if !strings.Contains(out, key) {
				t.Errorf("'vat help environment' does not show the config.toml key %s", key)
			}
		}
	}
}

func TestHelpTopics(t *testing.T) {
	t.Parallel()
	for topic, want := range map[string][]string{
		"exit-codes": {"EXIT STATUS", "130"},
		"workbook":   {"VATBox1", "totalAcquisitionsExVAT", "--map", "box4 = 'VAT Return'!C11", ".xlsx", ".xlsm", ".ods", ".csv"},
		"output":     {`"details"`, "--bom", "exit 2"},
	} {
		code, out, errOut := runCLI(t, nil, "help", topic)
		if code != 0 {
			t.Fatalf("help %s: exit %d %s", topic, code, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("'vat help %s' lacks %q", topic, w)
			}
		}
	}
	_, out, _ := runCLI(t, nil, "--help")
	if !strings.Contains(out, "Additional help topics") || !strings.Contains(out, "environment") {
		t.Errorf("vat --help does not list the help topics:\n%s", out)
	}
}

// 'vat help output' lists the commands that refuse -o csv, and each one it lists does refuse it
// (exit 2, nothing on stdout) before doing anything.
func TestHelpOutputListsTheCommandsThatRefuseCSV(t *testing.T) {
	t.Parallel()
	_, out, _ := runCLI(t, nil, "help", "output")
	needs := map[string][]string{
		"clients add": {"Acme"}, "clients edit": {"Acme"}, "clients import": {"list.csv"}, "clients remove": {"Acme"},
		"clients show": {"Acme"}, "sandbox authorise": {"123456782"}, "template": {"q.xlsx"},
	}
	_, list, ok := strings.Cut(out, "refuse -o csv with exit 2 before doing anything:\n")
	if !ok {
		t.Fatalf("no list in 'vat help output':\n%s", out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		words := strings.Fields(strings.TrimSpace(line))
		if len(words) < 2 || words[0] != "vat" {
			t.Fatalf("not a command line: %q", line)
		}
		var args []string
		for _, w := range words[1:] {
			if strings.HasPrefix(w, "(") {
				break
			}
			args = append(args, w)
		}
		n++
		// Arguments are checked before the format: give the ones each command needs.
		args = append(args, needs[strings.Join(args, " ")]...)
		code, stdout, stderr := runCLI(t, nil, append(args, "-o", "csv")...)
		if code != cmdutil.ExitUsage || stdout != "" || !strings.Contains(stderr, "lists no rows") {
			t.Errorf("vat %s -o csv: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	if n < 10 || !strings.Contains(list, "vat submit (unless --all-clients") || !strings.Contains(list, "vat sandbox serve") {
		t.Errorf("the list is short:\n%s", list)
	}
}
