package show

import (
	"github.com/vatbridge/vat/pkg/receipts"
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
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
