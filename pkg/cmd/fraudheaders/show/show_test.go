package show

import (
	"io"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// --method comes from the parent's persistent flag, before or after the subcommand's name.
func TestShowMethod(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--method", "OTHER_DIRECT", "show"},
		{"show", "--method", "OTHER_DIRECT"},
	} {
		ios, _, _, _ := iostreams.Test()
		parent := &cobra.Command{Use: "fraud-headers"}
		parent.PersistentFlags().String("method", "", "")
		var got *ShowOptions
		parent.AddCommand(NewCmdShow(cmdutil.NewFactory(ios), func(o *ShowOptions) error { got = o; return nil }))
		parent.SetOut(io.Discard)
		parent.SetErr(io.Discard)
		parent.SetArgs(args)
		if err := parent.Execute(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if got == nil || got.Method != "OTHER_DIRECT" {
			t.Errorf("%v: opts = %+v", args, got)
		}
	}
}
