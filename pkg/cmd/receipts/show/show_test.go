package show

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
)

func TestShowArgs(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *ShowOptions
	cmd := NewCmdShow(cmdutil.NewFactory(ios), func(o *ShowOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"1b2c3d4e"})
	if err := cmd.Execute(); err != nil || got.ID != "1b2c3d4e" {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	cmd.SetArgs(nil)
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("no ID: %v, want a usage error", err)
	}
}

func TestCellRefQuotesSheetsAsExcelDoes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		c    receipts.CellEvidence
		want string
	}{
		{receipts.CellEvidence{Sheet: "Q3+4", Cell: "C7"}, "'Q3+4'!C7"},
		{receipts.CellEvidence{Sheet: "VAT Return", Cell: "C7", Name: "VAT_Box1"}, "VAT_Box1 = 'VAT Return'!C7"},
		{receipts.CellEvidence{Sheet: "Return", Cell: "B2"}, "Return!B2"},
	} {
		if got := cellRef(tt.c); got != tt.want {
			t.Errorf("cellRef(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// At a colour terminal every value starts in the same column: the label's colour codes are not
// counted as padding.
func TestShowAlignsLabelsInColour(t *testing.T) {
	t.Parallel()
	in := receipts.Intent{ID: "9530010e-0000-4000-8000-000000000001", VRN: "866598456", PeriodKey: "26A3",
		PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", PeriodDue: "2026-11-07", Profile: "default", ToolVersion: "1.0.0",
		Evidence: receipts.Evidence{WorkbookPath: "/books/q.xlsx", Cells: []receipts.CellEvidence{{Box: 1, Sheet: "VAT", Cell: "C5", Formula: "SUM(A1:A9)"}}}}
	e := &receipts.Entry{Intent: in, State: receipts.StateReceipted, Receipt: &receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeAccepted,
		FormBundleNumber: "123456789012", ReceiptID: "dddd4444"}}
	for _, width := range []int{80, 120} {
		var b bytes.Buffer
		st := ui.NewStyles(&b, true)
		if err := printSubmission(&ShowOptions{}, e, &b, cmdutil.Term{Styles: st, TTY: true, Width: width}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "\x1b[") {
			t.Fatalf("no colour drawn, so the test proves nothing:\n%s", b.String())
		}
		values := map[string]string{"VRN": "866598456", "Period": "26A3 ", "Profile": "default", "Form bundle number": "123456789012",
			"Workbook": "/books/q.xlsx", "box 1": "=SUM(A1:A9)"}
		cols := map[string]int{}
		for _, line := range strings.Split(ansi.Strip(b.String()), "\n") {
			for label, value := range values {
				if strings.HasPrefix(line, "  "+label+" ") && strings.Contains(line, value) {
					cols[label] = strings.Index(line, value)
				}
			}
		}
		for label := range values {
			want := 23
			if label == "box 1" {
				want = 10
			}
			if cols[label] != want {
				t.Errorf("at %d columns, %q's value starts at column %d, want %d:\n%s", width, label, cols[label], want, ansi.Strip(b.String()))
			}
		}
	}
}
