package submit

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestSubmitFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *SubmitOptions
	cmd := NewCmdSubmit(cmdutil.NewFactory(ios), func(o *SubmitOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--workbook", "q.xlsx", "--period-key", "24A3", "--yes", "--dry-run"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Workbook.Path != "q.xlsx" || got.PeriodKey != "24A3" || got.PeriodEnd != "" || !got.Yes || !got.DryRun {
		t.Errorf("opts = %+v", *got)
	}
}

// Usage mistakes are refused before the workbook is read or HMRC is asked anything.
func TestSubmitUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts SubmitOptions
		want string
	}{
		{"two ways to choose the period", SubmitOptions{PeriodKey: "24A3", PeriodEnd: "2026-09-30", Yes: true}, "give one"},
		{"a period end that is not a date", SubmitOptions{PeriodEnd: "30.09.2026", Yes: true}, "--period-end"},
		{"a UK period end and a key", SubmitOptions{PeriodKey: "26a3", PeriodEnd: "30/09/2026", Yes: true}, "give one"},
		{"no terminal and no --yes", SubmitOptions{}, "--yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ios, _, _, _ := iostreams.Test()
			f := cmdutil.NewFactory(ios)
			dir := t.TempDir()
			f.Getenv = func(k string) string { return map[string]string{"VAT_CONFIG_DIR": dir}[k] }
			opts := tt.opts
			opts.IO, opts.Factory = ios, f
			opts.Workbook.Path = "does-not-exist.xlsx"
			err := submitRun(context.Background(), &opts)
			if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v (exit %d), want a usage error naming %q", err, cmdutil.ExitCode(err), tt.want)
			}
		})
	}
}
