package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

type obligationsOptions struct {
	Status   string
	From, To string
}

func newCmdObligations(f *Factory) *cobra.Command {
	opts := &obligationsOptions{}
	cmd := &cobra.Command{
		Use:   "obligations",
		Short: "List VAT obligations: the returns HMRC expects and when they are due",
		Long: `List VAT obligations. By default the open ones: the returns HMRC expects and has not
received. With --status fulfilled or all, the last 12 months unless --from and --to say otherwise;
ranges longer than HMRC allows are split into several requests.

Note: HMRC can take a few days to mark an obligation fulfilled after a return is accepted.`,
		Example: `  vat obligations
  vat obligations --status fulfilled --from 2024-01-01 --to 2026-10-31 -o json`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return obligationsRun(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Status, "status", "open", "open, fulfilled or all")
	cmd.Flags().StringVar(&opts.From, "from", "", "start of the date range (YYYY-MM-DD)")
	cmd.Flags().StringVar(&opts.To, "to", "", "end of the date range (YYYY-MM-DD)")
	return cmd
}

func obligationsRun(ctx context.Context, f *Factory, opts *obligationsOptions) error {
	q := hmrc.ObligationsOptions{}
	switch opts.Status {
	case "open", "o", "O":
		q.Status = hmrc.StatusOpen
	case "fulfilled", "f", "F":
		q.Status = hmrc.StatusFulfilled
	case "all", "":
	default:
		return flagErrorf("--status %q: want open, fulfilled or all", opts.Status)
	}
	var err error
	if q.From, err = parseDateFlag("from", opts.From); err != nil {
		return err
	}
	if q.To, err = parseDateFlag("to", opts.To); err != nil {
		return err
	}
	if q.From.IsZero() != q.To.IsZero() {
		return flagErrorf("--from and --to go together")
	}
	if !q.From.IsZero() && !q.From.Before(q.To) {
		return flagErrorf("--from %s must be before --to %s", q.From, q.To)
	}
	if q.From.IsZero() && q.Status != hmrc.StatusOpen {
		q.To = f.today()
		q.From = q.To.AddYears(-1).AddDays(1)
	}
	vrn, err := f.requireVRN()
	if err != nil {
		return err
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		return err
	}
	obs, _, err := client.Obligations(ctx, vrn, q)
	if err != nil {
		return err
	}
	if obs == nil {
		obs = []hmrc.Obligation{}
	}
	tbl := ui.Table{Headers: []string{"Period", "Start", "End", "Due", "Status", "Received", "Key"}}
	for _, o := range obs {
		status := "open"
		if o.Status == hmrc.StatusFulfilled {
			status = "fulfilled"
		} else if o.Due.Before(f.today()) {
			status = "OVERDUE"
		}
		tbl.Rows = append(tbl.Rows, []string{
			periodLabel(o), o.Start.String(), o.End.String(), o.Due.String(), status, o.Received.String(), o.PeriodKey,
		})
	}
	if len(obs) == 0 && !f.jsonOutputRequested() {
		f.status("no obligations found")
	}
	return f.render(map[string]any{"obligations": obs}, tbl)
}

// periodLabel names a period as people do: "Jul–Sep 2026".
func periodLabel(o hmrc.Obligation) string {
	s, e := o.Start.Time(), o.End.Time()
	if s.Year() == e.Year() {
		if s.Month() == e.Month() {
			return s.Format("Jan 2006")
		}
		return fmt.Sprintf("%s–%s", s.Format("Jan"), e.Format("Jan 2006"))
	}
	return fmt.Sprintf("%s–%s", s.Format("Jan 2006"), e.Format("Jan 2006"))
}

// requireVRN returns the profile's VRN or a usage error saying how to give one.
func (f *Factory) requireVRN() (string, error) {
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	if s.VRN == "" {
		return "", flagErrorf("no VAT registration number: pass --vrn, set VAT_VRN, or log in with 'vat login --vrn VRN', which remembers it in the profile")
	}
	return s.VRN, nil
}
