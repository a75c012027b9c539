package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// WorkbookFlags are shared by check and submit: where the boxes come from.
type WorkbookFlags struct {
	Path        string
	MapFile     string
	Round       bool
	PasswordEnv string
}

// Add registers the workbook flags on cmd.
func (w *WorkbookFlags) Add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&w.Path, "workbook", "", "the .xlsx, .xlsm or .ods workbook holding the nine boxes as named cells, or a .csv file (required)")
	fl.StringVar(&w.MapFile, "map", "", "file mapping boxes to other defined names or cells, e.g. \"box1 = 'VAT Return'!C7\"")
	fl.BoolVar(&w.Round, "round", false, "round boxes 1-5 to the penny and 6-9 down to whole pounds, listing every change")
	fl.StringVar(&w.PasswordEnv, "password-env", "", "name of an environment variable holding the workbook's password")
	_ = cmd.MarkFlagFilename("workbook", WorkbookExts...)
	_ = cmd.MarkFlagFilename("map")
}

// Read reads and validates the workbook. Problems come back as typed errors that Classify maps
// to exit 3; the partial result is returned with them so check can show what it could read.
func (w *WorkbookFlags) Read(ctx context.Context, f *Factory) (*workbook.Result, error) {
	return w.ReadOpts(ctx, f, workbook.Options{Round: w.Round})
}

// ReadOpts is Read with base options; check skips the file digest, the one cost that grows
// with the ledger, since only a submission's evidence needs it.
func (w *WorkbookFlags) ReadOpts(ctx context.Context, f *Factory, opts workbook.Options) (*workbook.Result, error) {
	if w.Path == "" {
		return nil, FlagErrorf("--workbook is required: the .xlsx, .xlsm, .ods or .csv file holding the nine boxes")
	}
	if w.MapFile != "" {
		mf, err := os.Open(w.MapFile)
		if err != nil {
			return nil, WithKind(KindInvalidData, fmt.Errorf("--map %s: %w", w.MapFile, err), "")
		}
		m, err := workbook.ParseMap(mf)
		mf.Close()
		if err != nil {
			return nil, WithKind(KindInvalidData, fmt.Errorf("--map %s: %w", w.MapFile, err), "")
		}
		opts.Map = m
	}
	if w.PasswordEnv != "" {
		pw := f.Getenv(w.PasswordEnv)
		if pw == "" {
			return nil, FlagErrorf("--password-env %s: that environment variable is empty or not set", w.PasswordEnv)
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

// BadBoxes lists the boxes a reading error found problems with.
func BadBoxes(err error) map[int]bool {
	bad := map[int]bool{}
	var probs *workbook.Problems
	if errors.As(err, &probs) {
		for _, c := range probs.Cells {
			bad[c.Box] = true
		}
	}
	return bad
}

// BoxesTable lays out the nine boxes with where each came from; bad boxes show no value.
func BoxesTable(res *workbook.Result, bad map[int]bool) ui.Table {
	// The declaration is made on this table: on a narrow terminal the description, name and cell
	// wrap, and the value never does.
	tbl := ui.Table{Headers: []string{"Box", "Description", "Value", "Name", "Cell"}, Right: map[int]bool{2: true},
		Wrap: map[int]bool{1: true, 3: true, 4: true}}
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

// ErrVRNMismatch marks the problem VRNAgrees reports.
var ErrVRNMismatch = errors.New("the workbook's VRN is another business's")

// VRNAgrees adds to a reading's problems (err, nil when none) the one submit refuses first: the
// workbook's VRN name holding another business's number than the one vat files for (known,
// from --vrn, VAT_VRN or the profile). Without a known VRN there is nothing to compare.
func VRNAgrees(known string, res *workbook.Result, err error) error {
	if known == "" || res == nil || res.VRN == "" || res.VRN == known {
		return err
	}
	src := res.VRNSource
	ce := &workbook.CellError{Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Err: ErrVRNMismatch,
		Message: fmt.Sprintf("holds %s but this profile files for %s (--vrn, VAT_VRN or the profile): check you opened the right client's workbook", res.VRN, known)}
	var probs *workbook.Problems
	switch {
	case err == nil:
		return &workbook.Problems{Path: res.Path, Cells: []*workbook.CellError{ce}}
	case errors.As(err, &probs):
		probs.Cells = append(probs.Cells, ce)
	}
	return err
}
