// Package returns is `vat returns`: one filed return, or the history of filed returns.
package returns

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// ReturnsOptions are the inputs of `vat returns`.
type ReturnsOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Today      func() hmrc.Date
	Output     func(doc any) error
	RenderView func(doc any, v cmdutil.View) error
	Status     func(format string, args ...any)
	JSONOutput func() bool
	// CSV is set when -o csv: the spreadsheet gets HMRC's box names and the key first.
	CSV bool

	// PeriodKey, when set, shows that one return; else the history.
	PeriodKey string
}

// NewCmdReturns builds `vat returns`; runF, when not nil, replaces the run (for tests).
func NewCmdReturns(f *cmdutil.Factory, runF func(*ReturnsOptions) error) *cobra.Command {
	opts := &ReturnsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today,
		Output: f.Output, RenderView: f.RenderView, Status: f.Status, JSONOutput: f.JSONOutput}
	return &cobra.Command{
		Use:   "returns [PERIOD_KEY]",
		Short: "Show a filed VAT return, or the history of filed returns",
		Long: `With a period key: that return as HMRC holds it. Without: the fulfilled obligations of the
last four years with boxes 1, 4, 5, 6 and 7 of each return (HMRC keeps returns viewable for four
years), newest first. That takes one obligations request per year and one request per return,
paced at HMRC's rate limit, so a quarterly business with four years of returns takes about
seven seconds.

-o json prints {"returns": [...]}: each obligation with HMRC's field names and its "return"
(periodKey and the nine boxes); -o csv one row per return with the nine boxes under HMRC's
field names, in box order (boxes 1 to 5 with two decimals, 6 to 9 in whole pounds). With a period
key, -o json prints that return and -o csv one row per box.` +
			cmdutil.ScenarioHelp("with a period key: DATE_RANGE_TOO_LARGE, INSOLVENT_TRADER",
				"without: the obligations scenarios, e.g. QUARTERLY_FOUR_MET, INSOLVENT_TRADER, NOT_FOUND"),
		Example: `  vat returns 24A3
  vat returns -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("vat returns takes at most one period key")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				// HMRC's period keys are upper-case ("26A3"); HMRC refuses "26a3" as
				// PERIOD_KEY_INVALID, so a key typed in lower case is taken as meant.
				opts.PeriodKey = cmdutil.PeriodKey(args[0])
			}
			if runF != nil {
				return runF(opts)
			}
			if len(args) == 1 {
				return returnRun(cmd.Context(), opts, opts.PeriodKey)
			}
			out, err := f.OutputFormat()
			if err != nil {
				return err
			}
			opts.CSV = out == "csv"
			return returnsHistoryRun(cmd.Context(), opts)
		},
	}
}
func returnRun(ctx context.Context, opts *ReturnsOptions, key string) error {
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	vr, _, err := client.Return(ctx, vrn, key)
	if errors.Is(err, hmrc.ErrNotFound) {
		return cmdutil.WithKind(cmdutil.KindRejected, fmt.Errorf("HMRC holds no return for period %s of VRN %s", key, vrn), "see the periods with 'vat obligations --status all'")
	}
	if err != nil {
		return cmdutil.ExplainView(err, vrn, "returns", "returns")
	}
	if !opts.JSONOutput() {
		opts.Status("VAT return %s for VRN %s, as HMRC holds it", key, vrn)
	}
	return opts.Output(PeriodDoc{Filed: filedOf(vr), r: vr.Return})
}

// Filed is a filed return as HMRC holds it: its period key and the nine boxes under HMRC's
// field names (boxes 6 to 9 in whole pounds), as HMRC's view endpoint sends them.
type Filed struct {
	PeriodKey string `json:"periodKey"`
	cmdutil.ReturnJSON
}

func filedOf(vr *hmrc.ViewReturn) Filed {
	return Filed{PeriodKey: vr.PeriodKey, ReturnJSON: cmdutil.ReturnOf(vr.Return)}
}

// PeriodDoc is `vat returns PERIOD_KEY -o json`: the return as HMRC holds it.
type PeriodDoc struct {
	Filed

	r vatreturn.Return
}

// Table is the nine boxes as people read them; the description wraps on a narrow terminal,
// the value never does.
func (d PeriodDoc) Table() ui.Table {
	tbl := ui.Table{Headers: []string{"Box", "Description", "Value"}, Right: map[int]bool{2: true}, Wrap: map[int]bool{1: true}}
	for _, info := range vatreturn.Boxes {
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Description, d.r.Box(info.Number).GBP()})
	}
	return tbl
}

// CSV is one row per box: HMRC's field name beside the box number, and the value as a plain
// number a spreadsheet reads as one.
func (d PeriodDoc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"box", "field", "description", "value"}}
	values := cmdutil.BoxValues(d.r)
	for i, info := range vatreturn.Boxes {
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Field, info.Description, values[i]})
	}
	return tbl
}

// Doc is `vat returns -o json`: the fulfilled obligations of the last four years, newest first,
// each with its return.
type Doc struct {
	Returns []HistoryItem `json:"returns"`
}

// HistoryItem is one row of `vat returns -o json`: the obligation with HMRC's field names and the
// return as HMRC holds it, or why there is none.
type HistoryItem struct {
	hmrc.Obligation
	Return *Filed `json:"return,omitempty"`
	Error  string `json:"error,omitempty"`
}

// historyWindows are the year-long windows covering the four years HMRC keeps returns viewable,
// oldest first: HMRC's obligations endpoint takes at most a year per request, and four exact
// windows are the fewest that cover the span.
func historyWindows(today hmrc.Date) [][2]hmrc.Date {
	start := today.AddYears(-4).AddDays(1)
	var out [][2]hmrc.Date
	for i := 0; i < 4; i++ {
		from := start.AddYears(i)
		to := from.AddYears(1).AddDays(-1)
		if to.After(today) {
			to = today
		}
		out = append(out, [2]hmrc.Date{from, to})
	}
	return out
}

func returnsHistoryRun(ctx context.Context, opts *ReturnsOptions) error {
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	var obs []hmrc.Obligation
	seen := map[string]bool{}
	for _, w := range historyWindows(opts.Today()) {
		// One request per window: the client's shared limiter paces them at HMRC's rate.
		got, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: w[0], To: w[1]})
		if err != nil {
			return cmdutil.ExplainView(err, vrn, "returns", "returns")
		}
		for _, o := range got {
			// An obligation straddling two windows comes back from both.
			if !seen[o.PeriodKey] {
				seen[o.PeriodKey] = true
				obs = append(obs, o)
			}
		}
	}
	sort.SliceStable(obs, func(i, j int) bool { return obs[i].Start.After(obs[j].Start) })
	items := make([]HistoryItem, 0, len(obs))
	v := cmdutil.View{
		Headers: []string{"Period", "Start", "End", "Due", "Received", "Box 1", "Box 4", "Box 5", "Box 6", "Box 7", "Key"},
		Right:   map[int]bool{5: true, 6: true, 7: true, 8: true, 9: true},
		Empty:   "HMRC holds no returns filed in the last four years",
		// On a narrow terminal the Period label already names the quarter, so its two dates go
		// first; then the net values of boxes 7 and 6; the VAT itself (boxes 1, 4, 5) stays.
		Priority: map[int]int{1: 1, 2: 1, 9: 2, 8: 3, 3: 4, 4: 5},
		More:     "-o csv",
	}
	if opts.CSV {
		// All nine boxes, in box order, under HMRC's names: a spreadsheet of the history is
		// the returns as filed, not the five a terminal has room for.
		v.Headers = append([]string{"period", "periodKey", "start", "end", "due", "received"}, cmdutil.BoxFields()...)
	}
	for _, o := range obs {
		it := HistoryItem{Obligation: o}
		received := cmdutil.DateCell(o.Received)
		received.Alert = !o.Due.IsZero() && o.Received.After(o.Due)
		// boxes are the nine boxes in box order; the table shows 1, 4, 5, 6 and 7 of them.
		boxes := make([]cmdutil.Cell, len(vatreturn.Boxes))
		vr, _, err := client.Return(ctx, vrn, o.PeriodKey)
		switch {
		case errors.Is(err, hmrc.ErrNotFound):
			it.Error = "HMRC holds no return for this period"
			boxes[0] = cmdutil.Cell{Text: "(not available)"}
		case err != nil:
			return cmdutil.ExplainView(err, vrn, "returns", "returns")
		default:
			f := filedOf(vr)
			it.Return = &f
			raw := cmdutil.BoxValues(vr.Return)
			for i, info := range vatreturn.Boxes {
				// Boxes 6 to 9 are whole pounds, written as HMRC and the other CSVs write them.
				boxes[i] = cmdutil.Cell{Text: vr.Return.Box(info.Number).GBP(), Raw: raw[i]}
			}
		}
		items = append(items, it)
		label := cmdutil.TextCell(cmdutil.PeriodLabel(o))
		if opts.CSV {
			row := []cmdutil.Cell{label, cmdutil.TextCell(o.PeriodKey), cmdutil.DateCell(o.Start), cmdutil.DateCell(o.End),
				cmdutil.DateCell(o.Due), received}
			v.Rows = append(v.Rows, append(row, boxes...))
			continue
		}
		v.Rows = append(v.Rows, []cmdutil.Cell{label, cmdutil.DateCell(o.Start), cmdutil.DateCell(o.End), cmdutil.DateCell(o.Due), received,
			boxes[0], boxes[3], boxes[4], boxes[5], boxes[6], cmdutil.TextCell(o.PeriodKey)})
	}
	if len(obs) > 0 {
		v.More = fmt.Sprintf("'vat returns %s' (one return in full), or -o csv", obs[0].PeriodKey)
	}
	return opts.RenderView(Doc{Returns: items}, v)
}
