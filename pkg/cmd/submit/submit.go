// Package submit is `vat submit`: read, check and file a return, keeping the receipt.
package submit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

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
		afterSubmit(ctx, f, client, vrn, ob)
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
func afterSubmit(ctx context.Context, f *cmdutil.Factory, client *hmrc.Client, vrn string, ob *hmrc.Obligation) {
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

// printReconciled reports a submission that reconciliation found accepted.
func printReconciled(f *cmdutil.Factory, p Reconciled) error {
	ob := &hmrc.Obligation{PeriodKey: p.Intent.PeriodKey}
	ob.Start, _ = hmrc.ParseDate(p.Intent.PeriodStart)
	ob.End, _ = hmrc.ParseDate(p.Intent.PeriodEnd)
	ob.Due, _ = hmrc.ParseDate(p.Intent.PeriodDue)
	return printReceipt(f, p.Intent.VRN, ob, p.Intent.Return, p.Receipt)
}
