package obligations

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestObligationsFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *ObligationsOptions
	cmd := NewCmdObligations(cmdutil.NewFactory(ios), func(o *ObligationsOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--status", "fulfilled", "--from", "2024-01-01", "--to", "2026-10-31"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.StatusFilter != "fulfilled" || got.From != "2024-01-01" || got.To != "2026-10-31" {
		t.Errorf("opts = %+v", *got)
	}
}

// Bad filters are usage errors found before HMRC is asked.
func TestObligationsUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		opts ObligationsOptions
		want string
	}{
		{ObligationsOptions{StatusFilter: "late"}, "--status"},
		{ObligationsOptions{StatusFilter: "all", From: "2027-01-01"}, "must be before --to 2026-11-29"},
		{ObligationsOptions{StatusFilter: "all", From: "2026-02-01", To: "2026-01-01"}, "must be before"},
		{ObligationsOptions{StatusFilter: "all", From: "1 Jan", To: "2026-01-01"}, "--from"},
	} {
		opts := tt.opts
		opts.HMRC = func(context.Context) (*hmrc.Client, error) { t.Error("HMRC asked"); return nil, context.Canceled }
		opts.RequireVRN = func() (string, error) { return "123456789", nil }
		opts.Today = func() hmrc.Date { return hmrc.Date{Y: 2026, M: 11, D: 29} }
		err := obligationsRun(context.Background(), &opts)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want a usage error naming %q", tt.opts, err, tt.want)
		}
	}
}

// --from alone, or --to alone, is a range whose other end defaults as the financial views' do.
func TestObligationsOneEndDefaults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ from, to, want string }{
		{"2026-01-01", "", "2026-01-01..2026-11-29"},
		{"01/01/2026", "", "2026-01-01..2026-11-29"},
		{"", "2026-06-30", "2025-07-01..2026-06-30"},
		{"", "", "2025-11-30..2026-11-29"},
	} {
		var got string
		opts := ObligationsOptions{StatusFilter: "all", From: tt.from, To: tt.to,
			RequireVRN: func() (string, error) { return "123456789", nil },
			Today:      func() hmrc.Date { return hmrc.Date{Y: 2026, M: 11, D: 29} },
		}
		q, err := query(&opts)
		got = q.From.String() + ".." + q.To.String()
		if err != nil || got != tt.want {
			t.Errorf("--from %q --to %q: %s, %v; want %s", tt.from, tt.to, got, err, tt.want)
		}
	}
}
