package version

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestVersionArgs(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	ran := false
	cmd := NewCmdVersion(cmdutil.NewFactory(ios), func(*VersionOptions) error { ran = true; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"now"})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage || ran {
		t.Errorf("an argument: %v (ran %v), want a usage error", err, ran)
	}
}

func TestVersionOutput(t *testing.T) {
	t.Parallel()
	for _, asJSON := range []bool{false, true} {
		ios, _, out, _ := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string {
			if k == "VAT_OUTPUT" && asJSON {
				return "json"
			}
			return ""
		}
		if err := versionRun(&VersionOptions{IO: ios, Output: f.Output}); err != nil {
			t.Fatal(err)
		}
		var doc map[string]string
		if asJSON && (json.Unmarshal(out.Bytes(), &doc) != nil || doc["version"] == "" || doc["os"] == "") {
			t.Errorf("json: %q", out)
		}
		if !asJSON && out.String() != String()+"\n" {
			t.Errorf("text: %q, want %q", out, String())
		}
		if !asJSON && !strings.HasPrefix(out.String(), "vat ") {
			t.Errorf("text: %q", out)
		}
	}
}
