package demo

import (
	"context"
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestDemoFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	exec := func(context.Context, []string, *cmdutil.Factory) int { return 0 }
	var got *DemoOptions
	cmd := NewCmdDemo(cmdutil.NewFactory(ios), exec, func(o *DemoOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"--keep"})
	if err := cmd.Execute(); err != nil || !got.Keep || got.Exec == nil {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	cmd.SetArgs([]string{"now"})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("an argument: %v, want a usage error", err)
	}
}
