package cmdutil

import (
	"context"
	"path/filepath"

	"github.com/vatbridge/vat/pkg/filing"

	"github.com/vatbridge/vat/pkg/receipts"
)

// Journal opens the submission journal in the config dir.
func (f *Factory) Journal() (*receipts.Journal, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	return receipts.Open(filepath.Join(s.ConfigDir, "receipts"))
}

// Filer builds the submission workflow over the profile's HMRC client and journal. Progress
// while earlier submissions are checked goes to stderr.
func (f *Factory) Filer(ctx context.Context) (*filing.Filer, error) {
	j, err := f.Journal()
	if err != nil {
		return nil, err
	}
	client, err := f.HMRC(ctx)
	if err != nil {
		return nil, err
	}
	return &filing.Filer{API: client, Journal: j, Now: f.Now, Checking: func(in receipts.Intent) {
		f.Status("checking with HMRC whether the earlier submission for period %s (started %s) arrived…", in.PeriodKey, in.CreatedAt.Local().Format("2 Jan 15:04"))
	}}, nil
}

// SayReconciled tells the user what reconciliation found about one earlier submission.
func (f *Factory) SayReconciled(s filing.Settled) {
	switch s.Verdict {
	case filing.Accepted:
		f.Status("HMRC has the earlier return for period %s: recorded as accepted (nothing will be sent again).", s.Intent.PeriodKey)
	case filing.HeldOther:
		f.Status("HMRC holds a DIFFERENT return for period %s: recorded as already filed.", s.Intent.PeriodKey)
	case filing.NotReceived:
		f.Status("HMRC did not receive the earlier return for period %s: that attempt is cleared and the return can be sent.", s.Intent.PeriodKey)
	}
}
