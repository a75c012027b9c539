package hmrc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// TaxPeriod is the period a liability belongs to.
type TaxPeriod struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// Liability is an amount the business owes or owed HMRC.
type Liability struct {
	TaxPeriod *TaxPeriod `json:"taxPeriod,omitempty"`
	// Type is HMRC's charge type, e.g. "VAT Return Debit Charge".
	Type           string          `json:"type"`
	OriginalAmount vatreturn.Money `json:"originalAmount"`
	// OutstandingAmount is nil when HMRC did not say, which differs from nothing outstanding.
	OutstandingAmount *vatreturn.Money `json:"outstandingAmount,omitempty"`
	Due               Date             `json:"due,omitzero"`
}

// Payment is a payment HMRC received, or expects when Received is zero.
type Payment struct {
	Amount   vatreturn.Money `json:"amount"`
	Received Date            `json:"received,omitzero"`
}

// Liabilities lists the liabilities of vrn between from and to. HMRC serves at most 365 days per
// request, so a longer range is split and merged in date order; a window with no data (404
// NOT_FOUND) contributes nothing, so a range with no liabilities gives an empty list.
//
// GET /organisations/vat/{vrn}/liabilities. Scope: read:vat.
func (c *Client) Liabilities(ctx context.Context, vrn string, from, to Date) ([]Liability, *Response, error) {
	var body struct {
		Liabilities []Liability `json:"liabilities"`
	}
	return listWindows(ctx, c, vrn, "liabilities", from, to, &body, func() []Liability {
		l := body.Liabilities
		body.Liabilities = nil
		return l
	})
}

// Payments lists the payments of vrn between from and to, split and merged like Liabilities.
//
// GET /organisations/vat/{vrn}/payments. Scope: read:vat.
func (c *Client) Payments(ctx context.Context, vrn string, from, to Date) ([]Payment, *Response, error) {
	var body struct {
		Payments []Payment `json:"payments"`
	}
	return listWindows(ctx, c, vrn, "payments", from, to, &body, func() []Payment {
		p := body.Payments
		body.Payments = nil
		return p
	})
}

// listWindows fetches [from, to] in HMRC-sized windows into body and collects take() of each.
// An item repeated by a later window (one straddling the boundary) is kept once; repeats within
// one window are HMRC's own answer and are kept as sent.
func listWindows[T any](ctx context.Context, c *Client, vrn, endpoint string, from, to Date, body any, take func() []T) ([]T, *Response, error) {
	out := []T{}
	var last *Response
	var prev map[string]bool
	for _, w := range splitRange(from, to, financialMaxTo) {
		q := url.Values{"from": {w.From.String()}, "to": {w.To.String()}}
		resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, endpoint), query: q, idempotent: true}, body)
		last = resp
		if isNoData(err) {
			prev = nil
			continue
		}
		if err != nil {
			return nil, resp, fmt.Errorf("%s %s to %s: %w", endpoint, w.From, w.To, err)
		}
		cur := map[string]bool{}
		for _, item := range take() {
			k, err := json.Marshal(item)
			if err != nil {
				return nil, resp, fmt.Errorf("hmrc: %s: %w", endpoint, err)
			}
			if prev[string(k)] {
				continue
			}
			cur[string(k)] = true
			out = append(out, item)
		}
		prev = cur
	}
	return out, last, nil
}

// CustomerInformation is what HMRC holds about the VAT registration.
type CustomerInformation struct {
	CustomerDetails *CustomerDetails `json:"customerDetails,omitempty"`
	FlatRateScheme  *FlatRateScheme  `json:"flatRateScheme,omitempty"`
}

// CustomerDetails carries the registration date.
type CustomerDetails struct {
	EffectiveRegistrationDate Date `json:"effectiveRegistrationDate,omitzero"`
}

// FlatRateScheme is present when the business uses the VAT Flat Rate Scheme.
type FlatRateScheme struct {
	// FRSCategory is HMRC's business category, "001" to "055", or "999".
	FRSCategory string `json:"frsCategory,omitempty"`
	StartDate   Date   `json:"startDate,omitzero"`
}

// Information returns the VAT customer information of vrn.
//
// GET /organisations/vat/{vrn}/information. Scope: read:vat.
func (c *Client) Information(ctx context.Context, vrn string) (*CustomerInformation, *Response, error) {
	var ci CustomerInformation
	resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, "information"), idempotent: true}, &ci)
	if err != nil {
		return nil, resp, err
	}
	return &ci, resp, nil
}
