// Package payments is `vat payments`.
package payments

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// PaymentsOptions are the inputs of `vat payments`.
type PaymentsOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	RenderView func(doc any, v cmdutil.View) error
	Status     func(format string, args ...any)

	Range cmdutil.DateRangeFlags
}

// NewCmdPayments builds `vat payments`; runF, when not nil, replaces the run (for tests).
func NewCmdPayments(f *cmdutil.Factory, runF func(*PaymentsOptions) error) *cobra.Command {
	opts := &PaymentsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today, RenderView: f.RenderView, Status: f.Status}
	cmd := &cobra.Command{
		Use:   "payments",
		Short: "List the VAT payments HMRC has received",
		Long: `List VAT payments between --from and --to, by default the last 12 months.
Ranges longer than HMRC allows in one request (a year) are split and merged.

-o json prints {"payments": [...]} with HMRC's field names; -o csv one row per payment.` +
			cmdutil.ScenarioHelp("SINGLE_PAYMENT, MULTIPLE_PAYMENTS (2017 dates)", "SINGLE_PAYMENT_2018_19, MULTIPLE_PAYMENTS_2018_19", "INSOLVENT_TRADER"),
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
		return cmdutil.ExplainView(err, vrn, "payments", "payments")
	}
	if ps == nil {
		ps = []hmrc.Payment{}
	}
	v := cmdutil.View{Headers: []string{"Amount", "Received"}, Right: map[int]bool{0: true}, CSVHeaders: []string{"amount", "received"},
		Empty: fmt.Sprintf("HMRC holds no payments between %s and %s", cmdutil.HumanDate(from), cmdutil.HumanDate(to))}
	for _, p := range ps {
		received := cmdutil.DateCell(p.Received)
		if p.Received.IsZero() {
			// HMRC lists a payment it expects but has not received without a date.
			received = cmdutil.Cell{Text: "expected, not received"}
		}
		v.Rows = append(v.Rows, []cmdutil.Cell{cmdutil.MoneyCell(p.Amount), received})
	}
	return opts.RenderView(Doc{Payments: ps}, v)
}

// Doc is `vat payments -o json`: HMRC's payments under HMRC's field names, in date order.
type Doc struct {
	Payments []hmrc.Payment `json:"payments"`
}
