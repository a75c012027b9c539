package filing

import (
	"context"
	"errors"
	"slices"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
)

// Verdict is what reconciliation established about an earlier submission.
type Verdict int

// The verdicts.
const (
	// Accepted: HMRC holds the very return that was sent (or lists the period fulfilled).
	Accepted Verdict = iota
	// HeldOther: HMRC holds a different return for the period, filed by other means.
	HeldOther
	// NotReceived: HMRC holds nothing for the period; the intent is cleared and the return may be sent.
	NotReceived
	// InFlight: another live vat process is sending it now; only that process may settle it.
	InFlight
)

// Settled is one earlier submission that reconciliation looked at.
type Settled struct {
	Intent  receipts.Intent
	Verdict Verdict
	// Receipt is what was recorded for Accepted and HeldOther.
	Receipt receipts.Receipt
}

// Reconcile settles every open intent for vrn ("" for all) with HMRC before anything new is
// sent. Each is looked up (view the return, then the obligation) and recorded as accepted,
// held-other or cleared. It stops at the first intent HMRC cannot answer about with an
// *UnknownOutcomeError (Sent false); an authorisation failure is returned as it is, so the user
// is told to sign in rather than to wait; the intent then stays open for the next run.
func (f *Filer) Reconcile(ctx context.Context, vrn string) ([]Settled, error) {
	open, err := f.Journal.OpenIntents(ctx, vrn)
	if err != nil {
		return nil, err
	}
	var out []Settled
	for _, in := range open {
		if e, err := f.Journal.Get(ctx, in.ID); err == nil && e.InFlight {
			out = append(out, Settled{Intent: in, Verdict: InFlight})
			continue
		}
		if f.Checking != nil {
			f.Checking(in)
		}
		s, err := f.settle(ctx, in)
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (f *Filer) settle(ctx context.Context, in receipts.Intent) (Settled, error) {
	s := Settled{Intent: in}
	held, resp, err := f.API.Return(ctx, in.VRN, in.PeriodKey)
	switch {
	case err == nil:
		s.Verdict, s.Receipt = Accepted, receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeReconciled}
		if resp != nil {
			s.Receipt.CorrelationID = resp.CorrelationID
		}
		if held.Return != in.Return {
			s.Verdict, s.Receipt.Outcome = HeldOther, receipts.OutcomeAlreadyFiled
		}
		return s, f.Journal.RecordReceipt(ctx, s.Receipt)

	case errors.Is(err, hmrc.ErrNotFound):
		fulfilled, ferr := f.obligationFulfilled(ctx, in)
		if ferr != nil {
			return s, f.undecided(in, ferr)
		}
		if fulfilled {
			s.Verdict, s.Receipt = Accepted, receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeReconciled}
			return s, f.Journal.RecordReceipt(ctx, s.Receipt)
		}
		s.Verdict = NotReceived
		return s, f.Journal.ClearIntent(ctx, in.ID, "reconciled: HMRC holds no return for the period")

	case hmrc.IsRejected(err):
		// HMRC refuses to look the period up at all (an invalid period key, say): it would have
		// refused the same return for the same reasons, so nothing was filed.
		s.Verdict = NotReceived
		return s, f.Journal.ClearIntent(ctx, in.ID, "reconciled: HMRC refused the period ("+ShortCause(err)+")")
	}
	return s, f.undecided(in, err)
}

// undecided keeps the intent open. A login problem is passed on as it is: waiting would not help,
// and a cron job must be told to sign in, not to retry.
func (f *Filer) undecided(in receipts.Intent, err error) error {
	if hmrc.IsAuth(err) || errors.Is(err, context.Canceled) {
		return err
	}
	return &UnknownOutcomeError{PeriodKey: in.PeriodKey, Err: err}
}

// obligationFulfilled reports whether HMRC lists the intent's obligation as fulfilled: the
// return can be filed before view-return shows it.
func (f *Filer) obligationFulfilled(ctx context.Context, in receipts.Intent) (bool, error) {
	start, err1 := hmrc.ParseDate(in.PeriodStart)
	end, err2 := hmrc.ParseDate(in.PeriodEnd)
	if err1 != nil || err2 != nil {
		// Without the dates the obligation cannot be asked for; view-return's 404 stands.
		return false, nil //nolint:nilerr // a verdict, not a failure
	}
	obs, _, err := f.API.Obligations(ctx, in.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: start, To: end})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(obs, func(o hmrc.Obligation) bool { return o.PeriodKey == in.PeriodKey }), nil
}
