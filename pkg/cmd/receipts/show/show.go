// Package show is `vat receipts show ID`: one submission in full.
package show

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receiptdoc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// ShowOptions are the inputs of `vat receipts show`.
type ShowOptions struct {
	IO      *iostreams.IOStreams
	Journal func() (*receipts.Journal, error)
	Output  func(doc any) error

	ID string
	// PDF and HTML, when set, are files to write the printable receipt to.
	PDF, HTML string
	Status    func(format string, args ...any)
}

// NewCmdShow builds `vat receipts show`; runF, when not nil, replaces the run (for tests).
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Journal: f.Journal, Output: f.Output, Status: f.Status}
	cmd := &cobra.Command{
		Use:               "show ID [--pdf FILE | --html FILE]",
		Short:             "Show one submission: receipt, boxes and digital-link evidence",
		Args:              cmdutil.ExactArgs(1, "the ID of a submission (see 'vat receipts list')"),
		ValidArgsFunction: f.CompleteReceiptIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if opts.PDF != "" && opts.HTML != "" {
				return cmdutil.FlagErrorf("--pdf and --html both choose the printable file: give one")
			}
			for flag, path := range map[string]string{"pdf": opts.PDF, "html": opts.HTML} {
				if path != "" && !strings.HasPrefix(strings.ToLower(filepath.Ext(path)), "."+flag[:3]) {
					return cmdutil.FlagErrorf("--%s %s: the file name must end in .%s", flag, path, flag)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.PDF, "pdf", "", "write the return, HMRC's receipt and the digital-link evidence as a one-page A4 PDF")
	cmd.Flags().StringVar(&opts.HTML, "html", "", "write the same as a self-contained HTML page")
	return cmd
}

// Doc is `vat receipts show ID -o json`.
type Doc struct {
	ID          string             `json:"id"`
	State       receipts.State     `json:"state"`
	InFlight    bool               `json:"inFlight,omitempty"`
	VRN         string             `json:"vrn"`
	PeriodKey   string             `json:"periodKey"`
	Period      cmdutil.PeriodJSON `json:"period"`
	Profile     string             `json:"profile,omitempty"`
	ToolVersion string             `json:"toolVersion,omitempty"`
	// Declaration is which of HMRC's declarations was made: "business" or "agent" (absent in
	// entries from before vat recorded it).
	Declaration string             `json:"declaration,omitempty" jsonschema:"enum=business,enum=agent"`
	CreatedAt   string             `json:"createdAt,omitempty" jsonschema:"format=date-time"`
	Receipt     *ReceiptShown      `json:"receipt"`
	Return      cmdutil.ReturnJSON `json:"return"`
	Evidence    EvidenceJSON       `json:"evidence"`
	Events      []EventJSON        `json:"events"`

	opts  *ShowOptions
	entry *receipts.Entry
}

// ReceiptShown is HMRC's receipt with when vat recorded it.
type ReceiptShown struct {
	cmdutil.ReceiptJSON
	RecordedAt string `json:"recordedAt" jsonschema:"format=date-time"`
}

// EvidenceJSON is the digital link: the workbook, its digest and the cell behind each box.
type EvidenceJSON struct {
	WorkbookPath   string         `json:"workbookPath"`
	WorkbookSHA256 string         `json:"workbookSha256"`
	Cells          []CellEvidence `json:"cells"`
	Warnings       []string       `json:"warnings"`
}

// CellEvidence is where one box came from.
type CellEvidence struct {
	Box      int    `json:"box"`
	Field    string `json:"field"`
	Name     string `json:"name,omitempty"`
	Sheet    string `json:"sheet,omitempty"`
	Cell     string `json:"cell,omitempty"`
	Raw      string `json:"raw,omitempty"`
	Formula  string `json:"formula,omitempty"`
	Computed bool   `json:"computed,omitempty"`
	// Value follows its box's rule, as in "return": boxes 6 to 9 in whole pounds.
	Value json.Number `json:"value" jsonschema:"type=number"`
}

// EventJSON is one step in an unresolved submission's history.
type EventJSON struct {
	Type   string `json:"type"`
	Reason string `json:"reason,omitempty"`
	At     string `json:"at" jsonschema:"format=date-time"`
}

// Text is the submission for people: the receipt, then the boxes and their cells, then the history.
func (d Doc) Text(w io.Writer, v cmdutil.Term) error { return printSubmission(d.opts, d.entry, w, v) }

// CSV is one row per box: its value as a number and the cell it came from, sheet and cell apart.
func (d Doc) CSV() ui.Table {
	t := ui.Table{Headers: []string{"id", "vrn", "periodKey", "box", "field", "value", "name", "sheet", "cell", "raw", "formula", "computed"}}
	sources := map[int]CellEvidence{}
	for _, c := range d.Evidence.Cells {
		sources[c.Box] = c
	}
	values := cmdutil.BoxValues(d.entry.Intent.Return)
	for i, info := range vatreturn.Boxes {
		c := sources[info.Number]
		t.Rows = append(t.Rows, []string{d.ID, d.VRN, d.PeriodKey, fmt.Sprint(info.Number), info.Field, values[i], c.Name, c.Sheet, c.Cell,
			c.Raw, c.Formula, fmt.Sprint(c.Computed)})
	}
	return t
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	j, err := opts.Journal()
	if err != nil {
		return err
	}
	e, err := j.Get(ctx, opts.ID)
	var ambiguous *receipts.AmbiguousError
	switch {
	case errors.As(err, &ambiguous):
		return cmdutil.WithKind(cmdutil.KindUsage, fmt.Errorf("submission ID %q is ambiguous, matches %s", ambiguous.ID, strings.Join(ambiguous.Matches, ", ")),
			"give more of the ID")
	case errors.Is(err, receipts.ErrNotFound):
		id := strings.TrimSpace(opts.ID)
		hint := "see the IDs with 'vat receipts list'"
		if len(id) < receipts.MinPrefix {
			// Not "no such": a submission whose ID starts so may well exist.
			return cmdutil.WithKind(cmdutil.KindUsage, fmt.Errorf("submission ID %q is too short to look up", id),
				fmt.Sprintf("give at least %d characters of the ID, or all of it; %s", receipts.MinPrefix, hint))
		}
		return cmdutil.WithKind(cmdutil.KindUsage, fmt.Errorf("no such submission %q in the journal", id), hint)
	}
	if err != nil {
		return err
	}
	if out := opts.PDF + opts.HTML; out != "" {
		if err := receiptdoc.WriteFile(out, receiptdoc.Document{Entry: *e, Printed: time.Now()}); err != nil {
			if errors.Is(err, receiptdoc.ErrNoReceipt) {
				hint := "nothing was filed for this attempt"
				if e.State.Open() {
					hint = "its outcome is not known yet: run 'vat submit' (or 'vat receipts') again to reconcile it with HMRC"
				}
				return cmdutil.WithKind(cmdutil.KindFailure, fmt.Errorf("submission %s has no receipt from HMRC to print", e.Intent.ID), hint)
			}
			return err
		}
		opts.Status("receipt written to %s", out)
		return nil
	}
	in := e.Intent
	doc := Doc{
		ID: in.ID, State: e.State, InFlight: e.InFlight, VRN: in.VRN, PeriodKey: in.PeriodKey, Period: cmdutil.PeriodOf(in),
		Profile: in.Profile, ToolVersion: in.ToolVersion, Declaration: in.Declaration, CreatedAt: cmdutil.FormatTime(in.CreatedAt), Return: cmdutil.ReturnOf(in.Return),
		Evidence: EvidenceJSON{WorkbookPath: in.Evidence.WorkbookPath, WorkbookSHA256: in.Evidence.WorkbookSHA256,
			Cells: []CellEvidence{}, Warnings: in.Evidence.Warnings},
		Events: []EventJSON{}, opts: opts, entry: e,
	}
	if doc.Evidence.Warnings == nil {
		doc.Evidence.Warnings = []string{}
	}
	if e.Receipt != nil {
		doc.Receipt = &ReceiptShown{ReceiptJSON: cmdutil.ReceiptJSONFor(in, e.Receipt), RecordedAt: cmdutil.FormatTime(e.Receipt.RecordedAt)}
	}
	for _, c := range in.Evidence.Cells {
		doc.Evidence.Cells = append(doc.Evidence.Cells, CellEvidence{
			Box: c.Box, Field: vatreturn.Boxes[c.Box-1].Field, Name: c.Name, Sheet: c.Sheet, Cell: c.Cell,
			Raw: c.Raw, Formula: c.Formula, Computed: c.Computed, Value: *cmdutil.BoxAmount(c.Box, c.Value),
		})
	}
	for _, ev := range e.Events {
		doc.Events = append(doc.Events, EventJSON{Type: ev.Type, Reason: ev.Reason, At: cmdutil.FormatTime(ev.At)})
	}
	return opts.Output(doc)
}

// printSubmission shows one journal entry for people: the receipt first, then the boxes with the
// cells they came from, then the history.
func printSubmission(opts *ShowOptions, e *receipts.Entry, w io.Writer, v cmdutil.Term) error {
	st := v.Styles
	in := e.Intent
	title := map[receipts.State]string{
		receipts.StateReceipted: "Submission " + in.ID,
		receipts.StatePending:   "Submission " + in.ID + ": outcome UNKNOWN (the sending run stopped before HMRC answered)",
		receipts.StateUnknown:   "Submission " + in.ID + ": outcome UNKNOWN (HMRC's answer was lost)",
		receipts.StateCleared:   "Submission " + in.ID + ": not received by HMRC",
	}[e.State]
	if e.InFlight {
		title = "Submission " + in.ID + ": being sent by another vat process now"
	}
	fmt.Fprintln(w, st.Title.Render(title))
	p := cmdutil.PeriodOf(in)
	period := in.PeriodKey
	if p.Start != "" || p.End != "" {
		period += fmt.Sprintf(" (%s to %s", humanDate(p.Start), humanDate(p.End))
		if p.Due != "" {
			period += ", due " + humanDate(p.Due)
		}
		period += ")"
	}
	rows := [][2]string{
		{"VRN", in.VRN},
		{"Period", period},
		{"Profile", in.Profile},
		{"Prepared", strings.TrimSpace(cmdutil.FormatTime(in.CreatedAt) + " by vat " + in.ToolVersion)},
		{"Declaration", declarationText(in.Declaration)},
	}
	if r := e.Receipt; r != nil {
		rows = append(rows, [][2]string{
			{"Outcome", outcomeText(r.Outcome)},
			{"Processing date", cmdutil.FormatTime(r.ProcessingDate)},
			{"Form bundle number", r.FormBundleNumber},
			{"Payment indicator", r.PaymentIndicator},
			{"Charge reference", r.ChargeRefNumber},
			{"Receipt ID", r.ReceiptID},
			{"Receipt timestamp", r.ReceiptTimestamp},
			{"Correlation ID", r.CorrelationID},
			{"Recorded", cmdutil.FormatTime(r.RecordedAt)},
		}...)
	}
	rows = append(rows, [2]string{"Amount", cmdutil.Amount(in.Return)})
	for _, row := range rows {
		if row[1] != "" {
			kv(w, v, row[0], row[1])
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Title.Render("Boxes and their digital links"))
	if in.Evidence.WorkbookPath != "" {
		kv(w, v, "Workbook", in.Evidence.WorkbookPath)
	}
	if in.Evidence.WorkbookSHA256 != "" {
		kv(w, v, "SHA-256", in.Evidence.WorkbookSHA256)
	}
	sources := map[int]receipts.CellEvidence{}
	for _, c := range in.Evidence.Cells {
		sources[c.Box] = c
	}
	// Formulas are listed under the table, each on lines of its own: a ledger's SUMIFS is wider
	// than any terminal, and inside a table column it would push the figures out of sight.
	tbl := ui.Table{Headers: []string{"Box", "Field", "Value", "Source", "Raw"}, Right: map[int]bool{2: true},
		Wrap: map[int]bool{3: true, 4: true}, Width: v.Width}
	var formulas [][2]string
	for _, info := range vatreturn.Boxes {
		c, ok := sources[info.Number]
		src := ""
		switch {
		case c.Computed:
			src = "computed by vat"
		case ok:
			src = cellRef(c)
		}
		if f := c.Formula; f != "" {
			if !strings.HasPrefix(f, "=") {
				f = "=" + f
			}
			formulas = append(formulas, [2]string{fmt.Sprintf("box %d", info.Number), f})
		}
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Field, in.Return.Box(info.Number).GBP(), src, c.Raw})
	}
	if err := tbl.Render(w, st, v.TTY); err != nil {
		return err
	}
	if len(formulas) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.Title.Render("Formulas behind the cells"))
		for _, f := range formulas {
			text := f[1]
			if v.TTY && v.Width > 12 {
				text = ui.Indent(ansi.Hardwrap(text, v.Width-10, false), 10)
			}
			fmt.Fprintf(w, "  %s %s\n", padLabel(st, f[0], 7), text)
		}
	}
	for _, warn := range in.Evidence.Warnings {
		icon := st.WarningIcon()
		if v.TTY {
			warn = ui.WrapWords(warn, v.Width, 3+ansi.StringWidth(icon))
		}
		fmt.Fprintf(w, "  %s %s\n", st.Warn.Render(icon), warn)
	}
	if len(e.Events) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.Title.Render("History"))
		for _, ev := range e.Events {
			what := map[string]string{"unknown": "outcome unknown", "cleared": "cleared: not received by HMRC"}[ev.Type]
			fmt.Fprintf(w, "  %s  %s", cmdutil.FormatTime(ev.At), what)
			if ev.Reason != "" {
				fmt.Fprintf(w, ": %s", ev.Reason)
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

// kv writes one labelled line; on a terminal too narrow for it, the value goes on the next line
// rather than being wrapped by the terminal in the middle of a hash or a path.
func kv(w io.Writer, v cmdutil.Term, label, value string) {
	if v.TTY && v.Width > 0 && 2+20+1+len([]rune(value)) > v.Width {
		fmt.Fprintf(w, "  %s\n    %s\n", v.Styles.Label.Render(label), value)
		return
	}
	fmt.Fprintf(w, "  %s %s\n", padLabel(v.Styles, label, 20), value)
}

// padLabel renders label in the label colour, padded to width columns. The padding is counted
// on the label itself: counted on the rendered label, as %-20s would, the colour's escape codes
// take the place of spaces and the values no longer line up.
func padLabel(st *ui.Styles, label string, width int) string {
	return st.Label.Render(label) + strings.Repeat(" ", max(0, width-ansi.StringWidth(label)))
}

func outcomeText(o string) string {
	switch o {
	case receipts.OutcomeAccepted:
		return "accepted by HMRC"
	case receipts.OutcomeReconciled:
		return "accepted by HMRC (found by reconciliation after the answer was lost)"
	case receipts.OutcomeAlreadyFiled:
		return "already filed: HMRC held a return for this period (DUPLICATE_SUBMISSION)"
	}
	return o
}

// cellRef writes a cell as Excel does, quoting sheet names that need it.
func cellRef(c receipts.CellEvidence) string {
	ref := c.Cell
	if c.Sheet != "" {
		ref = formula.QuoteSheet(c.Sheet) + "!" + ref
	}
	if c.Name != "" {
		return c.Name + " = " + ref
	}
	return ref
}

// declarationText names the declaration made, for people; "" (not recorded) shows no row.
func declarationText(d string) string {
	switch d {
	case receipts.DeclarationAgent:
		return "an agent's: the client has seen and approved the return"
	case receipts.DeclarationBusiness:
		return "the business's: the return is true and complete"
	}
	return d
}

// humanDate is an ISO date as the other tables write dates for people (7 Nov 2026); a date it
// cannot read is shown as recorded.
func humanDate(iso string) string {
	d, err := hmrc.ParseDate(iso)
	if err != nil {
		return iso
	}
	return cmdutil.HumanDate(d)
}
