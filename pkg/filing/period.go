package filing

import (
	"context"
	"slices"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Choice says which period to file. With neither Key nor End, the one open period that has
// ended is chosen: HMRC lists the current, unfinished quarter as open too, and it cannot be filed.
type Choice struct {
	Key string
	End hmrc.Date
	// EndFrom says where End came from ("--period-end", "the workbook's PeriodEnd ('VAT Return'!B3)"),
	// so that a refusal names the thing to fix.
	EndFrom string
	// WorkbookStart, when set, must be the chosen period's first day.
	WorkbookStart hmrc.Date
}

// ChoosePeriod picks the obligation to file, or returns a typed error saying why it cannot:
// *NoSuchPeriodError, *AlreadyFiledError, *AmbiguousError, *NothingOpenError, *NotEndedError,
// *WorkbookMismatchError, or HMRC's error.
func (f *Filer) ChoosePeriod(ctx context.Context, vrn string, c Choice) (*hmrc.Obligation, error) {
	open, _, err := f.API.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if err != nil {
		return nil, err
	}
	today := f.today()
	var ended []hmrc.Obligation
	for _, o := range open {
		if o.End.Before(today) {
			ended = append(ended, o)
		}
	}
	var ob *hmrc.Obligation
	pick := func(match func(hmrc.Obligation) bool, from string) error {
		if i := slices.IndexFunc(open, match); i >= 0 {
			ob = &open[i]
			return nil
		}
		if ful := f.findFulfilled(ctx, vrn, match); ful != nil {
			return &AlreadyFiledError{Obligation: *ful, From: from, Open: ended}
		}
		return &NoSuchPeriodError{Key: c.Key, End: c.End, From: from, Open: open}
	}
	switch {
	case c.Key != "":
		err = pick(func(o hmrc.Obligation) bool { return o.PeriodKey == c.Key }, "--period-key "+c.Key)
	case !c.End.IsZero():
		err = pick(func(o hmrc.Obligation) bool { return o.End == c.End }, c.EndFrom)
	case len(ended) == 1:
		ob = &ended[0]
	case len(ended) > 1:
		err = &AmbiguousError{Open: ended}
	case len(open) > 0:
		first := slices.MinFunc(open, func(a, b hmrc.Obligation) int { return a.End.Compare(b.End) })
		err = &NotEndedError{Obligation: first}
	default:
		err = &NothingOpenError{VRN: vrn}
	}
	if err != nil {
		return nil, err
	}
	if !c.WorkbookStart.IsZero() && c.WorkbookStart != ob.Start {
		return nil, &WorkbookMismatchError{Obligation: *ob, WorkbookStart: c.WorkbookStart}
	}
	if !ob.End.Before(today) {
		return nil, &NotEndedError{Obligation: *ob}
	}
	return ob, nil
}

// findFulfilled looks through the fulfilled obligations of the four years HMRC keeps. It is
// advice for a message: a failure to look means "not found", never an error of its own.
func (f *Filer) findFulfilled(ctx context.Context, vrn string, match func(hmrc.Obligation) bool) *hmrc.Obligation {
	obs, _, err := f.API.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusFulfilled, From: f.historyFrom(), To: f.today()})
	if err != nil {
		return nil
	}
	if i := slices.IndexFunc(obs, match); i >= 0 {
		return &obs[i]
	}
	return nil
}

// Filed compares a period HMRC already holds with the return about to be filed for it.
type Filed struct {
	Obligation hmrc.Obligation
	// Ours is this journal's record of filing the period, when it holds one.
	Ours *receipts.Entry
	// Held is the return HMRC holds, when it was read (nil when Ours already settles the question
	// or HMRC could not be asked).
	Held *vatreturn.Return
	// Same is true when the figures about to be filed equal the ones filed.
	Same bool
}

// Resubmitted is the answer to running an accepted submit again: true when this journal holds
// HMRC's receipt for exactly these figures, so there is nothing to do and nothing wrong.
func (d *Filed) Resubmitted() bool { return d.Ours != nil && d.Same }

// CompareFiled says whether ret is what was filed for the period ob. The journal answers when it
// holds an accepted submission for the period; otherwise HMRC's copy is read.
func (f *Filer) CompareFiled(ctx context.Context, vrn string, ob hmrc.Obligation, ret vatreturn.Return) (*Filed, error) {
	d := &Filed{Obligation: ob}
	entries, err := f.Journal.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		e := &entries[i]
		if e.Intent.VRN == vrn && e.Intent.PeriodKey == ob.PeriodKey && e.Receipt != nil && e.Receipt.Outcome != receipts.OutcomeAlreadyFiled {
			d.Ours = e
			if e.Intent.Return == ret {
				d.Same = true
				return d, nil
			}
			break
		}
	}
	held, _, err := f.API.Return(ctx, vrn, ob.PeriodKey)
	if err != nil {
		return d, err
	}
	d.Held = &held.Return
	d.Same = held.Return == ret
	return d, nil
}

// After reads the obligations again once a return is filed, as HMRC asks software to: whether
// HMRC already shows the period fulfilled (it can take a few days) and which period is next.
func (f *Filer) After(ctx context.Context, vrn string, filed hmrc.Obligation) (fulfilled bool, next *hmrc.Obligation, err error) {
	to := f.today()
	// HMRC answers at most a year a call; the filed period is recent, so one window covers it.
	from := filed.Start
	if yearAgo := to.AddYears(-1).AddDays(1); yearAgo.After(from) {
		from = yearAgo
	}
	all, _, err := f.API.Obligations(ctx, vrn, hmrc.ObligationsOptions{From: from, To: to.AddYears(1).AddDays(-1)})
	if err != nil {
		return false, nil, err
	}
	for i, o := range all {
		if o.PeriodKey == filed.PeriodKey && o.Status == hmrc.StatusFulfilled {
			fulfilled = true
		}
		if o.Status == hmrc.StatusOpen && o.PeriodKey != filed.PeriodKey && (next == nil || o.End.Before(next.End)) {
			next = &all[i]
		}
	}
	return fulfilled, next, nil
}
