// Package submit is `vat submit`: read, check and file a return, keeping the receipt.
package submit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receiptdoc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// Declaration is HMRC's legal declaration for a business, shown before its submission (an
// agent is shown cmdutil.AgentDeclaration instead).
const Declaration = cmdutil.BusinessDeclaration

// SubmitOptions are the inputs of `vat submit`.
type SubmitOptions struct {
	IO *iostreams.IOStreams
	// Factory provides the settings, journal, HMRC client and output helpers.
	Factory *cmdutil.Factory

	Workbook  cmdutil.WorkbookFlags
	PeriodKey string
	PeriodEnd string
	Yes       bool
	DryRun    bool
	// ReceiptPDF is where to print the receipt once HMRC has accepted the return.
	ReceiptPDF string

	// Batch selects an agent's clients (--all-clients), filed by submitAllClients (allclients.go).
	Batch cmdutil.ClientFlags
}

// NewCmdSubmit builds `vat submit`; runF, when not nil, replaces the run (for tests).
func NewCmdSubmit(f *cmdutil.Factory, runF func(*SubmitOptions) error) *cobra.Command {
	opts := &SubmitOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "submit --workbook FILE",
		Short: "Submit the VAT return held in a workbook's named cells",
		Long: `Read and validate the nine boxes, find the open obligation, show HMRC's declaration and
submit the return. The receipt, with the digital-link evidence (workbook, its SHA-256, and the
name, cell and value behind each box), is kept in the local journal ('vat receipts').

The period is, in order: --period-key; the obligation ending on --period-end or on the
workbook's PeriodEnd name; the one open period that has ended (HMRC also lists the current,
unfinished quarter as open). When several ended periods are open, vat lists them and stops.
Submitting the same figures again for a period this journal filed shows its receipt (exit 0);
other figures for a filed period are refused with both returns side by side (exit 5).

On a terminal vat asks for confirmation; without one (cron) --yes must be given.

vat never sends a return twice. It records its intent before sending and the receipt after.
If the outcome is unknown (timeout, dropped connection, HMRC error after sending) it exits 7,
and the next 'vat submit' asks HMRC whether the return arrived before doing anything else.

` + allClientsHelp +
			cmdutil.ScenarioHelp("INVALID_VRN", "INVALID_PERIODKEY", "INVALID_PAYLOAD", "DUPLICATE_SUBMISSION", "TAX_PERIOD_NOT_ENDED", "INSOLVENT_TRADER"),
		Example: `  vat submit --workbook q3.xlsx
  vat submit --workbook q3.xlsx --period-end 2026-09-30 --dry-run
  vat submit --workbook q3.xlsx --yes -o json      # cron
  vat submit --all-clients --yes --method BATCH_PROCESS_DIRECT -o json   # a practice, under cron`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			if opts.Batch.Used() {
				return submitAllClients(cmd.Context(), f, cmd.Flags(), &opts.Batch, opts.Yes, opts.DryRun)
			}
			return submitRun(cmd.Context(), opts)
		},
	}
	cmdutil.NoCSVUnless(cmd, "all-clients")
	opts.Workbook.Add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.PeriodKey, "period-key", "", "the obligation's period key, as 'vat obligations' shows it")
	fl.StringVar(&opts.PeriodEnd, "period-end", "", "the end date of the period to file (YYYY-MM-DD or DD/MM/YYYY)")
	fl.BoolVar(&opts.Yes, "yes", false, "make HMRC's declaration without a prompt (required without a terminal)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "do everything except sending the return")
	fl.StringVar(&opts.ReceiptPDF, "receipt-pdf", "", "after filing, write the return, HMRC's receipt and the digital-link evidence to this PDF")
	opts.Batch.Add(cmd)
	return cmd
}

func submitRun(ctx context.Context, opts *SubmitOptions) error {
	f := opts.Factory
	s, err := f.Settings()
	if err != nil {
		return err
	}
	periodEnd, err := cmdutil.ParseDateFlag("period-end", opts.PeriodEnd)
	if err != nil {
		return err
	}
	opts.PeriodKey = cmdutil.PeriodKey(opts.PeriodKey)
	if opts.PeriodKey != "" && !periodEnd.IsZero() {
		return cmdutil.FlagErrorf("--period-key and --period-end both choose the period: give one")
	}
	if opts.ReceiptPDF != "" && !strings.EqualFold(filepath.Ext(opts.ReceiptPDF), ".pdf") {
		return cmdutil.FlagErrorf("--receipt-pdf %s: the file name must end in .pdf", opts.ReceiptPDF)
	}
	if opts.ReceiptPDF != "" {
		// Found now, not after the return is filed.
		if err := receiptdoc.CheckFolder(opts.ReceiptPDF); err != nil {
			return cmdutil.FlagErrorf("--receipt-pdf %w", err)
		}
	}
	if !opts.Yes && !opts.DryRun && !f.IOStreams.CanPrompt() {
		return cmdutil.FlagErrorf("no terminal to confirm HMRC's declaration: pass --yes to make it (e.g. under cron), or --dry-run")
	}

	// Everything about the workbook is settled before anything talks to HMRC: bad data sends nothing.
	// --period-end also picks the row of a CSV file that holds one row per period.
	res, err := opts.Workbook.ReadOpts(ctx, f, workbook.Options{Round: opts.Workbook.Round, PeriodEnd: dateTime(periodEnd)})
	if err != nil {
		if res != nil && !f.JSONOutput() {
			_ = showBoxesTo(f, res, cmdutil.BadBoxes(err))
		}
		return err
	}
	f.ShowWarnings(res.Warnings)
	if res.ExampleRows > 0 && opts.Yes && !opts.DryRun {
		// At a prompt the user reads the warning before declaring; --yes (cron) has nobody to.
		return cmdutil.WithKind(cmdutil.KindInvalidData, &workbook.ExampleRowsError{Path: res.Path, Rows: res.ExampleRows},
			"replace the example rows on the Ledger sheet with the period's own transactions, and run again")
	}
	vrn, err := submitVRN(s.VRN, res)
	if err != nil {
		return err
	}
	if err := workbookPeriodAgrees(res, periodEnd); err != nil {
		return err
	}
	if periodEnd.IsZero() && !res.PeriodEnd.IsZero() {
		periodEnd = hmrc.DateOf(res.PeriodEnd)
	}

	filer, err := f.Filer(ctx)
	if err != nil {
		return err
	}
	// Any earlier submission whose fate is unknown is settled with HMRC first.
	settled, err := filer.Reconcile(ctx, vrn)
	for _, st := range settled {
		f.SayReconciled(st)
	}
	if err != nil {
		return err
	}
	accepted := map[string]filing.Settled{}
	for _, st := range settled {
		if st.Verdict == filing.Accepted {
			accepted[st.Intent.PeriodKey] = st
		}
	}

	choice := filing.Choice{Key: opts.PeriodKey, End: periodEnd, EndFrom: "--period-end"}
	if !res.PeriodStart.IsZero() {
		choice.WorkbookStart = hmrc.DateOf(res.PeriodStart)
	}
	if opts.PeriodEnd == "" && !periodEnd.IsZero() {
		choice.EndFrom = "the workbook's PeriodEnd name"
	}
	ob, err := filer.ChoosePeriod(ctx, vrn, choice)
	var filed *filing.AlreadyFiledError
	switch {
	case errors.As(err, &filed):
		if prior, ok := accepted[filed.Obligation.PeriodKey]; ok {
			return printReconciled(f, prior)
		}
		return alreadyFiled(ctx, f, filer, vrn, filed, res.Return)
	case err != nil:
		return err
	}
	if prior, ok := accepted[ob.PeriodKey]; ok {
		return printReconciled(f, prior)
	}

	declKey, declText, err := f.Declaration()
	if err != nil {
		return err
	}
	if opts.DryRun {
		// The preview is what a dry run produces: on stdout, so '> preview.txt' keeps it.
		if _, err := hmrc.MarshalReturn(res.Return); err != nil {
			return err
		}
		err := f.Output(Doc{DryRun: true, VRN: vrn, PeriodKey: ob.PeriodKey, Period: periodOf(ob), Return: cmdutil.ReturnOf(res.Return),
			Warnings: warningsOf(res.Warnings), Declaration: declKey,
			text: func(w io.Writer, v cmdutil.Term) error { previewTo(f, w, v, vrn, ob, res, declText); return nil }})
		f.Status("dry run: nothing was sent to HMRC")
		return err
	}
	preview(f, vrn, ob, res, declText)
	if !opts.Yes {
		ok, err := f.IOStreams.Confirm("Do you make this declaration and submit the return to HMRC?")
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return &cmdutil.Error{Kind: cmdutil.KindInterrupted, Err: errors.New("interrupted: the declaration was not made and nothing was sent")}
		}
		if err != nil || !ok {
			return cmdutil.WithKind(cmdutil.KindFailure, errors.New("not submitted: the declaration was not made"), "")
		}
	}

	out, err := filer.Submit(ctx, filing.Submission{VRN: vrn, Obligation: *ob, Return: res.Return, Evidence: evidenceOf(res),
		Profile: s.Profile, ToolVersion: build.Version, Declaration: declKey})
	var unsaved *filing.ReceiptNotSavedError
	switch {
	case errors.As(err, &unsaved):
		// HMRC has the return and this is the only copy of its proof: show all of it, on stderr
		// so that it survives even a redirected stdout, before saying what went wrong.
		var ur *receipts.UnrecordedReceiptError
		if errors.As(err, &ur) {
			// The journal's own line for the receipt: appended to the journal, it records it.
			fmt.Fprintf(f.IOStreams.ErrOut, "%s\n", ur.JSON())
			return cmdutil.WithKind(cmdutil.KindFailure, err, fmt.Sprintf("the return IS filed. Save the line above now; once there is space, append it to %s to record HMRC's receipt", ur.Journal))
		}
		r := cmdutil.ReceiptJSONOf(&unsaved.Receipt)
		doc := Doc{ID: unsaved.Receipt.IntentID, VRN: vrn, PeriodKey: ob.PeriodKey, Period: periodOf(ob), Receipt: &r, Return: cmdutil.ReturnOf(res.Return), Warnings: warningsOf(res.Warnings)}
		_ = ui.WriteJSON(f.IOStreams.ErrOut, doc)
		return err
	case errors.Is(err, context.Canceled) && !errors.As(err, new(*filing.UnknownOutcomeError)):
		// Only a Ctrl-C before the return left comes back as a bare cancellation: one after it
		// left is an unknown outcome, which must be reported (exit 7) and reconciled.
		return &cmdutil.Error{Kind: cmdutil.KindInterrupted, Err: errors.New("interrupted before the return left: nothing was sent to HMRC")}
	case err != nil:
		return err
	}
	if err := printReceipt(f, vrn, ob, res.Return, out.Receipt, res.Warnings, declKey, false); err != nil {
		return err
	}
	printTo := opts.ReceiptPDF
	if printTo == "" {
		if file, err := f.ConfigFile(); err == nil && file.Profiles[s.Profile].ReceiptPDF != "" {
			printTo, err = receiptdoc.ExpandPath(file.Profiles[s.Profile].ReceiptPDF, out.Intent)
			if err == nil {
				err = os.MkdirAll(filepath.Dir(printTo), 0o700)
			}
			if err != nil {
				f.Status("%s the return is filed, but the profile's receipt_pdf could not be used: %v", f.ErrStyles().WarningIcon(), err)
				printTo = ""
			}
		}
	}
	if printTo != "" {
		// The return is filed whatever happens here; a failure only costs the printout.
		r := out.Receipt
		entry := receipts.Entry{Intent: out.Intent, State: receipts.StateReceipted, Receipt: &r}
		if err := receiptdoc.WriteFile(printTo, receiptdoc.Document{Entry: entry, Declaration: Declaration, Printed: f.Now()}); err != nil {
			f.Status("%s the return is filed, but the PDF could not be written: %v (run 'vat receipts show %s --pdf FILE')", f.ErrStyles().WarningIcon(), err, out.Intent.ID)
		} else {
			f.Status("receipt written to %s", printTo)
		}
	}
	fulfilled, next, err := filer.After(ctx, vrn, *ob)
	switch {
	case err != nil:
		// Advice only: the return is filed whatever this says.
		f.Status("could not read the obligations again: %v", err)
	case fulfilled:
		f.Status("HMRC now shows the %s obligation as fulfilled.", cmdutil.PeriodLabel(*ob))
	default:
		f.Status("HMRC does not show the %s obligation as fulfilled yet; that can take a few days and needs no action.", cmdutil.PeriodLabel(*ob))
	}
	if next != nil {
		f.Status("Next: %s (%s to %s), due %s.", cmdutil.PeriodLabel(*next), cmdutil.HumanDate(next.Start), cmdutil.HumanDate(next.End), cmdutil.HumanDate(next.Due))
	}
	return nil
}

// alreadyFiled answers a submit for a period HMRC lists as filed. Running an accepted submit
// again (same figures, this journal holds HMRC's receipt) is not an error: it says so and shows
// the receipt. Anything else is refused, with both returns side by side when they differ.
func alreadyFiled(ctx context.Context, f *cmdutil.Factory, filer *filing.Filer, vrn string, filed *filing.AlreadyFiledError, ret vatreturn.Return) error {
	d, err := filer.CompareFiled(ctx, vrn, filed.Obligation, ret)
	if err == nil && d.Resubmitted() {
		f.Status("This return was already filed with exactly these figures; nothing was sent again.")
		ob := filed.Obligation
		return printReceipt(f, vrn, &ob, d.Ours.Intent.Return, *d.Ours.Receipt, d.Ours.Intent.Evidence.Warnings, d.Ours.Intent.Declaration, true)
	}
	e := cmdutil.Classify(filed)
	if err == nil && d.Held != nil {
		e.Items = cmdutil.CompareBoxes(ret, *d.Held)
	}
	return e
}

func dateTime(d hmrc.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.Time()
}

func periodOf(ob *hmrc.Obligation) cmdutil.PeriodJSON {
	return cmdutil.PeriodJSON{Start: ob.Start.String(), End: ob.End.String(), Due: ob.Due.String()}
}

func warningsOf(ws []string) []string {
	if ws == nil {
		return []string{}
	}
	return ws
}

// submitVRN reconciles the profile's VRN with the workbook's VRN name.
func submitVRN(profileVRN string, res *workbook.Result) (string, error) {
	switch {
	case profileVRN != "" && res.VRN != "" && profileVRN != res.VRN:
		return "", cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("the workbook's VRN name holds %s but this profile files for %s; nothing was sent", res.VRN, profileVRN),
			"check you opened the right client's workbook, or pass --vrn / --profile for that business")
	case profileVRN != "":
		return profileVRN, nil
	case res.VRN != "":
		return res.VRN, nil
	}
	return "", cmdutil.FlagErrorf("no VAT registration number: pass --vrn, set VAT_VRN, or add a VRN name to the workbook")
}

// workbookPeriodAgrees refuses a --period-end that contradicts the workbook's own PeriodEnd.
func workbookPeriodAgrees(res *workbook.Result, periodEnd hmrc.Date) error {
	if periodEnd.IsZero() || res.PeriodEnd.IsZero() {
		return nil
	}
	if we := hmrc.DateOf(res.PeriodEnd); we != periodEnd {
		return cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("--period-end %s but the workbook's PeriodEnd is %s; nothing was sent", periodEnd, we),
			"fix PeriodEnd in the workbook or drop --period-end")
	}
	return nil
}

// preview shows what is about to be sent and HMRC's declaration, on stderr.
// lateness says what a return filed today after its due date means, in the terms of HMRC's
// penalty regime (https://www.gov.uk/guidance/vat-penalties-and-interest): "" when not late.
func lateness(due, today hmrc.Date) string {
	if due.IsZero() || !due.Before(today) {
		return ""
	}
	days := int(today.Time().Sub(due.Time()).Hours() / 24)
	return fmt.Sprintf("OVERDUE: this return was due on %s (%d day%s ago). Filing it late earns a late submission point;"+
		" at the threshold (4 points for quarterly returns) each late return costs a £200 penalty. Any VAT owed is also late:"+
		" pay it now, as late payment interest and penalties run from the due date.", cmdutil.HumanDate(due), days, plural(days))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func preview(f *cmdutil.Factory, vrn string, ob *hmrc.Obligation, res *workbook.Result, declaration string) {
	if f.JSONOutput() && !f.IOStreams.IsStderrTTY() {
		return
	}
	fmt.Fprintln(f.IOStreams.ErrOut)
	previewTo(f, f.IOStreams.ErrOut, cmdutil.Term{Styles: f.ErrStyles(), TTY: f.IOStreams.IsStderrTTY(), Width: f.IOStreams.TerminalWidth()},
		vrn, ob, res, declaration)
}

// previewTo writes the return as it would be filed, and the declaration: on stderr before a
// filing (stdout keeps the receipt), and as the result itself of a dry run.
func previewTo(f *cmdutil.Factory, w io.Writer, v cmdutil.Term, vrn string, ob *hmrc.Obligation, res *workbook.Result, declaration string) {
	st := v.Styles
	fmt.Fprintf(w, "%s\n", st.Title.Render("VAT return for "+cmdutil.PeriodLabel(*ob)))
	fmt.Fprintf(w, "  VRN        %s\n  Period     %s to %s\n  Due        %s\n  Workbook   %s\n\n",
		vrn, cmdutil.HumanDate(ob.Start), cmdutil.HumanDate(ob.End), cmdutil.HumanDate(ob.Due), filepath.Base(res.Path))
	if late := lateness(ob.Due, f.Today()); late != "" {
		if v.TTY {
			late = ui.WrapWords(late, v.Width, 2)
		}
		fmt.Fprintf(w, "%s\n\n", ui.RenderLines(st.Warn, "  "+late))
	}
	tbl := cmdutil.BoxesTable(res, nil)
	tbl.Width = v.Width
	_ = tbl.Render(w, st, v.TTY)
	fmt.Fprintf(w, "\n  %s\n\n", amountLine(res.Return))
	fmt.Fprintln(w, st.Box.Width(min(v.Width-2, 78)).Render(st.Strong.Render("Declaration")+"\n"+declaration))
}

// showBoxesTo prints the boxes read so far to stderr (submit shows them beside its problems).
func showBoxesTo(f *cmdutil.Factory, res *workbook.Result, bad map[int]bool) error {
	tbl := cmdutil.BoxesTable(res, bad)
	tbl.Width = f.IOStreams.TerminalWidth()
	return tbl.Render(f.IOStreams.ErrOut, f.ErrStyles(), f.IOStreams.IsStderrTTY())
}

// amountLine says in words what box 5 means.
func amountLine(r vatreturn.Return) string {
	switch {
	case r.TotalVATDue > r.VATReclaimedCurrPeriod:
		return "You will owe HMRC " + r.NetVATDue.GBP()
	case r.TotalVATDue < r.VATReclaimedCurrPeriod:
		return "HMRC will owe you " + r.NetVATDue.GBP() + " (a repayment)"
	}
	return "Nothing to pay and nothing to reclaim"
}

func evidenceOf(res *workbook.Result) receipts.Evidence {
	ev := receipts.Evidence{WorkbookPath: res.Path, WorkbookSHA256: res.SHA256, Warnings: res.Warnings}
	if abs, err := filepath.Abs(res.Path); err == nil {
		ev.WorkbookPath = abs
	}
	for i, src := range res.Sources {
		ev.Cells = append(ev.Cells, receipts.CellEvidence{
			Box: i + 1, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Raw: src.Raw, Formula: src.Formula,
			Computed: src.Computed, Value: res.Return.Box(i + 1),
		})
	}
	return ev
}

// Doc is `vat submit -o json`, a format scripts depend on: the receipt HMRC gave (absent on a
// dry run), the return as sent, and the workbook's warnings, as 'vat check -o json' shows them.
type Doc struct {
	DryRun bool `json:"dryRun,omitempty"`
	// ID is the journal's ID of the submission, for 'vat receipts show' (absent on a dry run).
	ID string `json:"id,omitempty" jsonschema:"description=the local journal's ID of this submission: vat receipts show ID"`
	// AlreadyFiled says this run sent nothing because HMRC already had this return: filed
	// with exactly these figures by an earlier run, or by an earlier attempt whose answer was
	// lost (then receipt.outcome says so). False when this run filed it, and on a dry run.
	AlreadyFiled bool                 `json:"alreadyFiled" jsonschema:"description=true when this run sent nothing because HMRC already had this return with exactly these figures"`
	VRN          string               `json:"vrn"`
	PeriodKey    string               `json:"periodKey"`
	Period       cmdutil.PeriodJSON   `json:"period"`
	Receipt      *cmdutil.ReceiptJSON `json:"receipt,omitempty"`
	Return       cmdutil.ReturnJSON   `json:"return"`
	Warnings     []string             `json:"warnings"`
	// Declaration is which of HMRC's declarations was made (or, on a dry run, would be).
	Declaration string `json:"declaration,omitempty" jsonschema:"enum=business,enum=agent"`

	text func(io.Writer, cmdutil.Term) error
}

// Text is the receipt for people; a dry run's preview has already been shown on stderr.
func (d Doc) Text(w io.Writer, v cmdutil.Term) error {
	if d.text == nil {
		return nil
	}
	return d.text(w, v)
}

// printReceipt shows HMRC's receipt: what was filed, what to pay and by when.
func printReceipt(f *cmdutil.Factory, vrn string, ob *hmrc.Obligation, ret vatreturn.Return, r receipts.Receipt, warnings []string, declaration string, already bool) error {
	if _, err := hmrc.MarshalReturn(ret); err != nil {
		return err
	}
	if r.PeriodKey == "" {
		// A reconciled receipt records only what reconciliation learnt; the period is the intent's.
		r.PeriodKey = ob.PeriodKey
	}
	rj := cmdutil.ReceiptJSONOf(&r)
	rj.VRN = vrn
	doc := Doc{ID: r.IntentID, AlreadyFiled: already, VRN: vrn, PeriodKey: ob.PeriodKey, Period: periodOf(ob), Receipt: &rj, Return: cmdutil.ReturnOf(ret),
		Warnings: warningsOf(warnings), Declaration: declaration,
		text: func(w io.Writer, v cmdutil.Term) error { return receiptText(f, w, v, vrn, ob, ret, r) }}
	return f.Output(doc)
}

func receiptText(f *cmdutil.Factory, w io.Writer, v cmdutil.Term, vrn string, ob *hmrc.Obligation, ret vatreturn.Return, r receipts.Receipt) error {
	st := v.Styles
	// say writes one of the receipt's sentences indented by two, wrapped between words to the
	// terminal (an amount has no space in it, so it is never split); each line is styled
	// alone, as a styled block pads every line to the widest.
	say := func(style lipgloss.Style, line string) {
		if v.TTY && v.Width > 0 {
			line = ui.WrapWords(line, v.Width, 2)
		}
		for _, l := range strings.Split(line, "\n") {
			fmt.Fprintf(w, "  %s\n", style.Render(strings.TrimLeft(l, " ")))
		}
	}
	head := "HMRC accepted the VAT return for " + cmdutil.PeriodLabel(*ob)
	if r.Outcome == receipts.OutcomeReconciled {
		head = "HMRC had already accepted the VAT return for " + cmdutil.PeriodLabel(*ob) + " (the earlier attempt's answer was lost; nothing was sent again)"
	}
	icon := st.SuccessIcon()
	if v.TTY && v.Width > 0 {
		head = ui.WrapWords(head, v.Width, ansi.StringWidth(icon)+1)
	}
	for i, l := range strings.Split(head, "\n") {
		if i == 0 {
			fmt.Fprintf(w, "%s %s\n", st.Good.Render(icon), st.Title.Render(l))
			continue
		}
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", ansi.StringWidth(icon)+1), st.Title.Render(strings.TrimLeft(l, " ")))
	}
	rows := [][2]string{
		{"VRN", vrn},
		{"Period", cmdutil.HumanDate(ob.Start) + " to " + cmdutil.HumanDate(ob.End)},
		{"Processing date", cmdutil.FormatTime(r.ProcessingDate)},
		{"Form bundle number", r.FormBundleNumber},
		{"Receipt ID", r.ReceiptID},
		{"Receipt timestamp", r.ReceiptTimestamp},
		{"Correlation ID", r.CorrelationID},
		{"Charge reference", r.ChargeRefNumber},
	}
	for _, row := range rows {
		if row[1] != "" {
			fmt.Fprintf(w, "  %-20s %s\n", row[0], row[1])
		}
	}
	switch {
	case ret.TotalVATDue > ret.VATReclaimedCurrPeriod:
		how := "pay HMRC by bank transfer or card"
		if r.PaymentIndicator == "DD" {
			how = "HMRC will collect it by Direct Debit"
		}
		if ob.Due.Before(f.Today()) {
			act := "pay now (" + how + ")"
			if r.PaymentIndicator == "DD" {
				// Telling a Direct Debit payer to "pay now" would have them pay twice.
				act = "HMRC will collect it by Direct Debit a few working days after this return, so do not pay it separately"
			}
			say(st.Warn, fmt.Sprintf("To pay: %s, OVERDUE since %s: %s; late payment interest runs from the due date",
				ret.NetVATDue.GBP(), cmdutil.HumanDate(ob.Due), act))
		} else {
			say(st.Strong, fmt.Sprintf("To pay: %s by %s (%s)", ret.NetVATDue.GBP(), cmdutil.HumanDate(ob.Due), how))
		}
	case ret.TotalVATDue < ret.VATReclaimedCurrPeriod:
		say(st.Strong, fmt.Sprintf("Repayment due: HMRC owes you %s", ret.NetVATDue.GBP()))
	default:
		fmt.Fprintf(w, "  Nothing to pay and nothing to reclaim\n")
	}
	fmt.Fprintf(w, "  Receipt kept: vat receipts show %s\n", r.IntentID)
	return nil
}

// printReconciled reports a submission that reconciliation found accepted.
func printReconciled(f *cmdutil.Factory, p filing.Settled) error {
	ob := &hmrc.Obligation{PeriodKey: p.Intent.PeriodKey}
	ob.Start, _ = hmrc.ParseDate(p.Intent.PeriodStart)
	ob.End, _ = hmrc.ParseDate(p.Intent.PeriodEnd)
	ob.Due, _ = hmrc.ParseDate(p.Intent.PeriodDue)
	return printReceipt(f, p.Intent.VRN, ob, p.Intent.Return, p.Receipt, p.Intent.Evidence.Warnings, p.Intent.Declaration, true)
}
