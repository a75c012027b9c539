// Package returns is `vat returns`: one filed return, or the history of filed returns.
package returns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
	Render     func(doc any, tbl ui.Table) error
	Status     func(format string, args ...any)
	JSONOutput func() bool

	// PeriodKey, when set, shows that one return; else the history.
	PeriodKey string
}

// NewCmdReturns builds `vat returns`; runF, when not nil, replaces the run (for tests).
func NewCmdReturns(f *cmdutil.Factory, runF func(*ReturnsOptions) error) *cobra.Command {
	opts := &ReturnsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Today: f.Today,
		Render: f.Render, Status: f.Status, JSONOutput: f.JSONOutput}
	return &cobra.Command{
		Use:   "returns [PERIOD_KEY]",
		Short: "Show a filed VAT return, or the history of filed returns",
		Long: `With a period key: that return as HMRC holds it. Without: the fulfilled obligations of the
last four years with each return (HMRC keeps returns viewable for four years).`,
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
				opts.PeriodKey = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			if len(args) == 1 {
				return returnRun(cmd.Context(), opts, opts.PeriodKey)
			}
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
		return err
	}
	if opts.JSONOutput() {
		b, err := vr.MarshalJSON()
		if err != nil {
			return err
		}
		return ui.WriteJSON(opts.IO.Out, json.RawMessage(b))
	}
	tbl := ui.Table{Headers: []string{"Box", "Description", "Value"}, Right: map[int]bool{2: true}}
	for _, info := range vatreturn.Boxes {
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Description, vr.Return.Box(info.Number).GBP()})
	}
	opts.Status("VAT return %s for VRN %s, as HMRC holds it", key, vrn)
	return opts.Render(nil, tbl)
}

// historyItem is one row of `vat returns -o json`.
type historyItem struct {
	hmrc.Obligation
	Return *hmrc.ViewReturn `json:"return,omitempty"`
	Error  string           `json:"error,omitempty"`
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
	to := opts.Today()
	obs, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: to.AddYears(-4).AddDays(1), To: to})
	if err != nil {
		return err
	}
	items := make([]historyItem, 0, len(obs))
	tbl := ui.Table{Headers: []string{"Period", "Start", "End", "Received", "Box 1", "Box 4", "Box 5", "Key"}, Right: map[int]bool{4: true, 5: true, 6: true}}
	for i := len(obs) - 1; i >= 0; i-- {
		o := obs[i]
		it := historyItem{Obligation: o}
		vr, _, err := client.Return(ctx, vrn, o.PeriodKey)
		row := []string{cmdutil.PeriodLabel(o), o.Start.String(), o.End.String(), o.Received.String(), "", "", "", o.PeriodKey}
		if err != nil {
			it.Error = err.Error()
			row[4] = "(not available)"
		} else {
			it.Return = vr
			row[4], row[5], row[6] = vr.Return.VATDueSales.GBP(), vr.Return.VATReclaimedCurrPeriod.GBP(), vr.Return.NetVATDue.GBP()
		}
		items = append(items, it)
		tbl.Rows = append(tbl.Rows, row)
	}
	if len(items) == 0 && !opts.JSONOutput() {
		opts.Status("no returns filed in the last four years")
	}
	return opts.Render(map[string]any{"returns": items}, tbl)
}
