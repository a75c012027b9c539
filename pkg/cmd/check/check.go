// Package check is `vat check`: read and validate a workbook's nine boxes, offline.
package check

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// CheckOptions are the inputs of `vat check`.
type CheckOptions struct {
	IO *iostreams.IOStreams
	// Factory provides the settings, environment and output helpers.
	Factory *cmdutil.Factory

	Workbook cmdutil.WorkbookFlags
	// PeriodEnd picks the row of a CSV file that holds one row per period.
	PeriodEnd string
}

// NewCmdCheck builds `vat check`; runF, when not nil, replaces the run (for tests).
func NewCmdCheck(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "check --workbook FILE",
		Short: "Read and validate the nine boxes of a workbook, offline",
		Long: `Read the nine VAT boxes from a workbook's defined names and check them against HMRC's
rules, without sending anything. Each box is shown with the defined name, sheet and cell it came
from: the digital link HMRC requires.

Names recognised for box N (case-insensitive, workbook or sheet scope): VAT_BoxN, VATBoxN,
HMRC's field name (vatDueSales, vatDueAcquisitions, totalVatDue, vatReclaimedCurrPeriod,
netVatDue, totalValueSalesExVAT, totalValuePurchasesExVAT, totalValueGoodsSuppliedExVAT,
totalAcquisitionsExVAT), or BoxN (a warning: Excel treats Box1 as a cell address).
Optional: PeriodStart, PeriodEnd, VRN.

A box is read from its saved result and, where vat can compute the formulas, recomputed exactly:
a stale saved result, or a formula vat cannot compute without one, refuses the box with the cell
and the remedy.

Exit status 3 when any box is invalid; every problem is listed at once.`,
		Example: `  vat check --workbook q3.xlsx
  vat check --workbook q3.xlsx --map boxes.map -o json`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	opts.Workbook.Add(cmd)
	cmd.Flags().StringVar(&opts.PeriodEnd, "period-end", "", "for a CSV file with one row per period: the period's end date (YYYY-MM-DD)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	f := opts.Factory
	if _, err := f.Settings(); err != nil {
		return err
	}
	end, err := cmdutil.ParseDateFlag("period-end", opts.PeriodEnd)
	if err != nil {
		return err
	}
	wo := workbook.Options{Round: opts.Workbook.Round, SkipDigest: true}
	if !end.IsZero() {
		wo.PeriodEnd = end.Time()
	}
	res, err := opts.Workbook.ReadOpts(ctx, f, wo)
	if res == nil || f.JSONOutput() && err != nil {
		return err
	}
	if perr := showBoxes(f, res, err); perr != nil {
		return perr
	}
	f.ShowWarnings(res.Warnings)
	return err
}

// checkDoc is `vat check -o json`, a format scripts depend on.
type checkDoc struct {
	Return   json.RawMessage       `json:"return"`
	Sources  map[string]sourceJSON `json:"sources"`
	Warnings []string              `json:"warnings"`
	Period   map[string]string     `json:"period,omitempty"`
	VRN      string                `json:"vrn,omitempty"`
	Workbook map[string]string     `json:"workbook"`
}

type sourceJSON struct {
	Name     string `json:"name"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Raw      string `json:"raw"`
	Formula  string `json:"formula,omitempty"`
	Computed bool   `json:"computed,omitempty"`
}

// showBoxes prints the nine boxes with their sources; problems, when not nil, is the reading
// error, whose boxes are shown as unusable rather than with a meaningless value.
func showBoxes(f *cmdutil.Factory, res *workbook.Result, problems error) error {
	if f.JSONOutput() && problems == nil {
		ret, err := hmrc.MarshalReturn(res.Return)
		if err != nil {
			return err
		}
		doc := checkDoc{Return: ret, Sources: map[string]sourceJSON{}, Warnings: res.Warnings,
			Workbook: map[string]string{"path": res.Path}, VRN: res.VRN}
		if res.SHA256 != "" {
			doc.Workbook["sha256"] = res.SHA256
		}
		if doc.Warnings == nil {
			doc.Warnings = []string{}
		}
		for i, src := range res.Sources {
			doc.Sources[vatreturn.Boxes[i].Field] = sourceJSON{src.Name, src.Sheet, src.Cell, src.Raw, src.Formula, src.Computed}
		}
		if !res.PeriodStart.IsZero() || !res.PeriodEnd.IsZero() {
			doc.Period = map[string]string{}
			if !res.PeriodStart.IsZero() {
				doc.Period["start"] = res.PeriodStart.Format("2006-01-02")
			}
			if !res.PeriodEnd.IsZero() {
				doc.Period["end"] = res.PeriodEnd.Format("2006-01-02")
			}
		}
		return ui.WriteJSON(f.IOStreams.Out, doc)
	}
	tbl := cmdutil.BoxesTable(res, cmdutil.BadBoxes(problems))
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Output == "csv" {
		return tbl.WriteCSV(f.IOStreams.Out)
	}
	return tbl.Render(f.IOStreams.Out, f.Styles(), f.IOStreams.IsStdoutTTY())
}
