package receipts

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrOpenIntent: an earlier submission for the same VRN and period has an undecided outcome.
	// The concrete error is an *OpenIntentError carrying that intent.
	ErrOpenIntent = errors.New("an earlier submission for this period has an unknown outcome")
	// ErrNotFound: no intent or receipt matches.
	ErrNotFound = errors.New("no such submission in the journal")
	// ErrAmbiguous: a prefix matches several entries; the concrete error is an *AmbiguousError.
	ErrAmbiguous = errors.New("ambiguous submission id")
	// ErrClosed: the intent already has a receipt, or was cleared and so takes nothing but a receipt.
	ErrClosed = errors.New("submission intent is already closed")
	// ErrDuplicateID: an intent with this ID already exists.
	ErrDuplicateID = errors.New("submission intent id already used")
	// ErrInvalid: the caller passed a record the journal refuses to store.
	ErrInvalid = errors.New("invalid journal record")
	// ErrNewerSchema: the journal holds records written by a newer vat. Acting on a journal that is
	// only partly understood could let a duplicate submission through, so every operation refuses.
	ErrNewerSchema = errors.New("journal was written by a newer version of vat")
	// ErrInFlight: another live process is sending this intent right now; only it may resolve it.
	ErrInFlight = errors.New("submission is being sent by another vat process")
	// ErrLocked: another process held the journal lock for longer than the lock timeout.
	ErrLocked = errors.New("journal is locked by another process")
)

// OpenIntentError is returned by BeginIntent when an intent for the same VRN and period is still
// open. The caller must reconcile it (view the return at HMRC) and then record a receipt or clear it.
type OpenIntentError struct {
	Intent Intent
	State  State
	// Reason is the latest reason given to MarkUnknown, if any.
	Reason string
	// InFlight is true when a live process is sending it now, as opposed to one that died or
	// gave up with the outcome unknown: wait for it rather than reconcile.
	InFlight bool
}

func (e *OpenIntentError) Error() string {
	msg := fmt.Sprintf("submission %s for VRN %s period %s is still open (%s)", e.Intent.ID, e.Intent.VRN, e.Intent.PeriodKey, e.State)
	if e.InFlight {
		msg += ": another vat process is sending it now"
	} else if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is makes errors.Is(err, ErrOpenIntent) true.
func (e *OpenIntentError) Is(target error) bool { return target == ErrOpenIntent }

// AmbiguousError is returned by Get when a prefix matches more than one entry.
type AmbiguousError struct {
	ID      string
	Matches []string // the intent IDs that match
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("id %q matches %d submissions: %s", e.ID, len(e.Matches), strings.Join(e.Matches, ", "))
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// UnrecordedReceiptError is returned by RecordReceipt when HMRC's receipt could not be written to
// the journal even into the space reserved for it. HMRC holds the return; the receipt exists
// only in this error now, so the caller must show all of it (see JSON) before exiting.
type UnrecordedReceiptError struct {
	Receipt Receipt
	Journal string // the journal file the receipt belongs in
	Err     error
}

func (e *UnrecordedReceiptError) Error() string {
	return fmt.Sprintf("HMRC accepted the return (form bundle %s) but its receipt could not be written to %s: %v",
		e.Receipt.FormBundleNumber, e.Journal, e.Err)
}

func (e *UnrecordedReceiptError) Unwrap() error { return e.Err }

// JSON returns the receipt as the journal line RecordReceipt would have written, newline
// included: appended to Journal as it is, it records the receipt.
func (e *UnrecordedReceiptError) JSON() []byte {
	b, err := ReceiptJSON(e.Receipt)
	if err != nil {
		// Only an oversized field can fail to encode, and RecordReceipt checked them all.
		return []byte(fmt.Sprintf("%q\n", e.Error()))
	}
	return b
}
