package receipts

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// `vat receipts` alone lists, as `vat receipts list` does.
func TestReceiptsAloneLists(t *testing.T) {
	t.Parallel()
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	dir := t.TempDir()
	f.Getenv = func(k string) string { return map[string]string{"VAT_CONFIG_DIR": dir}[k] }
	cmd := NewCmdReceipts(f)
	var names []string
	for _, c := range cmd.Commands() {
		names = append(names, c.Name())
	}
	if strings.Join(names, " ") != "list show" {
		t.Errorf("subcommands = %v", names)
	}
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "no submissions recorded yet") || out.Len() == 0 {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
}
