package filing

import (
	"context"
	"errors"
	"fmt"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Submission is one return to file for one obligation, with the evidence of where it came from.
type Submission struct {
	VRN         string
	Obligation  hmrc.Obligation
	Return      vatreturn.Return
	Evidence    receipts.Evidence
	Profile     string
	ToolVersion string
	// Declaration is which of HMRC's declarations was shown (receipts.DeclarationBusiness or
	// DeclarationAgent), kept with the intent.
	Declaration string
}

// Outcome is a filed return: the intent that was recorded and HMRC's receipt for it.
type Outcome struct {
	Intent  receipts.Intent
	Receipt receipts.Receipt
}

// Submit files s once. It records the intent, sends the return, and records what HMRC said.
//
// Errors: *DuplicateError (HMRC already held a return), *UnknownOutcomeError (sent, answer lost:
// the intent stays open), *ReceiptNotSavedError (filed, with the Outcome, but the journal could
// not keep the receipt), context.Canceled (interrupted before anything was sent; the intent is
// cleared), receipts.ErrOpenIntent (an earlier attempt is still undecided), or HMRC's refusal
// (nothing was filed; the intent is cleared).
func (f *Filer) Submit(ctx context.Context, s Submission) (*Outcome, error) {
	newID := f.NewID
	if newID == nil {
		newID = receipts.NewID
	}
	ob := s.Obligation
	in := receipts.Intent{
		ID: newID(), VRN: s.VRN, PeriodKey: ob.PeriodKey,
		PeriodStart: ob.Start.String(), PeriodEnd: ob.End.String(), PeriodDue: ob.Due.String(),
		Return: s.Return, Evidence: s.Evidence, ToolVersion: s.ToolVersion, Profile: s.Profile,
		Declaration: s.Declaration,
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.Journal.BeginIntent(ctx, in); err != nil {
		if errors.Is(err, receipts.ErrOpenIntent) {
			return nil, err
		}
		return nil, fmt.Errorf("recording the submission before sending (nothing was sent): %w", err)
	}

	rcpt, resp, err := f.API.SubmitReturn(ctx, s.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: s.Return, Finalised: true})
	// The journal must hear the outcome even if the user pressed Ctrl-C mid-request.
	jctx := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		r := receipts.Receipt{
			IntentID: in.ID, VRN: s.VRN, PeriodKey: ob.PeriodKey, ProcessingDate: rcpt.ProcessingDate,
			FormBundleNumber: rcpt.FormBundleNumber, PaymentIndicator: rcpt.PaymentIndicator, ChargeRefNumber: rcpt.ChargeRefNumber,
			ReceiptID: rcpt.ReceiptID, CorrelationID: rcpt.CorrelationID, Outcome: receipts.OutcomeAccepted,
		}
		if resp != nil {
			// Kept verbatim: it is HMRC's own timestamp of the receipt.
			r.ReceiptTimestamp = resp.Header.Get("Receipt-Timestamp")
		}
		out := &Outcome{Intent: in, Receipt: r}
		if jerr := f.Journal.RecordReceipt(jctx, r); jerr != nil {
			return out, &ReceiptNotSavedError{Receipt: r, Err: jerr}
		}
		return out, nil

	case errors.Is(err, hmrc.ErrDuplicateSubmission):
		return nil, f.duplicate(jctx, in, err)

	case errors.Is(err, hmrc.ErrOutcomeUnknown):
		// The journal keeps the intent open whatever happens here; MarkUnknown only adds why.
		_ = f.Journal.MarkUnknown(jctx, in.ID, err.Error())
		return nil, &UnknownOutcomeError{PeriodKey: ob.PeriodKey, Sent: true, Err: err}
	}
	// HMRC refused the request, or it never left (pkg/hmrc tells the two apart from an unknown
	// outcome): nothing was filed, so the intent is closed.
	reason := "not filed: " + err.Error()
	if ctx.Err() != nil {
		reason, err = "not sent: interrupted before the return left", context.Canceled
	}
	if cerr := f.Journal.ClearIntent(jctx, in.ID, reason); cerr != nil {
		return nil, errors.Join(err, cerr)
	}
	return nil, err
}

// duplicate handles DUPLICATE_SUBMISSION: HMRC already holds a return for the period. The intent
// is closed as already filed, with HMRC's copy when it can be read.
func (f *Filer) duplicate(ctx context.Context, in receipts.Intent, cause error) error {
	e := &DuplicateError{Intent: in, Err: cause}
	held, resp, err := f.API.Return(ctx, in.VRN, in.PeriodKey)
	if err == nil {
		e.Held = &held.Return
	}
	r := receipts.Receipt{IntentID: in.ID, Outcome: receipts.OutcomeAlreadyFiled}
	if resp != nil {
		r.CorrelationID = resp.CorrelationID
	}
	if jerr := f.Journal.RecordReceipt(ctx, r); jerr != nil {
		return errors.Join(e, jerr)
	}
	return e
}
