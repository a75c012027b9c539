package fraudheaders

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/feedback"
	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/show"
	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/validate"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// --method is declared once, on the parent, and reaches every subcommand.
func TestFraudHeadersTree(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdFraudHeaders(cmdutil.NewFactory(ios))
	if cmd.PersistentFlags().Lookup("method") == nil {
		t.Fatal("--method is not a persistent flag")
	}
	var names []string
	for _, c := range cmd.Commands() {
		names = append(names, c.Name())
		if c.InheritedFlags().Lookup("method") == nil {
			t.Errorf("%s does not inherit --method", c.Name())
		}
	}
	if strings.Join(names, " ") != "feedback show validate" {
		t.Errorf("subcommands = %v", names)
	}
}

// --method comes from the parent's persistent flag, before or after the subcommand's name, and
// reaches each subcommand's options.
func TestSubcommandsReadMethod(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	subcommands := map[string]func(got *string) *cobra.Command{
		"feedback": func(got *string) *cobra.Command {
			return feedback.NewCmdFeedback(f, func(o *feedback.FeedbackOptions) error { *got = o.Method; return nil })
		},
		"show": func(got *string) *cobra.Command {
			return show.NewCmdShow(f, func(o *show.ShowOptions) error { *got = o.Method; return nil })
		},
		"validate": func(got *string) *cobra.Command {
			return validate.NewCmdValidate(f, func(o *validate.ValidateOptions) error { *got = o.Method; return nil })
		},
	}
	for name, build := range subcommands {
		for _, args := range [][]string{{"--method", "OTHER_DIRECT", name}, {name, "--method", "OTHER_DIRECT"}} {
			parent := &cobra.Command{Use: "fraud-headers"}
			parent.PersistentFlags().String("method", "", "")
			got := ""
			parent.AddCommand(build(&got))
			parent.SetOut(io.Discard)
			parent.SetErr(io.Discard)
			parent.SetArgs(args)
			if err := parent.Execute(); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if got != "OTHER_DIRECT" {
				t.Errorf("%v: method = %q", args, got)
			}
		}
	}
}
