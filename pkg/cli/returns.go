package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

func newCmdReturns(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "returns [PERIOD_KEY]",
		Short: "Show a filed VAT return, or the history of filed returns",
		Long: `With a period key: that return as HMRC holds it. Without: the fulfilled obligations of the
last four years with each return (HMRC keeps returns viewable for four years).`,
		Example: `  vat returns 24A3
  vat returns -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return flagErrorf("vat returns takes at most one period key")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return returnRun(cmd.Context(), f, args[0])
			}
			return returnsHistoryRun(cmd.Context(), f)
		},
	}
}

func returnRun(ctx context.Context, f *Factory, key string) error {
	vrn, err := f.requireVRN()
	if err != nil {
		return err
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		return err
	}
	vr, _, err := client.Return(ctx, vrn, key)
	if errors.Is(err, hmrc.ErrNotFound) {
		return withKind(KindRejected, fmt.Errorf("HMRC holds no return for period %s of VRN %s", key, vrn), "see the periods with 'vat obligations --status all'")
	}
	if err != nil {
		return err
	}
	if f.jsonOutputRequested() {
		b, err := vr.MarshalJSON()
		if err != nil {
			return err
		}
		return ui.WriteJSON(f.IOStreams.Out, json.RawMessage(b))
	}
	tbl := ui.Table{Headers: []string{"Box", "Description", "Value"}, Right: map[int]bool{2: true}}
	for _, info := range vatreturn.Boxes {
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Description, vr.Return.Box(info.Number).GBP()})
	}
	f.status("VAT return %s for VRN %s, as HMRC holds it", key, vrn)
	return f.render(nil, tbl)
}

// historyItem is one row of `vat returns -o json`.
type historyItem struct {
	hmrc.Obligation
	Return *hmrc.ViewReturn `json:"return,omitempty"`
	Error  string           `json:"error,omitempty"`
}

func returnsHistoryRun(ctx context.Context, f *Factory) error {
	vrn, err := f.requireVRN()
	if err != nil {
		return err
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		return err
	}
	to := f.today()
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
		row := []string{periodLabel(o), o.Start.String(), o.End.String(), o.Received.String(), "", "", "", o.PeriodKey}
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
	if len(items) == 0 && !f.jsonOutputRequested() {
		f.status("no returns filed in the last four years")
	}
	return f.render(map[string]any{"returns": items}, tbl)
}
