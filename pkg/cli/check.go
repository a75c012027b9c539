package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// workbookFlags are shared by check and submit: where the boxes come from.
type workbookFlags struct {
	Path        string
	MapFile     string
	Round       bool
	PasswordEnv string
}

func (w *workbookFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&w.Path, "workbook", "", "the .xlsx workbook holding the nine boxes as named cells (required)")
	fl.StringVar(&w.MapFile, "map", "", "file mapping boxes to other defined names or cells, e.g. \"box1 = 'VAT Return'!C7\"")
	fl.BoolVar(&w.Round, "round", false, "round boxes 1-5 to the penny and 6-9 down to whole pounds, listing every change")
	fl.StringVar(&w.PasswordEnv, "password-env", "", "name of an environment variable holding the workbook's password")
}

// read reads and validates the workbook. Problems come back as typed errors that classify maps
// to exit 3; the partial result is returned with them so check can show what it could read.
func (w *workbookFlags) read(ctx context.Context, f *Factory) (*workbook.Result, error) {
	return w.readOpts(ctx, f, workbook.Options{Round: w.Round})
}

// readOpts is read with base options; check skips the file digest, the one cost that grows
// with the ledger, since only a submission's evidence needs it.
func (w *workbookFlags) readOpts(ctx context.Context, f *Factory, opts workbook.Options) (*workbook.Result, error) {
	if w.Path == "" {
		return nil, flagErrorf("--workbook is required: the .xlsx file holding the nine boxes")
	}
	if w.MapFile != "" {
		mf, err := os.Open(w.MapFile)
		if err != nil {
			return nil, withKind(KindInvalidData, fmt.Errorf("--map %s: %w", w.MapFile, err), "")
		}
		m, err := workbook.ParseMap(mf)
		mf.Close()
		if err != nil {
			return nil, withKind(KindInvalidData, fmt.Errorf("--map %s: %w", w.MapFile, err), "")
		}
		opts.Map = m
	}
	if w.PasswordEnv != "" {
		pw := f.Getenv(w.PasswordEnv)
		if pw == "" {
			return nil, flagErrorf("--password-env %s: that environment variable is empty or not set", w.PasswordEnv)
		}
		opts.Password = pw
	}
	res, err := workbook.Read(ctx, w.Path, opts)
	if errors.Is(err, workbook.ErrPasswordRequired) && opts.Password == "" && f.IOStreams.CanPrompt() {
		pw, perr := f.IOStreams.ReadSecret(fmt.Sprintf("Password for %s: ", w.Path))
		if perr != nil {
			return nil, err
		}
		opts.Password = pw
		res, err = workbook.Read(ctx, w.Path, opts)
	}
	return res, err
}

type checkOptions struct{ wb workbookFlags }

func newCmdCheck(f *Factory) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check --workbook FILE",
		Short: "Read and validate the nine boxes of a workbook, offline",
		Long: `Read the nine VAT boxes from a workbook's defined names and check them against HMRC's
rules, without sending anything. Each box is shown with the defined name, sheet and cell it came
from: the digital link HMRC requires.

Names recognised for box N (case-insensitive, workbook or sheet scope): BoxN, VAT_BoxN, VATBoxN,
or HMRC's field name (vatDueSales, vatDueAcquisitions, totalVatDue, vatReclaimedCurrPeriod,
netVatDue, totalValueSalesExVAT, totalValuePurchasesExVAT, totalValueGoodsSuppliedExVAT,
totalAcquisitionsExVAT). Optional: PeriodStart, PeriodEnd, VRN.

Exit status 3 when any box is invalid; every problem is listed at once.`,
		Example: `  vat check --workbook q3.xlsx
  vat check --workbook q3.xlsx --map boxes.map -o json`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return checkRun(cmd.Context(), f, opts)
		},
	}
	opts.wb.add(cmd)
	return cmd
}

func checkRun(ctx context.Context, f *Factory, opts *checkOptions) error {
	if _, err := f.Settings(); err != nil {
		return err
	}
	res, err := opts.wb.readOpts(ctx, f, workbook.Options{Round: opts.wb.Round, SkipDigest: true})
	if res == nil || f.jsonOutputRequested() && err != nil {
		return err
	}
	if perr := f.showBoxes(res, err); perr != nil {
		return perr
	}
	f.showWarnings(res.Warnings)
	return err
}

// checkDoc is `vat check -o json`, as CLI.md fixes it.
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
func (f *Factory) showBoxes(res *workbook.Result, problems error) error {
	if f.jsonOutputRequested() && problems == nil {
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
	tbl := boxesTable(res, badBoxes(problems))
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Output == "csv" {
		return tbl.WriteCSV(f.IOStreams.Out)
	}
	return tbl.Render(f.IOStreams.Out, f.Styles(), f.IOStreams.IsStdoutTTY())
}

// badBoxes lists the boxes a reading error found problems with.
func badBoxes(err error) map[int]bool {
	bad := map[int]bool{}
	var probs *workbook.Problems
	if errors.As(err, &probs) {
		for _, c := range probs.Cells {
			bad[c.Box] = true
		}
	}
	return bad
}

// boxesTable lays out the nine boxes with where each came from; bad boxes show no value.
func boxesTable(res *workbook.Result, bad map[int]bool) ui.Table {
	tbl := ui.Table{Headers: []string{"Box", "Description", "Value", "Name", "Cell"}, Right: map[int]bool{2: true}}
	for i, info := range vatreturn.Boxes {
		src := res.Sources[i]
		cell := src.Cell
		if src.Sheet != "" {
			cell = formula.QuoteSheet(src.Sheet) + "!" + src.Cell
		}
		name := src.Name
		if src.Computed {
			name, cell = "(computed)", describeComputed(info.Number)
		}
		value := res.Return.Box(info.Number).GBP()
		if bad[info.Number] {
			value = "(see below)"
		}
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Description, value, name, cell})
	}
	return tbl
}

func describeComputed(box int) string {
	if box == 3 {
		return "box 1 + box 2"
	}
	return "|box 3 - box 4|"
}

// showWarnings lists the reader's warnings on stderr.
func (f *Factory) showWarnings(ws []string) {
	if f.jsonOutputRequested() {
		return
	}
	st := f.ErrStyles()
	for _, w := range ws {
		fmt.Fprintf(f.IOStreams.ErrOut, "%s %s\n", st.Warn.Render(st.WarningIcon()), w)
	}
}
