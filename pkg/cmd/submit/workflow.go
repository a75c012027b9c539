package submit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// The submission workflow: which period to file, and what HMRC already holds. These are plain
// functions over the HMRC client and the journal, with no cobra and no Factory.

// periodError carries the period key a choice failed on, so an earlier reconciled submission
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
