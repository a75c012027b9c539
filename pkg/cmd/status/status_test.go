package status

import (
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestStatusArgs(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	ran := false
	cmd := NewCmdStatus(cmdutil.NewFactory(ios), func(*StatusOptions) error { ran = true; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"default"})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage || ran {
		t.Errorf("an argument: %v (ran %v), want a usage error", err, ran)
	}
}

// A profile without tokens is described, and exits 4 so scripts can run 'vat login'.
func TestStatusNotLoggedIn(t *testing.T) {
	t.Parallel()
	ios, _, out, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	dir := t.TempDir()
	env := map[string]string{"VAT_CONFIG_DIR": dir, "VAT_TOKEN_STORE": "file", "VAT_OUTPUT": "json"}
	f.Getenv = func(k string) string { return env[k] }
	f.QuietFileStore = true
	err := statusRun(context.Background(), &StatusOptions{IO: ios, Settings: f.Settings, Endpoints: f.Endpoints,
		TokenStore: f.TokenStore, TokenKey: f.TokenKey, Output: f.Output, Now: f.Now})
	if cmdutil.ExitCode(err) != cmdutil.ExitAuth {
		t.Fatalf("err = %v, want exit %d", err, cmdutil.ExitAuth)
	}
	var doc Doc
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.LoggedIn || doc.VRN != "" || doc.TokenStore != "file" {
		t.Errorf("doc = %+v (%v)\n%s", doc, err, out)
	}
}
