// Package liabilities is `vat liabilities`.
package liabilities

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// LiabilitiesOptions are the inputs of `vat liabilities`.
type LiabilitiesOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	Render     func(doc any, tbl ui.Table) error
	Status     func(format string, args ...any)

	Range cmdutil.DateRangeFlags
}

// NewCmdLiabilities builds `vat liabilities`; runF, when not nil, replaces the run (for tests).
func NewCmdLiabilities(f *cmdutil.Factory, runF func(*LiabilitiesOptions) error) *cobra.Command {
	opts := &LiabilitiesOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today, Render: f.Render, Status: f.Status}
	cmd := &cobra.Command{
		Use:   "liabilities",
		Short: "List VAT charges: what HMRC says is owed and what is still outstanding",
		Long: `List VAT liabilities (charges) between --from and --to, by default the last 12 months.
Ranges longer than HMRC allows in one request are split and merged.`,
		Example: `  vat liabilities --from 2024-01-01 --to 2026-10-31`,
		Args:    cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return liabilitiesRun(cmd.Context(), opts)
		},
	}
	opts.Range.Add(cmd)
	return cmd
}

func liabilitiesRun(ctx context.Context, opts *LiabilitiesOptions) error {
	from, to, err := opts.Range.Resolve(opts.Today())
	if err != nil {
		return err
	}
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	ls, _, err := client.Liabilities(ctx, vrn, from, to)
	if err != nil {
		return err
	}
	if ls == nil {
		ls = []hmrc.Liability{}
	}
	tbl := ui.Table{Headers: []string{"Type", "Period", "Original", "Outstanding", "Due"}, Right: map[int]bool{2: true, 3: true}}
	for _, l := range ls {
		period, outstanding := "", ""
		if l.TaxPeriod != nil {
			period = fmt.Sprintf("%s to %s", l.TaxPeriod.From, l.TaxPeriod.To)
		}
		if l.OutstandingAmount != nil {
			outstanding = l.OutstandingAmount.GBP()
		}
		tbl.Rows = append(tbl.Rows, []string{l.Type, period, l.OriginalAmount.GBP(), outstanding, l.Due.String()})
	}
	if len(ls) == 0 {
		opts.Status("no liabilities between %s and %s", from, to)
	}
	return opts.Render(map[string]any{"liabilities": ls}, tbl)
}
