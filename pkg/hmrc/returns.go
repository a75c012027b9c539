package hmrc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// SubmitRequest is a VAT return to file.
type SubmitRequest struct {
	PeriodKey string
	Return    vatreturn.Return
	// Finalised is the user's declaration that the return is complete and final; HMRC refuses a
	// return without it (403 NOT_FINALISED).
	Finalised bool
}

// ErrNotWholePounds reports a box 6 to 9 amount with pence, which HMRC's wire format cannot carry.
var ErrNotWholePounds = errors.New("must be whole pounds")

// MarshalJSON writes HMRC's body exactly: periodKey, boxes 1 to 5 as numbers with two decimals,
// boxes 6 to 9 as integers, finalised. HMRC judges decimals by the written scale, so "500.00"
// in box 6 is risky and "500.50" refused; the whole-pound rule is enforced here rather than
// rounded away.
func (r SubmitRequest) MarshalJSON() ([]byte, error) {
	boxes, err := marshalBoxes(&r.Return)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"periodKey":`)
	pk, _ := json.Marshal(r.PeriodKey)
	b.Write(pk)
	b.WriteByte(',')
	b.Write(boxes[1 : len(boxes)-1])
	b.WriteString(`,"finalised":`)
	b.WriteString(strconv.FormatBool(r.Finalised))
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalReturn writes the nine boxes as a JSON object with HMRC's field names and wire format
// (boxes 1 to 5 with two decimals, 6 to 9 as integers), for callers that print a return.
func MarshalReturn(r vatreturn.Return) ([]byte, error) { return marshalBoxes(&r) }

func marshalBoxes(r *vatreturn.Return) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, info := range vatreturn.Boxes {
		if i > 0 {
			b.WriteByte(',')
		}
		m := r.Box(info.Number)
		b.WriteString(`"` + info.Field + `":`)
		if info.WholePounds {
			if !m.IsWholePounds() {
				return nil, fmt.Errorf("hmrc: box %d (%s) is %s: %w", info.Number, info.Field, m, ErrNotWholePounds)
			}
			b.WriteString(strconv.FormatInt(m.WholePounds(), 10))
		} else {
			b.WriteString(m.String())
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// wireBoxes decodes view-return's body; vatreturn.Money reads numbers exactly, never via float64.
type wireBoxes struct {
	PeriodKey string `json:"periodKey"`
	vatreturn.Return
}

// Receipt is HMRC's acknowledgement of a filed return: the 201 body plus the receipt headers.
// Keep it; it is the proof of submission.
type Receipt struct {
	ProcessingDate   time.Time `json:"processingDate"`
	FormBundleNumber string    `json:"formBundleNumber"`
	// PaymentIndicator is "DD" (a debit HMRC collects by Direct Debit), "BANK" (a credit paid to
	// the bank account HMRC holds) or "".
	PaymentIndicator string `json:"paymentIndicator,omitempty"`
	// ChargeRefNumber is present only when the return created a debit.
	ChargeRefNumber  string    `json:"chargeRefNumber,omitempty"`
	ReceiptID        string    `json:"receiptId,omitempty"`
	ReceiptTimestamp time.Time `json:"receiptTimestamp,omitzero"`
	CorrelationID    string    `json:"correlationId,omitempty"`
}

// SubmitReturn files a VAT return for vrn.
//
// It is never retried automatically except after a 429 (HMRC did not process a throttled
// request). A network failure, timeout or 5xx after the request was sent returns an error
// matching ErrOutcomeUnknown: the return may have been filed, so look it up with Return before
// sending it again. A second submission for a period is refused with ErrDuplicateSubmission.
//
// POST /organisations/vat/{vrn}/returns. Scope: write:vat.
func (c *Client) SubmitReturn(ctx context.Context, vrn string, req SubmitRequest) (*Receipt, *Response, error) {
	// Encode first so that a box with pence fails here, as a plain error, before anything is sent.
	if _, err := req.MarshalJSON(); err != nil {
		return nil, nil, err
	}
	var body struct {
		ProcessingDate   string `json:"processingDate"`
		FormBundleNumber string `json:"formBundleNumber"`
		PaymentIndicator string `json:"paymentIndicator"`
		ChargeRefNumber  string `json:"chargeRefNumber"`
	}
	resp, err := c.do(ctx, call{method: http.MethodPost, path: vatPath(vrn, "returns"), body: req}, &body)
	if err != nil {
		return nil, resp, err
	}
	rc := &Receipt{
		FormBundleNumber: body.FormBundleNumber,
		PaymentIndicator: body.PaymentIndicator,
		ChargeRefNumber:  body.ChargeRefNumber,
		ReceiptID:        resp.Header.Get("Receipt-ID"),
		CorrelationID:    resp.CorrelationID,
	}
	// A receipt whose dates cannot be read is still a receipt: the return was filed (201), so
	// keep what can be read rather than report a failure that would invite a resubmission.
	rc.ProcessingDate, _ = ParseTimestamp(body.ProcessingDate)
	rc.ReceiptTimestamp, _ = ParseTimestamp(resp.Header.Get("Receipt-Timestamp"))
	return rc, resp, nil
}

// timestampLayouts are the forms HMRC writes: the service's ".SSSZ", the OAS example's "+0000",
// and the receipt header's form without milliseconds.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999",
}

// ParseTimestamp reads an HMRC timestamp such as "2018-03-01T11:43:43.195Z",
// "2018-02-14T09:32:15.895+0000" or "2018-02-14T09:32:15Z", returning it in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("hmrc: unrecognised timestamp %q", s)
}

// ViewReturn is a filed return as HMRC holds it.
type ViewReturn struct {
	PeriodKey string
	Return    vatreturn.Return
}

// MarshalJSON writes periodKey and the nine boxes with HMRC's names, boxes 6 to 9 as integers.
func (v ViewReturn) MarshalJSON() ([]byte, error) {
	return SubmitRequest{PeriodKey: v.PeriodKey, Return: v.Return}.marshalNoFinalised()
}

func (r SubmitRequest) marshalNoFinalised() ([]byte, error) {
	b, err := r.MarshalJSON()
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndex(b, []byte(`,"finalised":`))
	return append(b[:i:i], '}'), nil
}

// Return fetches the return filed for periodKey ('#' is sent escaped as %23). A period with no
// return gives an *APIError matching ErrNotFound (HMRC answers 404 with an empty body).
//
// GET /organisations/vat/{vrn}/returns/{periodKey}. Scope: read:vat.
func (c *Client) Return(ctx context.Context, vrn, periodKey string) (*ViewReturn, *Response, error) {
	var w wireBoxes
	resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, "returns", periodKey), idempotent: true}, &w)
	if err != nil {
		return nil, resp, err
	}
	return &ViewReturn{PeriodKey: w.PeriodKey, Return: w.Return}, resp, nil
}
