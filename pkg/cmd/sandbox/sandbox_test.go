package sandbox

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestSandboxSubcommands(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var names []string
	for _, c := range NewCmdSandbox(cmdutil.NewFactory(ios)).Commands() {
		names = append(names, c.Name())
	}
	if strings.Join(names, " ") != "authorise create-user rehearse serve" {
		t.Errorf("subcommands = %v", names)
	}
}
