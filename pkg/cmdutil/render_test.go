package cmdutil

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/workbook"
)

// The nine-box table is the one the declaration is made on: on an 80-column terminal every line
// fits, with its borders, and every amount is whole on one line.
func TestBoxesTableFits80Columns(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := workbook.WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	res, err := workbook.Read(context.Background(), path, workbook.Options{SkipDigest: true})
	if err != nil && res == nil {
		t.Fatal(err)
	}
	tbl := BoxesTable(res, nil)
	tbl.Width = 80
	var b bytes.Buffer
	if err := tbl.Render(&b, ui.NewStyles(&b, false), true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "╭") {
		t.Errorf("the table lost its borders at 80 columns:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of %d columns:\n%s", n, out)
		}
	}
	for i := 1; i <= 9; i++ {
		if v := res.Return.Box(i).GBP(); !strings.Contains(out, " "+v+" ") {
			t.Errorf("box %d's %s is not whole on one line:\n%s", i, v, out)
		}
	}
}

// -o csv where there are no rows is a usage error, raised before the command runs.
func TestNoCSVIsAUsageError(t *testing.T) {
	t.Parallel()
	ios, _, out, _ := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string {
		return map[string]string{"VAT_OUTPUT": "csv", "VAT_CONFIG_DIR": t.TempDir()}[k]
	}
	err := f.Output(struct{ A int }{1})
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "-o csv") || out.Len() != 0 {
		t.Errorf("err = %v (exit %d), out %q", err, ExitCode(err), out)
	}
}

// A command that lists rows only with one flag (submit --all-clients) refuses -o csv without
// it, before it acts, and allows it with it.
func TestNoCSVUnlessFlag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		ok   bool
	}{{nil, false}, {[]string{"--all-clients"}, true}} {
		ios, _, _, _ := iostreams.Test()
		f := NewFactory(ios)
		f.Getenv = func(k string) string { return map[string]string{"VAT_OUTPUT": "csv"}[k] }
		cmd := NoCSVUnless(&cobra.Command{Use: "submit"}, "all-clients")
		cmd.Flags().Bool("all-clients", false, "")
		if err := cmd.Flags().Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		err := f.CheckOutput(cmd)
		if tt.ok != (err == nil) || err != nil && (ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "with --all-clients, a row per client")) {
			t.Errorf("%v: err = %v", tt.args, err)
		}
	}
}
