package hmrc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Obligation statuses.
const (
	StatusOpen      = "O"
	StatusFulfilled = "F"
)

// Obligation is one VAT return HMRC expects: the period it covers and when it is due.
type Obligation struct {
	// PeriodKey identifies the period; pass it unchanged to SubmitReturn (it may contain '#').
	PeriodKey string `json:"periodKey"`
	Start     Date   `json:"start"`
	End       Date   `json:"end"`
	Due       Date   `json:"due"`
	Status    string `json:"status"`
	// Received is when the return was filed; zero while the obligation is open.
	Received Date `json:"received,omitzero"`
}

// ObligationsOptions filters obligations. HMRC requires From and To unless Status is "O";
// Status "" asks for all.
type ObligationsOptions struct {
	From, To Date
	Status   string // StatusOpen, StatusFulfilled or "" for both
}

// Obligations lists the VAT obligations of vrn. A From–To range longer than HMRC's one year is
// split into several requests and the results merged in date order without duplicates. HMRC's
// 404 NOT_FOUND ("no data") gives an empty list, not an error.
//
// HMRC serves only the last four years: in a split range, a window it refuses with
// DATE_RANGE_TOO_LARGE is asked again from four years ago (when it reaches that far), and
// otherwise left out, since HMRC will show nothing older. A range of one window, or one where
// every window is refused, returns the error.
//
// GET /organisations/vat/{vrn}/obligations. Scope: read:vat.
func (c *Client) Obligations(ctx context.Context, vrn string, opts ObligationsOptions) ([]Obligation, *Response, error) {
	windows := []window{{opts.From, opts.To}}
	if !opts.From.IsZero() && !opts.To.IsZero() {
		windows = splitRange(opts.From, opts.To, obligationsMaxTo)
	}
	out := []Obligation{}
	seen := map[string]bool{}
	var last *Response
	var tooOld error
	served := false
	for i := 0; i < len(windows); i++ {
		w := windows[i]
		q := url.Values{}
		if !w.From.IsZero() {
			q.Set("from", w.From.String())
		}
		if !w.To.IsZero() {
			q.Set("to", w.To.String())
		}
		if opts.Status != "" {
			q.Set("status", opts.Status)
		}
		var body struct {
			Obligations []Obligation `json:"obligations"`
		}
		resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, "obligations"), query: q, idempotent: true}, &body)
		last = resp
		if len(windows) > 1 && errors.Is(err, ErrDateRangeTooLarge) {
			tooOld = err
			if limit := DateOf(c.now()).AddYears(-4); w.From.Before(limit) && !w.To.Before(limit) {
				windows[i].From = limit // the part HMRC still serves
				i--
			}
			continue
		}
		served = true
		if isNoData(err) {
			continue
		}
		if err != nil {
			return nil, resp, fmt.Errorf("%s: %w", obligationsAsked(w, opts.Status), err)
		}
		// Windows touch, and an obligation straddling the boundary comes back in both.
		for _, o := range body.Obligations {
			key := o.PeriodKey + "|" + o.Start.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, o)
		}
	}
	if !served && tooOld != nil {
		return nil, last, fmt.Errorf("%s: %w", obligationsAsked(window{opts.From, opts.To}, opts.Status), tooOld)
	}
	return out, last, nil
}

// isNoData reports HMRC's "no data" 404, which the list endpoints use for an empty result. The
// gateway's 404 MATCHING_RESOURCE_NOT_FOUND (a wrong path) is not it.
func isNoData(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound && ae.Code == CodeNotFound
}

// obligationsAsked names a request in an error: its dates, or "open obligations" for the
// request without dates that HMRC answers with every open one.
func obligationsAsked(w window, status string) string {
	switch {
	case w.From.IsZero() && w.To.IsZero() && status == StatusOpen:
		return "open obligations"
	case w.From.IsZero() && w.To.IsZero():
		return "obligations"
	}
	return fmt.Sprintf("obligations %s to %s", w.From, w.To)
}
