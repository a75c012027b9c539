package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// dateRangeFlags are --from/--to for the financial views, defaulting to the last 12 months.
type dateRangeFlags struct{ From, To string }

func (r *dateRangeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.From, "from", "", "start date (YYYY-MM-DD; default: 12 months before --to)")
	cmd.Flags().StringVar(&r.To, "to", "", "end date (YYYY-MM-DD; default: today)")
}

func (r *dateRangeFlags) resolve(f *Factory) (from, to hmrc.Date, err error) {
	if from, err = parseDateFlag("from", r.From); err != nil {
		return
	}
	if to, err = parseDateFlag("to", r.To); err != nil {
		return
	}
	if to.IsZero() {
		to = f.today()
	}
	if from.IsZero() {
		from = to.AddYears(-1).AddDays(1)
	}
	if !from.Before(to) {
		err = flagErrorf("--from %s must be before --to %s", from, to)
	}
	return
}

func newCmdLiabilities(f *Factory) *cobra.Command {
	r := &dateRangeFlags{}
	cmd := &cobra.Command{
		Use:   "liabilities",
		Short: "List VAT charges: what HMRC says is owed and what is still outstanding",
		Long: `List VAT liabilities (charges) between --from and --to, by default the last 12 months.
Ranges longer than HMRC allows in one request are split and merged.`,
		Example: `  vat liabilities --from 2024-01-01 --to 2026-10-31`,
		Args:    requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return liabilitiesRun(cmd.Context(), f, r)
		},
	}
	r.add(cmd)
	return cmd
}

func liabilitiesRun(ctx context.Context, f *Factory, r *dateRangeFlags) error {
	from, to, err := r.resolve(f)
	if err != nil {
		return err
	}
	vrn, err := f.requireVRN()
	if err != nil {
		return err
	}
	client, err := f.HMRC(ctx)
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
		f.status("no liabilities between %s and %s", from, to)
	}
	return f.render(map[string]any{"liabilities": ls}, tbl)
}

func newCmdPayments(f *Factory) *cobra.Command {
	r := &dateRangeFlags{}
	cmd := &cobra.Command{
		Use:     "payments",
		Short:   "List the VAT payments HMRC has received",
		Long:    `List VAT payments between --from and --to, by default the last 12 months.`,
		Example: `  vat payments -o csv > payments.csv`,
		Args:    requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to, err := r.resolve(f)
			if err != nil {
				return err
			}
			vrn, err := f.requireVRN()
			if err != nil {
				return err
			}
			client, err := f.HMRC(cmd.Context())
			if err != nil {
				return err
			}
			ps, _, err := client.Payments(cmd.Context(), vrn, from, to)
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
				f.status("no payments between %s and %s", from, to)
			}
			return f.render(map[string]any{"payments": ps}, tbl)
		},
	}
	r.add(cmd)
	return cmd
}
