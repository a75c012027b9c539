package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// TestMain registers the vat command so that scripts run it exactly as users do: the same
// entry point, flags, streams and exit codes as the released binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"vat": func() { os.Exit(root.Main(os.Args[1:], iostreams.System())) },
	})
}

// TestScripts runs testdata/script/*.txtar. Each script gets a private config dir and the
// repository's workbooks in $WORKBOOKS.
func TestScripts(t *testing.T) {
	t.Parallel()
	workbooks, err := filepath.Abs("../../testdata/workbooks")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("VAT_CONFIG_DIR", filepath.Join(e.WorkDir, "config"))
			e.Setenv("WORKBOOKS", workbooks)
			e.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
