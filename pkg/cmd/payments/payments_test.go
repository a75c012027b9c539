package payments

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestPaymentsFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *PaymentsOptions
	cmd := NewCmdPayments(cmdutil.NewFactory(ios), func(o *PaymentsOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--from", "2024-01-01", "--to", "2026-10-31"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Range != (cmdutil.DateRangeFlags{From: "2024-01-01", To: "2026-10-31"}) {
		t.Errorf("range = %+v", got.Range)
	}
}

// A range that ends before it starts is a usage error found before HMRC is asked.
func TestPaymentsBackwardsRange(t *testing.T) {
	t.Parallel()
	opts := &PaymentsOptions{
		HMRC:       func(context.Context) (*hmrc.Client, error) { t.Error("HMRC asked"); return nil, context.Canceled },
		RequireVRN: func() (string, error) { return "123456789", nil },
		Today:      func() hmrc.Date { d, _ := hmrc.ParseDate("2026-11-29"); return d },
		Range:      cmdutil.DateRangeFlags{From: "2026-12-01"},
	}
	err := paymentsRun(context.Background(), opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "must be before --to 2026-11-29") {
		t.Errorf("err = %v, want a usage error with today as --to", err)
	}
}
