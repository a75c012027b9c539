// Package check is `vat check`: read and validate a workbook's nine boxes, offline.
package check

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
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
		Use:   "check [--workbook] FILE",
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
		Example: `  vat check q3.xlsx
  vat check --workbook q3.xlsx --map boxes.map -o json`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cmdutil.CompleteWorkbook,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return cmdutil.FlagErrorf("%s takes one workbook, got %d arguments", cmd.CommandPath(), len(args))
			case len(args) == 1 && opts.Workbook.Path != "" && opts.Workbook.Path != args[0]:
				return cmdutil.FlagErrorf("two workbooks given: --workbook %s and %s", opts.Workbook.Path, args[0])
			case len(args) == 1:
				opts.Workbook.Path = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	opts.Workbook.Add(cmd)
	cmd.Flags().StringVar(&opts.PeriodEnd, "period-end", "", "for a CSV file with one row per period: the period's end date (YYYY-MM-DD or DD/MM/YYYY)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	f := opts.Factory
	s, err := f.Settings()
	if err != nil {
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
	if res == nil {
		return err
	}
	// submit refuses a workbook kept for another business; check says so first.
	err = cmdutil.VRNAgrees(s.VRN, res, err)
	if perr := showBoxes(f, res, err); perr != nil {
		return perr
	}
	f.ShowWarnings(res.Warnings)
	return err
}

// Doc is `vat check -o json`, a format scripts depend on.
type Doc struct {
	// Return is the return as it would be sent; absent when any box has a problem.
	Return *cmdutil.ReturnJSON `json:"return,omitempty"`
	// Boxes is every box with its own value and problems, also when the return as a whole is
	// refused, so a script can show what was read beside what is wrong.
	Boxes    []BoxJSON             `json:"boxes"`
	Sources  map[string]SourceJSON `json:"sources" jsonschema:"description=where each box came from\\, keyed by HMRC's field name"`
	Warnings []string              `json:"warnings"`
	Period   *PeriodJSON           `json:"period,omitempty"`
	VRN      string                `json:"vrn,omitempty"`
	Workbook WorkbookJSON          `json:"workbook"`

	res *workbook.Result
	bad map[int]bool
}

// BoxJSON is one box as read: its value when it has one, and every problem naming it.
//
// Value is the figure the box would be filed with, or null when the box is refused: a refused
// box has no value, as the table's "(see below)" and the empty CSV cell say. What was read
// before it was refused stays visible for diagnosis, but as text in Read, never in Value, so
// that a script summing values cannot pick up a figure vat would not file.
type BoxJSON struct {
	Box      int          `json:"box"`
	Field    string       `json:"field"`
	Value    *json.Number `json:"value" jsonschema:"oneof_type=number;null,description=the figure to be filed: boxes 1 to 5 with two decimals and 6 to 9 in whole pounds; null when the box is refused"`
	Read     string       `json:"read,omitempty" jsonschema:"description=for a refused box only: the amount its cell held as text (never a figure to file)"`
	Problems []string     `json:"problems"`
}

// SourceJSON is the digital link behind one box.
type SourceJSON struct {
	Name     string `json:"name"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Raw      string `json:"raw"`
	Formula  string `json:"formula,omitempty"`
	Computed bool   `json:"computed,omitempty"`
}

// PeriodJSON is the workbook's PeriodStart and PeriodEnd, as ISO dates.
type PeriodJSON struct {
	Start string `json:"start,omitempty" jsonschema:"format=date"`
	End   string `json:"end,omitempty" jsonschema:"format=date"`
}

// WorkbookJSON names the file read.
type WorkbookJSON struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
}

// DocOf is the document for a reading; problems, when not nil, is the reading error, whose boxes
// are shown as unusable rather than with a meaningless value.
func DocOf(res *workbook.Result, problems error) Doc {
	doc := Doc{Sources: map[string]SourceJSON{}, Warnings: res.Warnings, Boxes: []BoxJSON{},
		Workbook: WorkbookJSON{Path: res.Path, SHA256: res.SHA256}, VRN: res.VRN, res: res, bad: cmdutil.BadBoxes(problems)}
	if problems == nil {
		ret := cmdutil.ReturnOf(res.Return)
		doc.Return = &ret
	}
	for i, b := range res.Boxes {
		info := vatreturn.Boxes[i]
		bj := BoxJSON{Box: info.Number, Field: info.Field, Problems: []string{}}
		for _, p := range b.Problems {
			bj.Problems = append(bj.Problems, p.Error())
		}
		if len(b.Problems) > 0 {
			// The table and CSV show a box as refused when the reading error names it; one
			// with a problem of its own is refused too, so that every format agrees.
			doc.bad[info.Number] = true
		}
		switch {
		case b.OK && doc.bad[info.Number]:
			bj.Read = b.Value.String()
		case b.OK:
			bj.Value = cmdutil.BoxAmount(info.Number, b.Value)
		}
		doc.Boxes = append(doc.Boxes, bj)
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	for i, src := range res.Sources {
		doc.Sources[vatreturn.Boxes[i].Field] = SourceJSON{src.Name, src.Sheet, src.Cell, src.Raw, src.Formula, src.Computed}
	}
	if !res.PeriodStart.IsZero() || !res.PeriodEnd.IsZero() {
		doc.Period = &PeriodJSON{}
		if !res.PeriodStart.IsZero() {
			doc.Period.Start = res.PeriodStart.Format("2006-01-02")
		}
		if !res.PeriodEnd.IsZero() {
			doc.Period.End = res.PeriodEnd.Format("2006-01-02")
		}
	}
	return doc
}

// Table is the nine boxes with the name and cell each came from.
func (d Doc) Table() ui.Table { return cmdutil.BoxesTable(d.res, d.bad) }

// CSV is one row per box: plain numbers, the name, sheet and cell in columns of their own.
func (d Doc) CSV() ui.Table {
	t := ui.Table{Headers: []string{"box", "field", "description", "value", "name", "sheet", "cell", "formula", "computed"}}
	values := cmdutil.BoxValues(d.res.Return)
	for i, info := range vatreturn.Boxes {
		src := d.res.Sources[i]
		v := values[i]
		if d.bad[info.Number] {
			v = ""
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(info.Number), info.Field, info.Description, v, src.Name, src.Sheet, src.Cell,
			src.Formula, fmt.Sprint(src.Computed)})
	}
	return t
}

// showBoxes prints the nine boxes with their sources.
func showBoxes(f *cmdutil.Factory, res *workbook.Result, problems error) error {
	return f.Output(DocOf(res, problems))
}
