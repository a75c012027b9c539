package filing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Label names a period for people: "Q3 2026 (Jul–Sep)"-style labels need the dates, so the key
// and the end date are used, which is what HMRC's own letters quote.
func Label(o hmrc.Obligation) string {
	if o.End.IsZero() {
		return o.PeriodKey
	}
	return fmt.Sprintf("%s (ending %s)", o.PeriodKey, o.End)
}

// NothingOpenError: HMRC lists no open obligation for the VRN.
type NothingOpenError struct{ VRN string }

func (e *NothingOpenError) Error() string {
	return fmt.Sprintf("HMRC lists no open VAT obligation for VRN %s: there is nothing to file", e.VRN)
}

// NotEndedError: the period asked for (or the only open one) has not ended, and HMRC refuses a
// return before the day after the period's end (TAX_PERIOD_NOT_ENDED).
type NotEndedError struct{ Obligation hmrc.Obligation }

func (e *NotEndedError) Error() string {
	o := e.Obligation
	return fmt.Sprintf("the period %s runs to %s: HMRC accepts its return from %s; nothing was sent", Label(o), o.End, o.End.AddDays(1))
}

// AmbiguousError: several ended periods are open and nothing says which one the workbook is for.
type AmbiguousError struct{ Open []hmrc.Obligation }

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%d ended periods are open and nothing says which this workbook is for%s", len(e.Open), ListOpen(e.Open))
}

// NoSuchPeriodError: no open obligation has the key or end date asked for, and none filed either.
type NoSuchPeriodError struct {
	Key  string    // the period key asked for, or ""
	End  hmrc.Date // the end date asked for, or zero
	From string    // where the end date came from, e.g. "the workbook's PeriodEnd ('VAT Return'!B3)"
	Open []hmrc.Obligation
}

func (e *NoSuchPeriodError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("no open obligation has period key %q%s", e.Key, ListOpen(e.Open))
	}
	return fmt.Sprintf("no open obligation ends on %s (%s)%s", e.End, e.From, ListOpen(e.Open))
}

// AlreadyFiledError: HMRC lists the period as fulfilled. Open lists the periods that can still be
// filed, so the message can point at the one the user probably meant.
type AlreadyFiledError struct {
	Obligation hmrc.Obligation
	From       string // where the period choice came from, as in NoSuchPeriodError
	Open       []hmrc.Obligation
}

func (e *AlreadyFiledError) Error() string {
	o := e.Obligation
	msg := fmt.Sprintf("the return for %s (%s to %s) was already filed; HMRC received it on %s", o.PeriodKey, o.Start, o.End, o.Received)
	if e.From != "" {
		msg += " (the period was chosen by " + e.From + ")"
	}
	return msg + ListOpen(e.Open)
}

// WorkbookMismatchError: the workbook's own period start disagrees with the chosen obligation.
type WorkbookMismatchError struct {
	Obligation    hmrc.Obligation
	WorkbookStart hmrc.Date
}

func (e *WorkbookMismatchError) Error() string {
	return fmt.Sprintf("the workbook's PeriodStart is %s but the period %s starts on %s; nothing was sent",
		e.WorkbookStart, Label(e.Obligation), e.Obligation.Start)
}

// DuplicateError: HMRC answered DUPLICATE_SUBMISSION to the POST. Held is the return HMRC holds
// when it could be read (nil otherwise).
type DuplicateError struct {
	Intent receipts.Intent
	Held   *vatreturn.Return
	Err    error
}

func (e *DuplicateError) Error() string {
	in := e.Intent
	return fmt.Sprintf("already filed: HMRC already holds a return for period %s (%s to %s); nothing new was filed", in.PeriodKey, in.PeriodStart, in.PeriodEnd)
}

func (e *DuplicateError) Unwrap() error { return e.Err }

// UnknownOutcomeError: the POST may have reached HMRC but no clear answer came back; the intent
// stays open and the next run reconciles it before anything else. Sent is false when reconciling
// an earlier attempt could not reach a verdict (nothing was sent this time).
type UnknownOutcomeError struct {
	PeriodKey string
	Sent      bool
	Err       error
}

func (e *UnknownOutcomeError) Error() string {
	if e.Sent {
		return fmt.Sprintf("the return for %s was sent but HMRC's answer was lost (%s)", e.PeriodKey, ShortCause(e.Err))
	}
	return fmt.Sprintf("the outcome of the earlier submission for period %s is still unknown: %s", e.PeriodKey, ShortCause(e.Err))
}

func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// ReceiptNotSavedError: HMRC accepted the return but the journal could not record the receipt
// (a full disk, say). The receipt is the only copy of HMRC's proof: the caller must show all of it.
type ReceiptNotSavedError struct {
	Receipt receipts.Receipt
	Err     error
}

func (e *ReceiptNotSavedError) Error() string {
	return fmt.Sprintf("HMRC accepted the return but its receipt could not be saved: %v", e.Err)
}

func (e *ReceiptNotSavedError) Unwrap() error { return e.Err }

// ListOpen formats open obligations for an error message, one per line with the flag that picks it.
func ListOpen(open []hmrc.Obligation) string {
	if len(open) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("; open obligations:")
	for _, o := range open {
		fmt.Fprintf(&b, "\n    %s to %s, due %s  (--period-key %s)", o.Start, o.End, o.Due, o.PeriodKey)
	}
	return b.String()
}

// ShortCause names a failure without its chain of wrappers.
func ShortCause(err error) string {
	if err == nil {
		return "no answer"
	}
	var ae *hmrc.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.As(err, &ae):
		return fmt.Sprintf("HMRC answered %d %s", ae.StatusCode, ae.Code)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i < 80 {
		return msg[i+2:]
	}
	return msg
}
