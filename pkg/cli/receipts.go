package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

func newCmdReceipts(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "receipts [list | show ID]",
		Short: "The local record of every submission: HMRC's receipts and where each box came from",
		Long: `vat keeps a journal of every submission in the config directory (receipts/journal.jsonl,
append-only, readable only by you). Before a return is sent it records the nine boxes and the
digital-link evidence: the workbook's path and SHA-256, and for each box the defined name, sheet,
cell, raw value and formula. After HMRC answers it records the receipt: processing date, form
bundle number, payment indicator, charge reference, Receipt-ID, Receipt-Timestamp and the
correlation ID.

'vat receipts' (or 'vat receipts list') lists them, newest first, with any submission whose
outcome is still unknown at the top. 'vat receipts show ID' shows one in full; ID is an intent
ID, a Receipt-ID, a form bundle number, or the first few characters of an ID.`,
		Example: `  vat receipts
  vat receipts show 1b2c3d4e
  vat receipts list -o json`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return receiptsListRun(cmd.Context(), f)
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List recorded submissions, newest first",
		Args:  requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return receiptsListRun(cmd.Context(), f)
		},
	}, &cobra.Command{
		Use:   "show ID",
		Short: "Show one submission: receipt, boxes and digital-link evidence",
		Args:  exactArgs(1, "the ID of a submission (see 'vat receipts list')"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return receiptsShowRun(cmd.Context(), f, args[0])
		},
	})
	return cmd
}

// receiptItem is one submission in `vat receipts list -o json`. The embedded receipt has the
// same fields as `vat submit -o json`.
type receiptItem struct {
	ID string `json:"id"`
	receiptJSON
	Period     periodJSON      `json:"period"`
	RecordedAt string          `json:"recordedAt"`
	NetVATDue  vatreturn.Money `json:"netVatDue"`
	Position   string          `json:"position"` // "payable", "repayable" or "nil"
}

// unresolvedItem is a submission whose outcome is not yet known.
type unresolvedItem struct {
	ID        string          `json:"id"`
	VRN       string          `json:"vrn"`
	PeriodKey string          `json:"periodKey"`
	Period    periodJSON      `json:"period"`
	State     receipts.State  `json:"state"`
	InFlight  bool            `json:"inFlight"`
	Reason    string          `json:"reason,omitempty"`
	CreatedAt string          `json:"createdAt"`
	NetVATDue vatreturn.Money `json:"netVatDue"`
	Position  string          `json:"position"`
}

type periodJSON struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	Due   string `json:"due,omitempty"`
}

func receiptsListRun(ctx context.Context, f *Factory) error {
	j, err := f.Journal()
	if err != nil {
		return err
	}
	f.reconcileAll(ctx, j)
	list, err := j.List(ctx)
	if err != nil {
		return err
	}
	open, err := j.OpenIntents(ctx, "")
	if err != nil {
		return err
	}
	doc := struct {
		Receipts   []receiptItem    `json:"receipts"`
		Unresolved []unresolvedItem `json:"unresolved"`
	}{Receipts: []receiptItem{}, Unresolved: []unresolvedItem{}}
	tbl := ui.Table{
		Headers: []string{"Recorded", "ID", "VRN", "Period", "Outcome", "Form bundle", "Amount"},
		Right:   map[int]bool{6: true},
	}
	// Unresolved first: they are what the user must act on (the next 'vat submit' reconciles them).
	for i := len(open) - 1; i >= 0; i-- {
		in := open[i]
		e, err := j.Get(ctx, in.ID)
		if err != nil {
			return err
		}
		item := unresolvedItem{
			ID: in.ID, VRN: in.VRN, PeriodKey: in.PeriodKey, Period: periodOf(in), State: e.State, InFlight: e.InFlight,
			Reason: lastEventReason(e), CreatedAt: formatTime(in.CreatedAt), NetVATDue: in.Return.NetVATDue, Position: position(in.Return),
		}
		doc.Unresolved = append(doc.Unresolved, item)
		outcome := "UNKNOWN: run 'vat submit' to reconcile"
		if e.InFlight {
			outcome = "being sent now"
		}
		tbl.Rows = append(tbl.Rows, []string{formatTime(in.CreatedAt), shortID(in.ID), in.VRN, periodCell(in), outcome, "", amount(in.Return)})
	}
	for _, e := range list {
		in, r := e.Intent, e.Receipt
		doc.Receipts = append(doc.Receipts, receiptItem{
			ID: in.ID, receiptJSON: receiptJSONOf(r), Period: periodOf(in), RecordedAt: formatTime(r.RecordedAt),
			NetVATDue: in.Return.NetVATDue, Position: position(in.Return),
		})
		tbl.Rows = append(tbl.Rows, []string{formatTime(r.RecordedAt), shortID(in.ID), r.VRN, periodCell(in), r.Outcome, r.FormBundleNumber, amount(in.Return)})
	}
	if len(tbl.Rows) == 0 && !f.jsonOutputRequested() {
		f.status("no submissions recorded yet in %s", j.Dir())
	}
	return f.render(doc, tbl)
}

// receiptShowDoc is `vat receipts show ID -o json`.
type receiptShowDoc struct {
	ID          string          `json:"id"`
	State       receipts.State  `json:"state"`
	InFlight    bool            `json:"inFlight,omitempty"`
	VRN         string          `json:"vrn"`
	PeriodKey   string          `json:"periodKey"`
	Period      periodJSON      `json:"period"`
	Profile     string          `json:"profile,omitempty"`
	ToolVersion string          `json:"toolVersion,omitempty"`
	CreatedAt   string          `json:"createdAt,omitempty"`
	Receipt     *receiptShown   `json:"receipt"`
	Return      json.RawMessage `json:"return"`
	Evidence    evidenceJSON    `json:"evidence"`
	Events      []eventJSON     `json:"events"`
}

type receiptShown struct {
	receiptJSON
	RecordedAt string `json:"recordedAt"`
}

type evidenceJSON struct {
	WorkbookPath   string         `json:"workbookPath"`
	WorkbookSHA256 string         `json:"workbookSha256"`
	Cells          []cellEvidence `json:"cells"`
	Warnings       []string       `json:"warnings"`
}

type cellEvidence struct {
	Box      int             `json:"box"`
	Field    string          `json:"field"`
	Name     string          `json:"name,omitempty"`
	Sheet    string          `json:"sheet,omitempty"`
	Cell     string          `json:"cell,omitempty"`
	Raw      string          `json:"raw,omitempty"`
	Formula  string          `json:"formula,omitempty"`
	Computed bool            `json:"computed,omitempty"`
	Value    vatreturn.Money `json:"value"`
}

type eventJSON struct {
	Type   string `json:"type"`
	Reason string `json:"reason,omitempty"`
	At     string `json:"at"`
}

func receiptsShowRun(ctx context.Context, f *Factory, id string) error {
	j, err := f.Journal()
	if err != nil {
		return err
	}
	e, err := j.Get(ctx, id)
	if errors.Is(err, receipts.ErrNotFound) || errors.Is(err, receipts.ErrAmbiguous) {
		return withKind(KindUsage, err, "see the IDs with 'vat receipts list'")
	}
	if err != nil {
		return err
	}
	in := e.Intent
	ret, err := hmrc.MarshalReturn(in.Return)
	if err != nil {
		// Show what was recorded even if it would not be valid to send today.
		ret, _ = json.Marshal(in.Return)
	}
	doc := receiptShowDoc{
		ID: in.ID, State: e.State, InFlight: e.InFlight, VRN: in.VRN, PeriodKey: in.PeriodKey, Period: periodOf(in),
		Profile: in.Profile, ToolVersion: in.ToolVersion, CreatedAt: formatTime(in.CreatedAt), Return: ret,
		Evidence: evidenceJSON{WorkbookPath: in.Evidence.WorkbookPath, WorkbookSHA256: in.Evidence.WorkbookSHA256,
			Cells: []cellEvidence{}, Warnings: in.Evidence.Warnings},
		Events: []eventJSON{},
	}
	if doc.Evidence.Warnings == nil {
		doc.Evidence.Warnings = []string{}
	}
	if e.Receipt != nil {
		doc.Receipt = &receiptShown{receiptJSON: receiptJSONOf(e.Receipt), RecordedAt: formatTime(e.Receipt.RecordedAt)}
	}
	for _, c := range in.Evidence.Cells {
		doc.Evidence.Cells = append(doc.Evidence.Cells, cellEvidence{
			Box: c.Box, Field: vatreturn.Boxes[c.Box-1].Field, Name: c.Name, Sheet: c.Sheet, Cell: c.Cell,
			Raw: c.Raw, Formula: c.Formula, Computed: c.Computed, Value: c.Value,
		})
	}
	for _, ev := range e.Events {
		doc.Events = append(doc.Events, eventJSON{Type: ev.Type, Reason: ev.Reason, At: formatTime(ev.At)})
	}
	if f.jsonOutputRequested() {
		return ui.WriteJSON(f.IOStreams.Out, doc)
	}
	return f.printSubmission(e)
}

// printSubmission shows one journal entry for people: the receipt first, then the boxes with the
// cells they came from, then the history.
func (f *Factory) printSubmission(e *receipts.Entry) error {
	st := f.Styles()
	w := f.IOStreams.Out
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
	p := periodOf(in)
	period := in.PeriodKey
	if p.Start != "" || p.End != "" {
		period += fmt.Sprintf(" (%s to %s", p.Start, p.End)
		if p.Due != "" {
			period += ", due " + p.Due
		}
		period += ")"
	}
	rows := [][2]string{
		{"VRN", in.VRN},
		{"Period", period},
		{"Profile", in.Profile},
		{"Prepared", strings.TrimSpace(formatTime(in.CreatedAt) + " by vat " + in.ToolVersion)},
	}
	if r := e.Receipt; r != nil {
		rows = append(rows, [][2]string{
			{"Outcome", outcomeText(r.Outcome)},
			{"Processing date", formatTime(r.ProcessingDate)},
			{"Form bundle number", r.FormBundleNumber},
			{"Payment indicator", r.PaymentIndicator},
			{"Charge reference", r.ChargeRefNumber},
			{"Receipt ID", r.ReceiptID},
			{"Receipt timestamp", r.ReceiptTimestamp},
			{"Correlation ID", r.CorrelationID},
			{"Recorded", formatTime(r.RecordedAt)},
		}...)
	}
	rows = append(rows, [2]string{"Amount", amount(in.Return)})
	for _, row := range rows {
		if row[1] != "" {
			fmt.Fprintf(w, "  %-20s %s\n", st.Label.Render(row[0]), row[1])
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Title.Render("Boxes and their digital links"))
	if in.Evidence.WorkbookPath != "" {
		fmt.Fprintf(w, "  %-20s %s\n", st.Label.Render("Workbook"), in.Evidence.WorkbookPath)
	}
	if in.Evidence.WorkbookSHA256 != "" {
		fmt.Fprintf(w, "  %-20s %s\n", st.Label.Render("SHA-256"), in.Evidence.WorkbookSHA256)
	}
	sources := map[int]receipts.CellEvidence{}
	for _, c := range in.Evidence.Cells {
		sources[c.Box] = c
	}
	tbl := ui.Table{Headers: []string{"Box", "Field", "Value", "Source", "Raw", "Formula"}, Right: map[int]bool{2: true}}
	for _, info := range vatreturn.Boxes {
		c, ok := sources[info.Number]
		src := ""
		switch {
		case c.Computed:
			src = "computed by vat"
		case ok:
			src = cellRef(c)
		}
		formula := c.Formula
		if formula != "" && !strings.HasPrefix(formula, "=") {
			formula = "=" + formula
		}
		tbl.Rows = append(tbl.Rows, []string{fmt.Sprint(info.Number), info.Field, in.Return.Box(info.Number).GBP(), src, c.Raw, formula})
	}
	if err := tbl.Render(w, st, f.IOStreams.IsStdoutTTY()); err != nil {
		return err
	}
	for _, warn := range in.Evidence.Warnings {
		fmt.Fprintf(w, "  %s %s\n", st.Warn.Render(st.WarningIcon()), warn)
	}
	if len(e.Events) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.Title.Render("History"))
		for _, ev := range e.Events {
			what := map[string]string{"unknown": "outcome unknown", "cleared": "cleared: not received by HMRC"}[ev.Type]
			fmt.Fprintf(w, "  %s  %s", formatTime(ev.At), what)
			if ev.Reason != "" {
				fmt.Fprintf(w, ": %s", ev.Reason)
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

func receiptJSONOf(r *receipts.Receipt) receiptJSON {
	return receiptJSON{
		VRN: r.VRN, PeriodKey: r.PeriodKey, ProcessingDate: formatTime(r.ProcessingDate), FormBundleNumber: r.FormBundleNumber,
		PaymentIndicator: r.PaymentIndicator, ChargeRefNumber: r.ChargeRefNumber, ReceiptID: r.ReceiptID,
		ReceiptTimestamp: r.ReceiptTimestamp, CorrelationID: r.CorrelationID, Outcome: r.Outcome,
	}
}

func periodOf(in receipts.Intent) periodJSON {
	return periodJSON{Start: in.PeriodStart, End: in.PeriodEnd, Due: in.PeriodDue}
}

// periodCell names the period by its key and, when known, its end date, which is how
// accountants tell quarters apart.
func periodCell(in receipts.Intent) string {
	if in.PeriodEnd == "" {
		return in.PeriodKey
	}
	return in.PeriodKey + " to " + in.PeriodEnd
}

// position says which way the money goes: box 5 is always positive, so the direction comes from
// comparing box 3 with box 4.
func position(r vatreturn.Return) string {
	switch {
	case r.TotalVATDue > r.VATReclaimedCurrPeriod:
		return "payable"
	case r.TotalVATDue < r.VATReclaimedCurrPeriod:
		return "repayable"
	}
	return "nil"
}

func amount(r vatreturn.Return) string {
	switch position(r) {
	case "payable":
		return r.NetVATDue.GBP() + " to pay"
	case "repayable":
		return r.NetVATDue.GBP() + " repayment"
	}
	return "nil return"
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
		sheet := c.Sheet
		if strings.ContainsAny(sheet, " '!-()") {
			sheet = "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
		}
		ref = sheet + "!" + ref
	}
	if c.Name != "" {
		return c.Name + " = " + ref
	}
	return ref
}

// shortID is enough of an ID to pass to 'vat receipts show'.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func lastEventReason(e *receipts.Entry) string {
	for i := len(e.Events) - 1; i >= 0; i-- {
		if e.Events[i].Reason != "" {
			return e.Events[i].Reason
		}
	}
	return ""
}

// reconcileAll asks HMRC about every submission whose outcome is unknown before the journal is
// shown, so the list says what HMRC knows. Listing must work offline too: when HMRC cannot be
// asked (not logged in, no network), the unresolved entries are shown as they are.
func (f *Factory) reconcileAll(ctx context.Context, j *receipts.Journal) {
	open, err := j.OpenIntents(ctx, "")
	if err != nil || len(open) == 0 {
		return
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		f.status("could not ask HMRC about %d unresolved submission(s): %v", len(open), err)
		return
	}
	seen := map[string]bool{}
	for _, in := range open {
		if seen[in.VRN] {
			continue
		}
		seen[in.VRN] = true
		if _, err := f.reconcileOpen(ctx, client, j, in.VRN); err != nil {
			f.status("could not settle the unresolved submission(s) for VRN %s: %v", in.VRN, err)
		}
	}
}
