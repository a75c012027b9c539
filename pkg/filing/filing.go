// Package filing is the workflow that files a VAT return exactly once: it settles any earlier
// submission whose outcome is unknown, chooses the obligation to file, records the intent before
// the POST and the receipt after, and turns HMRC's answers into typed outcomes.
//
// It prints nothing and knows nothing of the command line: commands call it and render what it
// returns. Its rules are the ones that keep a return from being lost or sent twice:
//
//   - the submit POST is never retried here (pkg/hmrc retries it only after a 429, which HMRC did
//     not process);
//   - an intent is written (and synced) before the POST, and closed by a receipt, by HMRC's
//     duplicate answer, or by reconciliation — never by guessing;
//   - an intent whose outcome is unknown is settled by asking HMRC (view the return, then the
//     obligation) before anything else is sent for that VRN; while HMRC cannot say, nothing is sent.
package filing

import (
	"context"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
)

// API is the part of HMRC's VAT API the workflow needs. *hmrc.Client satisfies it.
type API interface {
	Obligations(ctx context.Context, vrn string, opts hmrc.ObligationsOptions) ([]hmrc.Obligation, *hmrc.Response, error)
	Return(ctx context.Context, vrn, periodKey string) (*hmrc.ViewReturn, *hmrc.Response, error)
	SubmitReturn(ctx context.Context, vrn string, req hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error)
}

var _ API = (*hmrc.Client)(nil)

// Filer runs the workflow for one VRN's returns against one HMRC API and one journal.
type Filer struct {
	API     API
	Journal *receipts.Journal
	// Now gives the user's clock: a UK business's "today" is its own calendar date, not UTC's.
	Now func() time.Time
	// Checking, when set, is told before HMRC is asked about each earlier submission, so a
	// command can say why it is waiting.
	Checking func(receipts.Intent)
	// NewID names a new intent; nil means receipts.NewID.
	NewID func() string
}

func (f *Filer) today() hmrc.Date {
	if f.Now == nil {
		return hmrc.DateOf(time.Now())
	}
	return hmrc.DateOf(f.Now())
}

// historyFrom is the first day of the four years of returns HMRC keeps.
func (f *Filer) historyFrom() hmrc.Date { return f.today().AddYears(-4).AddDays(1) }
