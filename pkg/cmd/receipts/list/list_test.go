package list

import (
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestListArgs(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	ran := false
	cmd := NewCmdList(cmdutil.NewFactory(ios), func(o *ListOptions) error { ran = o.Journal != nil && o.Filer != nil; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || !ran {
		t.Fatalf("err = %v, ran with its dependencies = %v", err, ran)
	}
	cmd.SetArgs([]string{"extra"})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("an argument: %v, want a usage error", err)
	}
}
