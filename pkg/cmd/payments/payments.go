// Package payments is `vat payments`.
package payments

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// PaymentsOptions are the inputs of `vat payments`.
type PaymentsOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	Render     func(doc any, tbl ui.Table) error
	Status     func(format string, args ...any)

	Range cmdutil.DateRangeFlags
}

// NewCmdPayments builds `vat payments`; runF, when not nil, replaces the run (for tests).
func NewCmdPayments(f *cmdutil.Factory, runF func(*PaymentsOptions) error) *cobra.Command {
	opts := &PaymentsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today, Render: f.Render, Status: f.Status}
	cmd := &cobra.Command{
		Use:     "payments",
		Short:   "List the VAT payments HMRC has received",
		Long:    `List VAT payments between --from and --to, by default the last 12 months.`,
		Example: `  vat payments -o csv > payments.csv`,
		Args:    cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return paymentsRun(cmd.Context(), opts)
		},
	}
	opts.Range.Add(cmd)
	return cmd
}

func paymentsRun(ctx context.Context, opts *PaymentsOptions) error {
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
	ps, _, err := client.Payments(ctx, vrn, from, to)
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []hmrc.Payment{}
	}
	tbl := ui.Table{Headers: []string{"Amount", "Received"}, Right: map[int]bool{0: true}}
	for _, p := range ps {
		tbl.Rows = append(tbl.Rows, []string{p.Amount.GBP(), p.Received.String()})
	}
	if len(ps) == 0 {
		opts.Status("no payments between %s and %s", from, to)
	}
	return opts.Render(map[string]any{"payments": ps}, tbl)
}
