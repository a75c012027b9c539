// Package submit is `vat submit`: read, check and file a return, keeping the receipt.
package submit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// Declaration is HMRC's legal declaration, shown before every submission.
const Declaration = "When you submit this VAT information you are making a legal declaration that the " +
	"information is true and complete. A false declaration can result in prosecution."

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
workbook's PeriodEnd name; the only open obligation. When several are open, vat lists them
and stops.

On a terminal vat asks for confirmation; without one (cron) --yes must be given.

vat never sends a return twice. It records its intent before sending and the receipt after.
If the outcome is unknown (timeout, dropped connection, HMRC error after sending) it exits 7,
and the next 'vat submit' asks HMRC whether the return arrived before doing anything else.`,
		Example: `  vat submit --workbook q3.xlsx
  vat submit --workbook q3.xlsx --period-end 2026-09-30 --dry-run
  vat submit --workbook q3.xlsx --yes -o json      # cron`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return submitRun(cmd.Context(), opts)
		},
	}
	opts.Workbook.Add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.PeriodKey, "period-key", "", "the obligation's period key, as 'vat obligations' shows it")
	fl.StringVar(&opts.PeriodEnd, "period-end", "", "the end date of the period to file (YYYY-MM-DD)")
	fl.BoolVar(&opts.Yes, "yes", false, "make HMRC's declaration without a prompt (required without a terminal)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "do everything except sending the return")
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
	if opts.PeriodKey != "" && !periodEnd.IsZero() {
		return cmdutil.FlagErrorf("--period-key and --period-end both choose the period: give one")
	}
	if !opts.Yes && !opts.DryRun && !f.IOStreams.CanPrompt() {
		return cmdutil.FlagErrorf("no terminal to confirm HMRC's declaration: pass --yes to make it (e.g. under cron), or --dry-run")
	}

	// Everything about the workbook is settled before anything talks to HMRC: bad data sends nothing.
	res, err := opts.Workbook.Read(ctx, f)
	if err != nil {
		if res != nil && !f.JSONOutput() {
			_ = showBoxesTo(f, res, cmdutil.BadBoxes(err))
		}
		return err
	}
	f.ShowWarnings(res.Warnings)
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

	journal, err := f.Journal()
	if err != nil {
		return err
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		return err
	}
	// Any earlier submission whose fate is unknown is settled with HMRC first.
	settled, err := ReconcileOpen(ctx, client, journal, vrn, f.Status)
	if err != nil {
		return err
	}

	ob, err := choosePeriod(ctx, client, vrn, opts.PeriodKey, periodEnd, res, f.Today)
	if err != nil {
		if prior, ok := settled[periodKeyOf(err)]; ok {
			return printReconciled(f, prior)
		}
		return err
	}
	if prior, ok := settled[ob.PeriodKey]; ok {
		return printReconciled(f, prior)
	}

	preview(f, vrn, ob, res)
	if opts.DryRun {
		f.Status("dry run: nothing was sent to HMRC")
		if f.JSONOutput() {
			ret, err := hmrc.MarshalReturn(res.Return)
			if err != nil {
				return err
			}
			return ui.WriteJSON(f.IOStreams.Out, map[string]any{"dryRun": true, "vrn": vrn, "periodKey": ob.PeriodKey,
				"period": map[string]string{"start": ob.Start.String(), "end": ob.End.String(), "due": ob.Due.String()}, "return": json.RawMessage(ret)})
		}
		return nil
	}
	if !opts.Yes {
		ok, err := f.IOStreams.Confirm("Do you make this declaration and submit the return to HMRC?")
		if err != nil || !ok {
			return cmdutil.WithKind(cmdutil.KindFailure, errors.New("not submitted: the declaration was not made"), "")
		}
	}

	intent := receipts.Intent{
		ID: receipts.NewID(), VRN: vrn, PeriodKey: ob.PeriodKey,
		PeriodStart: ob.Start.String(), PeriodEnd: ob.End.String(), PeriodDue: ob.Due.String(),
		Return: res.Return, Evidence: evidenceOf(res), ToolVersion: build.Version, Profile: s.Profile,
	}
	if err := journal.BeginIntent(ctx, intent); err != nil {
		if errors.Is(err, receipts.ErrOpenIntent) {
			return cmdutil.WithKind(cmdutil.KindUnknownOutcome, err, "another vat process may be submitting this period; run 'vat submit' again once it has finished")
		}
		return fmt.Errorf("recording the submission before sending (nothing was sent): %w", err)
	}

	rcpt, resp, err := client.SubmitReturn(ctx, vrn, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: res.Return, Finalised: true})
	// The journal must hear the outcome even if the user pressed Ctrl-C mid-request.
	jctx := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		r := receipts.Receipt{
			IntentID: intent.ID, VRN: vrn, PeriodKey: ob.PeriodKey, ProcessingDate: rcpt.ProcessingDate,
			FormBundleNumber: rcpt.FormBundleNumber, PaymentIndicator: rcpt.PaymentIndicator, ChargeRefNumber: rcpt.ChargeRefNumber,
			ReceiptID: rcpt.ReceiptID, ReceiptTimestamp: resp.Header.Get("Receipt-Timestamp"), CorrelationID: rcpt.CorrelationID,
			Outcome: receipts.OutcomeAccepted,
		}
		if jerr := journal.RecordReceipt(jctx, r); jerr != nil {
			// HMRC has the return; losing our copy of the receipt must not hide that.
			f.Status("%s HMRC accepted the return but the receipt could not be saved: %v", f.ErrStyles().WarningIcon(), jerr)
		}
		if err := printReceipt(f, vrn, ob, res.Return, r); err != nil {
			return err
		}
		afterSubmit(f, ctx, client, vrn, ob)
		return nil

	case errors.Is(err, hmrc.ErrDuplicateSubmission):
		return alreadyFiled(jctx, client, journal, intent, f.Status)

	case errors.Is(err, hmrc.ErrOutcomeUnknown) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		reason := err.Error()
		if jerr := journal.MarkUnknown(jctx, intent.ID, reason); jerr != nil {
			f.Status("%s could not record the unknown outcome: %v", f.ErrStyles().WarningIcon(), jerr)
		}
		return &cmdutil.Error{Kind: cmdutil.KindUnknownOutcome, Code: "OUTCOME_UNKNOWN",
			Err:  fmt.Errorf("the return for %s was sent but HMRC's answer was lost (%v)", cmdutil.PeriodLabel(*ob), shortCause(err)),
			Hint: "HMRC may or may not have filed it. Run the same 'vat submit' again: it asks HMRC first and never sends twice"}

	default:
		// HMRC refused the request (or it never left): nothing was filed, so the intent is closed.
		if jerr := journal.ClearIntent(jctx, intent.ID, "not filed: "+err.Error()); jerr != nil {
			f.Status("%s could not close the journal entry: %v", f.ErrStyles().WarningIcon(), jerr)
		}
		return err
	}
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

// periodError carries the period key a choice failed on, so an earlier Reconciled submission
// for it can be reported instead.
type periodError struct {
	key string
	error
}

func (e *periodError) Unwrap() error { return e.error }

func periodKeyOf(err error) string {
	var pe *periodError
	if errors.As(err, &pe) {
		return pe.key
	}
	return ""
}

// choosePeriod picks the obligation to file, or explains why it cannot.
func choosePeriod(ctx context.Context, client *hmrc.Client, vrn, key string, end hmrc.Date, res *workbook.Result, today func() hmrc.Date) (*hmrc.Obligation, error) {
	open, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if err != nil {
		return nil, err
	}
	var ob *hmrc.Obligation
	match := func(pred func(hmrc.Obligation) bool) {
		for i := range open {
			if pred(open[i]) {
				ob = &open[i]
				return
			}
		}
	}
	switch {
	case key != "":
		match(func(o hmrc.Obligation) bool { return o.PeriodKey == key })
		if ob == nil {
			if ful := findFulfilled(ctx, client, vrn, today, func(o hmrc.Obligation) bool { return o.PeriodKey == key }); ful != nil {
				return nil, &periodError{key, alreadyFulfilledErr(*ful)}
			}
			return nil, &periodError{key, cmdutil.FlagErrorf("no open obligation has period key %q%s", key, listOpen(open))}
		}
	case !end.IsZero():
		match(func(o hmrc.Obligation) bool { return o.End == end })
		if ob == nil {
			if ful := findFulfilled(ctx, client, vrn, today, func(o hmrc.Obligation) bool { return o.End == end }); ful != nil {
				return nil, &periodError{ful.PeriodKey, alreadyFulfilledErr(*ful)}
			}
			return nil, cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("no open obligation ends on %s%s", end, listOpen(open)),
				"check the period end (the workbook's PeriodEnd name or --period-end)")
		}
	default:
		switch len(open) {
		case 0:
			return nil, cmdutil.WithKind(cmdutil.KindFailure, fmt.Errorf("HMRC lists no open VAT obligation for VRN %s: there is nothing to file", vrn), "see 'vat obligations --status all'")
		case 1:
			ob = &open[0]
		default:
			return nil, cmdutil.FlagErrorf("%d obligations are open; choose one with --period-key or --period-end, or add a PeriodEnd name to the workbook%s", len(open), listOpen(open))
		}
	}
	if !res.PeriodStart.IsZero() && hmrc.DateOf(res.PeriodStart) != ob.Start {
		return nil, cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("the workbook's PeriodStart is %s but the period %s starts on %s; nothing was sent",
			hmrc.DateOf(res.PeriodStart), cmdutil.PeriodLabel(*ob), ob.Start), "check the workbook is for this period")
	}
	if !ob.End.Before(today()) {
		return nil, &cmdutil.Error{Kind: cmdutil.KindInvalidData, Code: hmrc.CodeTaxPeriodNotEnded,
			Err:  fmt.Errorf("the period %s ends on %s: HMRC accepts its return from %s; nothing was sent", cmdutil.PeriodLabel(*ob), ob.End, ob.End.AddDays(1)),
			Hint: "HMRC refuses returns for a tax period that has not ended (TAX_PERIOD_NOT_ENDED)"}
	}
	return ob, nil
}

// findFulfilled looks through the last four years' fulfilled obligations, the span HMRC keeps.
func findFulfilled(ctx context.Context, client *hmrc.Client, vrn string, today func() hmrc.Date, pred func(hmrc.Obligation) bool) *hmrc.Obligation {
	to := today()
	obs, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: to.AddYears(-4).AddDays(1), To: to})
	if err != nil {
		return nil
	}
	for i := range obs {
		if pred(obs[i]) {
			return &obs[i]
		}
	}
	return nil
}

func alreadyFulfilledErr(o hmrc.Obligation) error {
	return &cmdutil.Error{Kind: cmdutil.KindRejected, Code: hmrc.CodeDuplicateSubmission,
		Err:  fmt.Errorf("the return for %s (%s to %s) was already filed; HMRC received it on %s", cmdutil.PeriodLabel(o), o.Start, o.End, o.Received),
		Hint: fmt.Sprintf("see it with 'vat returns %s'", o.PeriodKey)}
}

func listOpen(open []hmrc.Obligation) string {
	if len(open) == 0 {
		return " (HMRC lists no open obligations)"
	}
	var b strings.Builder
	b.WriteString("; open obligations:")
	for _, o := range open {
		fmt.Fprintf(&b, "\n    %-14s %s to %s, due %s  (--period-key %s)", cmdutil.PeriodLabel(o), o.Start, o.End, o.Due, o.PeriodKey)
	}
	return b.String()
}

// preview shows what is about to be sent and HMRC's declaration, on stderr.
func preview(f *cmdutil.Factory, vrn string, ob *hmrc.Obligation, res *workbook.Result) {
	if f.JSONOutput() && !f.IOStreams.IsStderrTTY() {
		return
	}
	st := f.ErrStyles()
	w := f.IOStreams.ErrOut
	fmt.Fprintf(w, "\n%s\n", st.Title.Render("VAT return for "+cmdutil.PeriodLabel(*ob)))
	fmt.Fprintf(w, "  VRN        %s\n  Period     %s to %s\n  Due        %s\n  Workbook   %s\n\n",
		vrn, cmdutil.HumanDate(ob.Start), cmdutil.HumanDate(ob.End), cmdutil.HumanDate(ob.Due), filepath.Base(res.Path))
	_ = cmdutil.BoxesTable(res, nil).Render(w, st, f.IOStreams.IsStderrTTY())
	fmt.Fprintf(w, "\n  %s\n\n", amountLine(res.Return))
	fmt.Fprintln(w, st.Box.Width(min(f.IOStreams.TerminalWidth()-2, 78)).Render(st.Strong.Render("Declaration")+"\n"+Declaration))
}

// showBoxesTo prints the boxes read so far to stderr (submit shows them beside its problems).
func showBoxesTo(f *cmdutil.Factory, res *workbook.Result, bad map[int]bool) error {
	return cmdutil.BoxesTable(res, bad).Render(f.IOStreams.ErrOut, f.ErrStyles(), f.IOStreams.IsStderrTTY())
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

// receiptDoc is `vat submit -o json`, a format scripts depend on.
type receiptDoc struct {
	Receipt cmdutil.ReceiptJSON `json:"receipt"`
	Return  any                 `json:"return"`
}

// printReceipt shows HMRC's receipt: what was filed, what to pay and by when.
func printReceipt(f *cmdutil.Factory, vrn string, ob *hmrc.Obligation, ret vatreturn.Return, r receipts.Receipt) error {
	if f.JSONOutput() {
		b, err := hmrc.MarshalReturn(ret)
		if err != nil {
			return err
		}
		return ui.WriteJSON(f.IOStreams.Out, receiptDoc{Receipt: cmdutil.ReceiptJSON{
			VRN: vrn, PeriodKey: r.PeriodKey, ProcessingDate: cmdutil.FormatTime(r.ProcessingDate), FormBundleNumber: r.FormBundleNumber,
			PaymentIndicator: r.PaymentIndicator, ChargeRefNumber: r.ChargeRefNumber, ReceiptID: r.ReceiptID,
			ReceiptTimestamp: r.ReceiptTimestamp, CorrelationID: r.CorrelationID, Outcome: r.Outcome,
		}, Return: json.RawMessage(b)})
	}
	st := f.Styles()
	w := f.IOStreams.Out
	head := "HMRC accepted the VAT return for " + cmdutil.PeriodLabel(*ob)
	if r.Outcome == receipts.OutcomeReconciled {
		head = "HMRC had already accepted the VAT return for " + cmdutil.PeriodLabel(*ob) + " (the earlier attempt's answer was lost; nothing was sent again)"
	}
	fmt.Fprintf(w, "%s %s\n", st.Good.Render(st.SuccessIcon()), st.Title.Render(head))
	rows := [][2]string{
		{"VRN", vrn},
		{"Period", fmt.Sprintf("%s to %s", ob.Start, ob.End)},
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
		fmt.Fprintf(w, "  %s\n", st.Strong.Render(fmt.Sprintf("To pay: %s by %s (%s)", ret.NetVATDue.GBP(), cmdutil.HumanDate(ob.Due), how)))
	case ret.TotalVATDue < ret.VATReclaimedCurrPeriod:
		fmt.Fprintf(w, "  %s\n", st.Strong.Render(fmt.Sprintf("Repayment due: HMRC owes you %s", ret.NetVATDue.GBP())))
	default:
		fmt.Fprintf(w, "  Nothing to pay and nothing to reclaim\n")
	}
	fmt.Fprintf(w, "  Receipt kept: vat receipts show %s\n", r.IntentID)
	return nil
}

// afterSubmit reads the obligations again, as HMRC recommends, to show the period fulfilled and
// what is next. It is advice only: a failure here changes nothing about the filed return.
func afterSubmit(f *cmdutil.Factory, ctx context.Context, client *hmrc.Client, vrn string, ob *hmrc.Obligation) {
	to := f.Today()
	from := ob.Start
	if to.AddYears(-1).AddDays(1).After(from) {
		from = to.AddYears(-1).AddDays(1)
	}
	all, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{From: from, To: to.AddYears(1).AddDays(-1)})
	if err != nil {
		f.Status("could not read the obligations again: %v", err)
		return
	}
	fulfilled := false
	var next *hmrc.Obligation
	for i, o := range all {
		if o.PeriodKey == ob.PeriodKey && o.Status == hmrc.StatusFulfilled {
			fulfilled = true
		}
		if o.Status == hmrc.StatusOpen && o.PeriodKey != ob.PeriodKey && (next == nil || o.End.Before(next.End)) {
			next = &all[i]
		}
	}
	if fulfilled {
		f.Status("HMRC now shows the %s obligation as fulfilled.", cmdutil.PeriodLabel(*ob))
	} else {
		f.Status("HMRC does not show the %s obligation as fulfilled yet; that can take a few days and needs no action.", cmdutil.PeriodLabel(*ob))
	}
	if next != nil {
		f.Status("Next: %s (%s to %s), due %s.", cmdutil.PeriodLabel(*next), next.Start, next.End, cmdutil.HumanDate(next.Due))
	}
}

// alreadyFiled handles DUPLICATE_SUBMISSION: HMRC already holds a return for the period.
func alreadyFiled(ctx context.Context, client *hmrc.Client, journal *receipts.Journal, in receipts.Intent, status func(format string, args ...any)) error {
	held, resp, err := client.Return(ctx, in.VRN, in.PeriodKey)
	r := receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeAlreadyFiled}
	if resp != nil {
		r.CorrelationID = resp.CorrelationID
	}
	if jerr := journal.RecordReceipt(ctx, r); jerr != nil {
		status("could not close the journal entry: %v", jerr)
	}
	e := &cmdutil.Error{Kind: cmdutil.KindRejected, Code: hmrc.CodeDuplicateSubmission,
		Err:  fmt.Errorf("already filed: HMRC already holds a return for period %s (%s to %s); nothing new was filed", in.PeriodKey, in.PeriodStart, in.PeriodEnd),
		Hint: fmt.Sprintf("see it with 'vat returns %s'. To correct a filed return, tell HMRC of the error (VAT652 or the next return's adjustment)", in.PeriodKey)}
	if err == nil {
		same := held.Return == in.Return
		e.Details = append(e.Details, fmt.Sprintf("the return HMRC holds %s the one in this workbook", map[bool]string{true: "matches", false: "DIFFERS from"}[same]))
		for _, info := range vatreturn.Boxes {
			e.Details = append(e.Details, fmt.Sprintf("box %d %-28s HMRC holds %s", info.Number, info.Field, held.Return.Box(info.Number).GBP()))
		}
	}
	return e
}

// Reconciled is what reconciliation established about an earlier open submission.
type Reconciled struct {
	Intent  receipts.Intent
	Receipt receipts.Receipt
}

// ReconcileOpen settles every open intent for vrn with HMRC before anything new is sent: it views
// the return (and the obligation) and records "accepted by HMRC" or clears the intent. An intent
// HMRC cannot answer about stays open and stops the run with exit 7.
func ReconcileOpen(ctx context.Context, client *hmrc.Client, journal *receipts.Journal, vrn string, status func(format string, args ...any)) (map[string]Reconciled, error) {
	open, err := journal.OpenIntents(ctx, vrn)
	if err != nil {
		return nil, err
	}
	done := map[string]Reconciled{}
	for _, in := range open {
		if e, err := journal.Get(ctx, in.ID); err == nil && e.InFlight {
			// A live vat process is sending this one now; only it may settle it.
			continue
		}
		status("checking with HMRC whether the earlier submission for period %s (started %s) arrived…", in.PeriodKey, in.CreatedAt.Local().Format("2 Jan 15:04"))
		held, resp, err := client.Return(ctx, in.VRN, in.PeriodKey)
		switch {
		case err == nil:
			r := receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeReconciled, CorrelationID: resp.CorrelationID}
			if held.Return != in.Return {
				r.Outcome = receipts.OutcomeAlreadyFiled
			}
			if err := journal.RecordReceipt(ctx, r); err != nil {
				return nil, err
			}
			if r.Outcome == receipts.OutcomeReconciled {
				status("HMRC has that return: recorded as accepted (nothing will be sent again).")
				done[in.PeriodKey] = Reconciled{in, r}
			} else {
				status("HMRC holds a DIFFERENT return for period %s: recorded as already filed.", in.PeriodKey)
			}
		case errors.Is(err, hmrc.ErrNotFound):
			if obligationFulfilled(ctx, client, in) {
				r := receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeReconciled}
				if err := journal.RecordReceipt(ctx, r); err != nil {
					return nil, err
				}
				done[in.PeriodKey] = Reconciled{in, r}
				status("HMRC shows the period fulfilled: recorded as accepted (nothing will be sent again).")
				continue
			}
			if err := journal.ClearIntent(ctx, in.ID, "Reconciled: HMRC holds no return for the period"); err != nil {
				return nil, err
			}
			status("HMRC did not receive it: the earlier attempt is cleared and the return can be sent.")
		default:
			return nil, &cmdutil.Error{Kind: cmdutil.KindUnknownOutcome, Code: "OUTCOME_UNKNOWN",
				Err:  fmt.Errorf("the outcome of the earlier submission for period %s is still unknown: %v", in.PeriodKey, shortCause(err)),
				Hint: "nothing was sent. Try again when HMRC answers; vat will not send a second return while the first may have been accepted"}
		}
	}
	return done, nil
}

// obligationFulfilled reports whether HMRC lists the intent's obligation as fulfilled.
func obligationFulfilled(ctx context.Context, client *hmrc.Client, in receipts.Intent) bool {
	start, err1 := hmrc.ParseDate(in.PeriodStart)
	end, err2 := hmrc.ParseDate(in.PeriodEnd)
	if err1 != nil || err2 != nil {
		return false
	}
	obs, _, err := client.Obligations(ctx, in.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: start, To: end})
	if err != nil {
		return false
	}
	for _, o := range obs {
		if o.PeriodKey == in.PeriodKey {
			return true
		}
	}
	return false
}

// printReconciled reports a submission that reconciliation found accepted.
func printReconciled(f *cmdutil.Factory, p Reconciled) error {
	ob := &hmrc.Obligation{PeriodKey: p.Intent.PeriodKey}
	ob.Start, _ = hmrc.ParseDate(p.Intent.PeriodStart)
	ob.End, _ = hmrc.ParseDate(p.Intent.PeriodEnd)
	ob.Due, _ = hmrc.ParseDate(p.Intent.PeriodDue)
	return printReceipt(f, p.Intent.VRN, ob, p.Intent.Return, p.Receipt)
}

// shortCause names a failure without its chain of wrappers.
func shortCause(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	var ae *hmrc.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("HMRC answered %d %s", ae.StatusCode, ae.Code)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i < 80 {
		return msg[i+2:]
	}
	return msg
}
