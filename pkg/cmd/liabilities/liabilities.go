// Package liabilities is `vat liabilities`.
package liabilities

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// LiabilitiesOptions are the inputs of `vat liabilities`.
type LiabilitiesOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	RenderView func(doc any, v cmdutil.View) error
	Status     func(format string, args ...any)

	Range cmdutil.DateRangeFlags
}

// NewCmdLiabilities builds `vat liabilities`; runF, when not nil, replaces the run (for tests).
func NewCmdLiabilities(f *cmdutil.Factory, runF func(*LiabilitiesOptions) error) *cobra.Command {
	opts := &LiabilitiesOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today, RenderView: f.RenderView, Status: f.Status}
	cmd := &cobra.Command{
		Use:   "liabilities",
		Short: "List VAT charges: what HMRC says is owed and what is still outstanding",
		Long: `List VAT liabilities (charges) between --from and --to, by default the last 12 months.
Ranges longer than HMRC allows in one request (a year) are split and merged. What is still
outstanding after its due date is highlighted.

-o json prints {"liabilities": [...]} with HMRC's field names; -o csv one row per charge.` +
			cmdutil.ScenarioHelp("SINGLE_LIABILITY, MULTIPLE_LIABILITIES (2017 dates)", "SINGLE_LIABILITY_2018_19, MULTIPLE_LIABILITIES_2018_19", "INSOLVENT_TRADER"),
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
		return cmdutil.ExplainView(err, vrn, "liabilities", "liabilities")
	}
	if ls == nil {
		ls = []hmrc.Liability{}
	}
	today := opts.Today()
	v := cmdutil.View{Headers: []string{"Type", "Period from", "Period to", "Original", "Outstanding", "Due"}, Right: map[int]bool{3: true, 4: true},
		// HMRC's field names; taxPeriod's from and to as two columns.
		CSVHeaders: []string{"type", "periodFrom", "periodTo", "originalAmount", "outstandingAmount", "due"},
		// Narrow, the period's dates go first (the charge and its due date are what is acted
		// on), then the original amount; what is outstanding always stays.
		Priority: map[int]int{1: 1, 2: 1, 3: 2}, More: "-o csv",
		Empty: fmt.Sprintf("HMRC holds no liabilities between %s and %s", cmdutil.HumanDate(from), cmdutil.HumanDate(to))}
	for _, l := range ls {
		var pf, pt cmdutil.Cell
		if l.TaxPeriod != nil {
			pf, pt = cmdutil.DateCell(l.TaxPeriod.From), cmdutil.DateCell(l.TaxPeriod.To)
		}
		outstanding, due := cmdutil.MoneyPtrCell(l.OutstandingAmount), cmdutil.DateCell(l.Due)
		if l.OutstandingAmount != nil && *l.OutstandingAmount > 0 && !l.Due.IsZero() && l.Due.Before(today) {
			// Unpaid after its due date: interest and late payment penalties are growing.
			outstanding.Alert, due.Alert = true, true
		}
		v.Rows = append(v.Rows, []cmdutil.Cell{cmdutil.TextCell(l.Type), pf, pt, cmdutil.MoneyCell(l.OriginalAmount), outstanding, due})
	}
	return opts.RenderView(Doc{Liabilities: ls}, v)
}

// Doc is `vat liabilities -o json`: HMRC's liabilities under HMRC's field names, in date order.
type Doc struct {
	Liabilities []hmrc.Liability `json:"liabilities"`
}
