package fraudheaders

import (
	"strings"
	"testing"

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
