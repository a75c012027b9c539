package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/config"
)

// complete runs the shell's completion request and returns the candidates, one per line.
func complete(t *testing.T, env map[string]string, args ...string) []string {
	t.Helper()
	code, out, errOut := runCLI(t, env, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: exit %d %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[:len(lines)-1] // the last line is cobra's directive, ":4"
}

func TestCompletionOffersFlagValues(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"obligations", "-o", ""}, "table json csv"},
		{[]string{"obligations", "--env", ""}, "sandbox production local"},
		{[]string{"status", "--token-store", ""}, "auto keyring file"},
		{[]string{"obligations", "--status", ""}, "open fulfilled all"},
		{[]string{"sandbox", "create-user", "--type", ""}, "organisation individual agent"},
		{[]string{"check", "--workbook", ""}, "xlsx xlsm ods csv"},
		{[]string{"check", ""}, "xlsx xlsm ods csv"},
		{[]string{"submit", "--workbook", ""}, "xlsx xlsm ods csv"},
	} {
		if got := strings.Join(complete(t, nil, tt.args...), " "); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestCompletionOffersProfilesAndReceiptIDs(t *testing.T) {
	t.Parallel()
	dir := seedJournal(t)
	f := &config.File{Profiles: map[string]config.Profile{"default": {}, "acme": {VRN: "999999973"}}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"VAT_CONFIG_DIR": dir}
	if got := strings.Join(complete(t, env, "status", "--profile", ""), " "); got != "acme default" {
		t.Errorf("--profile: %q", got)
	}
	ids := complete(t, env, "receipts", "show", "")
	all := strings.Join(ids, "\n")
	for _, want := range []string{"aaaa1111-0000-4000-8000-000000000001\tApr–Jun 2026 (26A1), accepted", "cccc3333-0000-4000-8000-000000000003\tApr–Dec 2026 (26A3), outcome unknown"} {
		if !strings.Contains(all, want) {
			t.Errorf("receipt IDs lack %q:\n%s", want, all)
		}
	}
	// No journal: nothing offered, and nothing created.
	empty := t.TempDir()
	if got := complete(t, map[string]string{"VAT_CONFIG_DIR": empty}, "receipts", "show", ""); len(got) != 0 {
		t.Errorf("without a journal: %q", got)
	}
	if _, err := os.Stat(filepath.Join(empty, "receipts")); !os.IsNotExist(err) {
		t.Errorf("completion created the journal directory: %v", err)
	}
}

// The connection methods wherever --method is taken, and an agent's clients wherever a client
// is named: by --clients (a comma-separated list, so the names typed are kept and not offered
// again) and as the NAME of clients show, edit and remove, from the profile --profile names.
func TestCompletionOffersMethodsAndClients(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := &config.File{Profiles: map[string]config.Profile{
		"default":  {},
		"practice": {Agent: true, Clients: []config.Client{{Name: "Acme Ltd", VRN: "123456782"}, {Name: "Bloggs & Sons", VRN: "999999973"}, {Name: "Charlie", VRN: "100000775"}}},
	}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"VAT_CONFIG_DIR": dir}
	const methods = "DESKTOP_APP_DIRECT OTHER_DIRECT BATCH_PROCESS_DIRECT"
	const clients = "Acme Ltd|Bloggs & Sons|Charlie"
	for _, tt := range []struct {
		args []string
		want string
		sep  string
	}{
		{[]string{"submit", "--method", ""}, methods, " "},
		{[]string{"obligations", "--method", ""}, methods, " "},
		{[]string{"fraud-headers", "--method", ""}, methods, " "},
		{[]string{"fraud-headers", "show", "--method", ""}, methods, " "},
		{[]string{"fraud-headers", "feedback", "--method", ""}, methods, " "},
		{[]string{"clients", "add", "X", "--method", ""}, methods, " "},
		{[]string{"clients", "edit", "Acme Ltd", "--method", ""}, methods, " "},
		{[]string{"--profile", "practice", "submit", "--all-clients", "--clients", ""}, clients, "|"},
		{[]string{"submit", "--profile", "practice", "--all-clients", "--clients", "Acme Ltd,"}, "Acme Ltd,Bloggs & Sons|Acme Ltd,Charlie", "|"},
		{[]string{"obligations", "--profile", "practice", "--clients", ""}, clients, "|"},
		{[]string{"clients", "show", "--profile", "practice", ""}, clients, "|"},
		{[]string{"clients", "edit", "--profile", "practice", ""}, clients, "|"},
		{[]string{"clients", "remove", "--profile", "practice", ""}, clients, "|"},
		// One name only: nothing after it.
		{[]string{"clients", "show", "--profile", "practice", "Acme Ltd", ""}, "", "|"},
		// The default profile has no clients.
		{[]string{"clients", "show", ""}, "", "|"},
	} {
		if got := strings.Join(complete(t, env, tt.args...), tt.sep); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.args, got, tt.want)
		}
	}
}
