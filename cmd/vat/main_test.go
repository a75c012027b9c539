package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits}
	for name, c := range personCmds {
		cmds[name] = c
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Cmds:                cmds,
		Condition:           condition,
		Setup: func(e *testscript.Env) error {
			e.Setenv("VAT_CONFIG_DIR", filepath.Join(e.WorkDir, "config"))
			e.Setenv("WORKBOOKS", workbooks)
			e.Setenv("NO_COLOR", "1")
			// scripts/coverage runs the scripts against a vat binary built with -cover (found
			// first on PATH), each run writing its counters to GOCOVERDIR: the entry point's
			// coverage, measured as users run it.
			if bin := os.Getenv("VAT_TEST_BIN"); bin != "" {
				e.Setenv("PATH", bin+string(os.PathListSeparator)+e.Getenv("PATH"))
				e.Setenv("GOCOVERDIR", os.Getenv("GOCOVERDIR"))
			}
			return nil
		},
	})
}

// exits runs a program and asserts its exact exit status ("exits 3 vat check ..."), because
// scripts and cron jobs depend on each code and "! exec" only says "not zero".
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit status", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// condition adds [headless]: no D-Bus session bus, and so no OS keyring, reaches the commands a
// script runs (the script's environment has no DBUS_SESSION_BUS_ADDRESS; a desktop's bus at
// /run/user/UID/bus would still be found).
func condition(cond string) (bool, error) {
	if cond != "headless" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	_, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid()))
	return err != nil, nil
}
