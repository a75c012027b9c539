// Package obligations is `vat obligations`.
package obligations

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// ObligationsOptions are the inputs of `vat obligations`.
type ObligationsOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	Output     func(doc any) error
	Status     func(format string, args ...any)
	JSONOutput func() bool

	StatusFilter string
	From, To     string

	// Factory and Batch serve --all-clients.
	Factory *cmdutil.Factory
	Batch   cmdutil.ClientFlags
}

// NewCmdObligations builds `vat obligations`; runF, when not nil, replaces the run (for tests).
func NewCmdObligations(f *cmdutil.Factory, runF func(*ObligationsOptions) error) *cobra.Command {
	opts := &ObligationsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today,
		Output: f.Output, Status: f.Status, JSONOutput: f.JSONOutput, Factory: f}
	cmd := &cobra.Command{
		Use:   "obligations",
		Short: "List VAT obligations: the returns HMRC expects and when they are due",
		Long: `List VAT obligations. By default the open ones: the returns HMRC expects and has not
received. With --status fulfilled or all, the last 12 months unless --from and --to say otherwise;
ranges longer than HMRC allows are split into several requests.

With --all-clients (an agent's profile, see 'vat clients'), the open obligations of every
client, most urgent first: the days left, or overdue. All clients' requests share one limit of
--rate requests a second (HMRC allows 3 an application by default). The exit code is that of the
worst client: 4 when a client has not authorised the agent, 6 when HMRC was unavailable.

Note: HMRC can take a few days to mark an obligation fulfilled after a return is accepted.` +
			cmdutil.ScenarioHelp("QUARTERLY_NONE_MET, QUARTERLY_ONE_MET … QUARTERLY_FOUR_MET",
				"MONTHLY_NONE_MET, MONTHLY_ONE_MET … MONTHLY_THREE_MET",
				"MONTHLY_OBS_01_OPEN … MONTHLY_OBS_12_OPEN, MONTHLY_OBS_12_FULFILLED",
				"QUARTERLY_OBS_01_OPEN … QUARTERLY_OBS_04_OPEN, QUARTERLY_OBS_04_FULFILLED",
				"MULTIPLE_OPEN_MONTHLY, MULTIPLE_OPEN_QUARTERLY, OBS_SPANS_MULTIPLE_YEARS",
				"INSOLVENT_TRADER, NOT_FOUND"),
		Example: `  vat obligations
  vat obligations --all-clients --profile practice
  vat obligations --status fulfilled --from 2024-01-01 --to 2026-10-31 -o json`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			if opts.Batch.Used() {
				return allClientsRun(cmd.Context(), opts)
			}
			return obligationsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.StatusFilter, "status", "open", "open, fulfilled or all")
	_ = cmd.RegisterFlagCompletionFunc("status", cmdutil.FixedValues("open", "fulfilled", "all"))
	cmd.Flags().StringVar(&opts.From, "from", "", "start of the date range (YYYY-MM-DD or DD/MM/YYYY; default: 12 months before --to)")
	cmd.Flags().StringVar(&opts.To, "to", "", "end of the date range (YYYY-MM-DD or DD/MM/YYYY; default: today)")
	opts.Batch.Add(cmd)
	return cmd
}
func obligationsRun(ctx context.Context, opts *ObligationsOptions) error {
	q, err := query(opts)
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
	obs, _, err := client.Obligations(ctx, vrn, q)
	if err != nil {
		return err
	}
	if obs == nil {
		obs = []hmrc.Obligation{}
	}
	if len(obs) == 0 && !opts.JSONOutput() {
		opts.Status("no obligations found")
	}
	return opts.Output(Doc{Obligations: obs, today: opts.Today()})
}

// query turns the flags into HMRC's query, refusing bad ones before HMRC is asked.
func query(opts *ObligationsOptions) (hmrc.ObligationsOptions, error) {
	q := hmrc.ObligationsOptions{}
	switch opts.StatusFilter {
	case "open", "o", "O":
		q.Status = hmrc.StatusOpen
	case "fulfilled", "f", "F":
		q.Status = hmrc.StatusFulfilled
	case "all", "":
	default:
		return q, cmdutil.FlagErrorf("--status %q: want open, fulfilled or all", opts.StatusFilter)
	}
	var err error
	if q.From, err = cmdutil.ParseDateFlag("from", opts.From); err != nil {
		return q, err
	}
	if q.To, err = cmdutil.ParseDateFlag("to", opts.To); err != nil {
		return q, err
	}
	// One end given means a range, and the other defaults as the financial views' do: --to to
	// today, --from to 12 months before --to.
	switch {
	case !q.From.IsZero() && q.To.IsZero():
		q.To = opts.Today()
	case q.From.IsZero() && !q.To.IsZero():
		q.From = q.To.AddYears(-1).AddDays(1)
	case q.From.IsZero() && q.Status != hmrc.StatusOpen:
		q.To = opts.Today()
		q.From = q.To.AddYears(-1).AddDays(1)
	}
	if !q.From.IsZero() && !q.From.Before(q.To) {
		return q, cmdutil.FlagErrorf("--from %s must be before --to %s", q.From, q.To)
	}
	return q, nil
}

// Doc is `vat obligations -o json`: HMRC's obligations with HMRC's field names and ISO dates.
type Doc struct {
	Obligations []hmrc.Obligation `json:"obligations"`

	today hmrc.Date
}

func (d Doc) status(o hmrc.Obligation) string {
	switch {
	case o.Status == hmrc.StatusFulfilled:
		return "fulfilled"
	case o.Due.Before(d.today):
		return "OVERDUE"
	}
	return "open"
}

// Table is one line per obligation, named as people name periods, dated as the other views
// date things for people ("7 Nov 2026"); JSON and CSV keep ISO dates.
func (d Doc) Table() ui.Table {
	// Narrow, the start and end go first: the period's name says the same.
	tbl := ui.Table{Headers: []string{"Period", "Start", "End", "Due", "Status", "Received", "Key"},
		Priority: map[int]int{1: 1, 2: 1}, More: "-o csv"}
	for _, o := range d.Obligations {
		tbl.Rows = append(tbl.Rows, []string{
			cmdutil.PeriodLabel(o), cmdutil.HumanDate(o.Start), cmdutil.HumanDate(o.End), cmdutil.HumanDate(o.Due), d.status(o),
			cmdutil.HumanDate(o.Received), o.PeriodKey,
		})
	}
	return tbl
}

// CSV is one row per obligation, one date per column.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"periodKey", "start", "end", "due", "status", "received", "overdue"}}
	for _, o := range d.Obligations {
		tbl.Rows = append(tbl.Rows, []string{o.PeriodKey, o.Start.String(), o.End.String(), o.Due.String(), o.Status, o.Received.String(),
			fmt.Sprint(d.status(o) == "OVERDUE")})
	}
	return tbl
}
