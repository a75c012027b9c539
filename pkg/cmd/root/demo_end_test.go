package root

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The demo's last words are true: its receipt was in a directory that is gone when it says so,
// and with --keep the command it prints finds the receipt.
func TestDemoEndsWithWhereItsReceiptIs(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	env := map[string]string{"HOME": home, "VAT_CONFIG_DIR": filepath.Join(home, "untouched")}
	code, out, errOut := runCLI(t, env, "demo")
	if code != 0 {
		t.Fatalf("vat demo: exit %d\n%s\n%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	said, dir := lines[len(lines)-2], strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(said, "Removed the demo's temporary directory with its config, receipt journal and workbook") ||
		!strings.HasPrefix(dir, filepath.Join(os.TempDir(), "vat-demo-")) {
		t.Fatalf("the demo's last lines do not say its receipt is gone:\n%s\n%s", said, dir)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the demo said %s was removed, but: %v", dir, err)
	}

	code, out, errOut = runCLI(t, map[string]string{"HOME": home, "VAT_CONFIG_DIR": filepath.Join(home, "untouched")}, "demo", "--keep")
	if code != 0 {
		t.Fatalf("vat demo --keep: exit %d\n%s\n%s", code, out, errOut)
	}
	k := regexp.MustCompile(`kept the demo's files in (\S+); see its receipt with: VAT_CONFIG_DIR=(\S+) vat receipts show (\S+)`).
		FindStringSubmatch(strings.Join(strings.Fields(errOut), " "))
	if k == nil {
		t.Fatalf("vat demo --keep does not say how to see its receipt:\n%s", errOut)
	}
	t.Cleanup(func() { os.RemoveAll(k[1]) })
	code, out, errOut = runCLI(t, map[string]string{"VAT_CONFIG_DIR": k[2]}, "receipts", "show", k[3])
	if code != 0 || !strings.Contains(out, "Form bundle number") {
		t.Errorf("the command the demo printed: exit %d\n%s\n%s", code, out, errOut)
	}
}
