package submit

import (
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestSubmitAllClientsFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *SubmitOptions
	cmd := NewCmdSubmit(cmdutil.NewFactory(ios), func(o *SubmitOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--all-clients", "--clients", "Acme,Bloggs", "--rate", "2.5", "--method", "BATCH_PROCESS_DIRECT", "--yes"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	b := got.Batch
	if !b.AllClients || strings.Join(b.Names, "|") != "Acme|Bloggs" || b.Rate != 2.5 || b.Method != "BATCH_PROCESS_DIRECT" || !got.Yes || !b.Used() {
		t.Errorf("opts = %+v", *got)
	}
}

// A batch run refuses what belongs to one business's return, and waits for nobody without a
// terminal: --yes (or --dry-run) is required.
func TestSubmitAllClientsUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := &config.File{Profiles: map[string]config.Profile{"default": {Clients: []config.Client{{Name: "Acme", VRN: "123456782"}}}}}
	if err := file.Save(dir); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--all-clients", "--workbook", "q.xlsx", "--yes"}, "--workbook is for one business"},
		{[]string{"--all-clients", "--period-key", "26A3", "--yes"}, "--period-key is for one business"},
		{[]string{"--all-clients"}, "--yes"},
		{[]string{"--clients", "Acme", "--workbook", "q.xlsx", "--yes"}, "go with --all-clients"},
	} {
		ios, _, _, _ := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(k string) string { return map[string]string{"VAT_CONFIG_DIR": dir}[k] }
		cmd := NewCmdSubmit(f, nil)
		cmd.SetArgs(tt.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want a usage error naming %q", tt.args, err, tt.want)
		}
	}
}
