package check

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestCheckFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *CheckOptions
	cmd := NewCmdCheck(cmdutil.NewFactory(ios), func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--workbook", "q.xlsx", "--map", "boxes.map", "--round", "--password-env", "PW"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := cmdutil.WorkbookFlags{Path: "q.xlsx", MapFile: "boxes.map", Round: true, PasswordEnv: "PW"}
	if got.Workbook != want {
		t.Errorf("workbook flags = %+v, want %+v", got.Workbook, want)
	}

	// 'vat check q3.xlsx' is the same as --workbook q3.xlsx.
	got = nil
	cmd = NewCmdCheck(cmdutil.NewFactory(ios), func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"q.xlsx"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil || got == nil || got.Workbook.Path != "q.xlsx" {
		t.Errorf("a positional workbook: %v, %+v", err, got)
	}

	for _, args := range [][]string{{"a.xlsx", "b.xlsx"}, {"--workbook", "a.xlsx", "b.xlsx"}} {
		cmd = NewCmdCheck(cmdutil.NewFactory(ios), func(*CheckOptions) error { t.Errorf("ran with %q", args); return nil })
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// Without --workbook there is nothing to check: a usage error, not a failure to read "".
func TestCheckNeedsAWorkbook(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	dir := t.TempDir()
	f.Getenv = func(k string) string { return map[string]string{"VAT_CONFIG_DIR": dir}[k] }
	err := checkRun(context.Background(), &CheckOptions{IO: ios, Factory: f})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--workbook is required") {
		t.Errorf("err = %v (exit %d), want the --workbook usage error", err, cmdutil.ExitCode(err))
	}
}
