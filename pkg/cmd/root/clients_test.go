package root

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// runEnv runs vat in-process with env as its whole environment.
func runEnv(env map[string]string, args ...string) (int, string, string) {
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	code := Run(context.Background(), args, f)
	return code, out.String(), errOut.String()
}

func TestClientsCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"VAT_CONFIG_DIR": dir, "VAT_PROFILE": "practice"}
	mustRun := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runEnv(env, args...)
		if code != want {
			t.Fatalf("vat %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out, errOut
	}
	_, errOut := mustRun(0, "clients", "add", "Acme Ltd", "--vrn", "123456782", "--workbook", "~/acme/{period-end:2006-01}.xlsx")
	if !strings.Contains(errOut, "not marked as an agent's") {
		t.Errorf("no hint that the profile is not an agent's:\n%s", errOut)
	}
	_, errOut = mustRun(2, "clients", "add", "Typo", "--vrn", "123456783")
	if !strings.Contains(errOut, "check digits") {
		t.Errorf("a mistyped VRN: %s", errOut)
	}
	mustRun(2, "clients", "add", "acme ltd", "--vrn", "987654353")
	mustRun(2, "clients", "add", "Bad", "--vrn", "987654353", "--workbook", "{nope}.xlsx")

	csv := filepath.Join(t.TempDir(), "practice.csv")
	if err := os.WriteFile(csv, []byte("name,vrn,workbook\nBloggs,987654353,/b/{period-key}.xlsx\nWrong,12345,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut = mustRun(3, "clients", "import", csv)
	if !strings.Contains(errOut, "line 3:") {
		t.Errorf("import with a bad row: %s", errOut)
	}
	if err := os.WriteFile(csv, []byte("name,vrn,workbook\nBloggs,987654353,/b/{period-key}.xlsx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(0, "clients", "import", csv)
	_, errOut = mustRun(3, "clients", "import", csv)
	if !strings.Contains(errOut, "nothing was imported") {
		t.Errorf("importing twice: %s", errOut)
	}

	mustRun(0, "clients", "edit", "bloggs", "--name", "Joe Bloggs", "--method", "batch_process_direct")
	mustRun(2, "clients", "edit", "Joe Bloggs", "--vrn", "123456782") // Acme's VRN
	out, _ := mustRun(0, "clients", "list", "-o", "json")
	var doc struct {
		Clients []map[string]string `json:"clients"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Clients) != 2 || doc.Clients[1]["name"] != "Joe Bloggs" || doc.Clients[1]["method"] != "BATCH_PROCESS_DIRECT" || doc.Clients[0]["vrn"] != "123456782" {
		t.Fatalf("list = %s", out)
	}
	out, _ = mustRun(0, "clients", "show", "ACME LTD")
	if !strings.Contains(out, "~/acme/{period-end:2006-01}.xlsx") {
		t.Errorf("show = %s", out)
	}
	mustRun(0, "clients", "remove", "Acme Ltd")
	mustRun(2, "clients", "show", "Acme Ltd")

	// Kept in the profile's config file, beside its other settings.
	file, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cs := file.Profiles["practice"].Clients; len(cs) != 1 || cs[0].Name != "Joe Bloggs" {
		t.Fatalf("config holds %+v", cs)
	}
}

// Commands that act, or show one record, list no rows: -o csv is a usage error raised before
// they act, so a refused `clients add -o csv` adds no client.
func TestCommandsWithoutRowsRefuseCSV(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"VAT_CONFIG_DIR": dir, "VAT_PROFILE": "practice"}
	if code, out, errOut := runEnv(env, "clients", "add", "Acme Ltd", "--vrn", "123456782"); code != 0 {
		t.Fatalf("clients add: exit %d\n%s%s", code, out, errOut)
	}
	csv := filepath.Join(t.TempDir(), "practice.csv")
	if err := os.WriteFile(csv, []byte("name,vrn\nBloggs,987654353\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"clients", "add", "Other", "--vrn", "987654353"},
		{"clients", "edit", "Acme Ltd", "--vrn", "987654353"},
		{"clients", "remove", "Acme Ltd"},
		{"clients", "import", csv},
		{"clients", "show", "Acme Ltd"},
		{"sandbox", "authorise", "--agent", "agent1", "123456782"},
	} {
		code, out, errOut := runEnv(env, append(args, "-o", "csv")...)
		if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, "lists no rows") {
			t.Errorf("vat %s -o csv: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, errOut)
		}
	}
	_, out, _ := runEnv(env, "clients", "list", "-o", "json")
	var doc struct{ Clients []struct{ Name, VRN string } }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Clients) != 1 || doc.Clients[0].VRN != "123456782" {
		t.Errorf("the refused commands changed the clients: %v %s", err, out)
	}
}
