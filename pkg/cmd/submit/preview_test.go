package submit

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/workbook"
)

// The preview the declaration is made on fits the terminal: at 80 and 120 columns every line of
// it, the overdue warning included, fits, and every box's amount is whole on its line.
func TestPreviewFitsTheTerminal(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := workbook.WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	res, err := workbook.Read(context.Background(), path, workbook.Options{SkipDigest: true})
	if err != nil && res == nil {
		t.Fatal(err)
	}
	ob := &hmrc.Obligation{PeriodKey: "26A3", Start: hmrc.Date{Y: 2026, M: 7, D: 1}, End: hmrc.Date{Y: 2026, M: 9, D: 30}, Due: hmrc.Date{Y: 2026, M: 11, D: 7}}
	for _, width := range []int{80, 120} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetStderrTTY(true)
		ios.SetStdoutTTY(true)
		ios.SetTerminalWidth(width)
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(string) string { return "" }
		f.Now = func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
		preview(f, "100000285", ob, res, Declaration)
		out := errOut.String()
		if !strings.Contains(out, "OVERDUE") || !strings.Contains(out, "Declaration") || !strings.Contains(out, "╭") {
			t.Fatalf("preview at %d:\n%s", width, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if n := len([]rune(line)); n > width {
				t.Errorf("at %d columns, a line of %d:\n%s", width, n, line)
			}
		}
		for i := 1; i <= 9; i++ {
			if v := res.Return.Box(i).GBP(); !strings.Contains(out, " "+v+" ") {
				t.Errorf("at %d columns, box %d's %s is not whole:\n%s", width, i, v, out)
			}
		}
	}
}
