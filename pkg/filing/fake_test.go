package filing

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// fakeAPI is HMRC as the workflow sees it: obligations, held returns, and a submit whose answer
// each test chooses. Errors can be set per call.
type fakeAPI struct {
	open      []hmrc.Obligation
	fulfilled []hmrc.Obligation
	held      map[string]vatreturn.Return

	openErr, fulfilledErr, returnErr error
	submit                           func(ctx context.Context, req hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error)

	posts, views int
}

func (a *fakeAPI) Obligations(_ context.Context, _ string, o hmrc.ObligationsOptions) ([]hmrc.Obligation, *hmrc.Response, error) {
	if o.Status == hmrc.StatusOpen {
		return a.open, nil, a.openErr
	}
	var out []hmrc.Obligation
	src := a.fulfilled
	if o.Status == "" {
		src = append(append([]hmrc.Obligation{}, a.open...), a.fulfilled...)
	}
	for _, ob := range src {
		if (o.From.IsZero() || !ob.End.Before(o.From)) && (o.To.IsZero() || !ob.Start.After(o.To)) {
			out = append(out, ob)
		}
	}
	return out, nil, a.fulfilledErr
}

func (a *fakeAPI) Return(_ context.Context, _ string, key string) (*hmrc.ViewReturn, *hmrc.Response, error) {
	a.views++
	if a.returnErr != nil {
		return nil, nil, a.returnErr
	}
	r, ok := a.held[key]
	if !ok {
		return nil, nil, &hmrc.APIError{StatusCode: http.StatusNotFound, Code: hmrc.CodeNotFound}
	}
	return &hmrc.ViewReturn{PeriodKey: key, Return: r}, &hmrc.Response{CorrelationID: "corr-view"}, nil
}

func (a *fakeAPI) SubmitReturn(ctx context.Context, _ string, req hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
	a.posts++
	if a.submit == nil {
		return accept(ctx, req)
	}
	return a.submit(ctx, req)
}

func accept(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
	h := http.Header{}
	h.Set("Receipt-Timestamp", "2026-11-29T10:00:00.000Z")
	return &hmrc.Receipt{ProcessingDate: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC), FormBundleNumber: "123456789012",
			PaymentIndicator: "DD", ChargeRefNumber: "XD123456789012", ReceiptID: "rcpt-1", CorrelationID: "corr-1"},
		&hmrc.Response{Response: &http.Response{Header: h}}, nil
}

func apiErr(status int, code string) error { return &hmrc.APIError{StatusCode: status, Code: code} }

var (
	today = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	// q3 has ended and is open; q4 is the current quarter (open, not ended); q2 was filed.
	q2 = hmrc.Obligation{PeriodKey: "26A2", Start: d(2026, 4, 1), End: d(2026, 6, 30), Due: d(2026, 8, 7), Status: hmrc.StatusFulfilled, Received: d(2026, 8, 1)}
	q3 = hmrc.Obligation{PeriodKey: "26A3", Start: d(2026, 7, 1), End: d(2026, 9, 30), Due: d(2026, 11, 7), Status: hmrc.StatusOpen}
	q4 = hmrc.Obligation{PeriodKey: "26A4", Start: d(2026, 10, 1), End: d(2026, 12, 31), Due: d(2027, 2, 7), Status: hmrc.StatusOpen}
	q1 = hmrc.Obligation{PeriodKey: "26A1", Start: d(2026, 1, 1), End: d(2026, 3, 31), Due: d(2026, 5, 7), Status: hmrc.StatusOpen}

	ret = vatreturn.Return{VATDueSales: 100000, TotalVATDue: 100000, VATReclaimedCurrPeriod: 40000, NetVATDue: 60000,
		TotalValueSalesExVAT: 500000, TotalValuePurchasesExVAT: 200000}
)

func d(y int, m time.Month, day int) hmrc.Date {
	return hmrc.DateOf(time.Date(y, m, day, 0, 0, 0, 0, time.UTC))
}

// newFiler returns a Filer over api and a fresh journal on disk.
func newFiler(t *testing.T, api *fakeAPI) *Filer {
	t.Helper()
	j, err := receipts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return &Filer{API: api, Journal: j, Now: func() time.Time { return today }}
}
