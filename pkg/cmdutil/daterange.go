package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
)

// DateRangeFlags are --from/--to for the financial views, defaulting to the last 12 months.
type DateRangeFlags struct{ From, To string }

// Add registers --from and --to on cmd.
func (r *DateRangeFlags) Add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.From, "from", "", "start date (YYYY-MM-DD or DD/MM/YYYY; default: 12 months before --to)")
	cmd.Flags().StringVar(&r.To, "to", "", "end date (YYYY-MM-DD or DD/MM/YYYY; default: today)")
}

// Resolve parses the flags; today is the end when --to is not given.
func (r *DateRangeFlags) Resolve(today hmrc.Date) (from, to hmrc.Date, err error) {
	if from, err = ParseDateFlag("from", r.From); err != nil {
		return
	}
	if to, err = ParseDateFlag("to", r.To); err != nil {
		return
	}
	if to.IsZero() {
		to = today
	}
	if from.IsZero() {
		from = to.AddYears(-1).AddDays(1)
	}
	if !from.Before(to) {
		err = FlagErrorf("--from %s must be before --to %s", from, to)
	}
	return
}
