package hmrc

import (
	"context"
	"net/http"
	"net/url"
)

// Overall codes of the Test Fraud Prevention Headers API.
const (
	FraudValidHeaders       = "VALID_HEADERS"
	FraudPotentiallyInvalid = "POTENTIALLY_INVALID_HEADERS"
	FraudInvalidHeaders     = "INVALID_HEADERS"
)

// FraudAPIVATMTD is the {api} name of VAT (MTD) for FraudHeadersFeedback.
const FraudAPIVATMTD = "vat-mtd"

// Connection methods (Gov-Client-Connection-Method) a desktop CLI may use, for filtering feedback.
const (
	ConnectionDesktopAppDirect   = "DESKTOP_APP_DIRECT"
	ConnectionOtherDirect        = "OTHER_DIRECT"
	ConnectionBatchProcessDirect = "BATCH_PROCESS_DIRECT"
)

// FraudItem is one error or warning about fraud-prevention headers.
type FraudItem struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Headers []string `json:"headers,omitempty"` // lower-case header names
}

// FraudValidation is HMRC's verdict on the headers of one request.
type FraudValidation struct {
	SpecVersion string      `json:"specVersion"`
	Code        string      `json:"code"` // FraudValidHeaders, FraudPotentiallyInvalid or FraudInvalidHeaders
	Message     string      `json:"message"`
	Errors      []FraudItem `json:"errors,omitempty"`
	Warnings    []FraudItem `json:"warnings,omitempty"`
}

// Valid reports whether HMRC found no errors (warnings still deserve a look).
func (v *FraudValidation) Valid() bool { return v.Code != FraudInvalidHeaders && len(v.Errors) == 0 }

// ValidateFraudHeaders asks HMRC to check the fraud-prevention headers sent with this very
// request (the client's transport adds them).
//
// GET /test/fraud-prevention-headers/validate (sandbox only).
func (c *Client) ValidateFraudHeaders(ctx context.Context) (*FraudValidation, *Response, error) {
	var v FraudValidation
	resp, err := c.do(ctx, call{method: http.MethodGet, path: "/test/fraud-prevention-headers/validate", idempotent: true}, &v)
	if err != nil {
		return nil, resp, err
	}
	return &v, resp, nil
}

// FraudFeedback is HMRC's feedback on the last request the application sent to each endpoint
// of an API.
type FraudFeedback struct {
	Requests []FraudRequestFeedback `json:"requests"`
}

// FraudRequestFeedback is the feedback on one request.
type FraudRequestFeedback struct {
	Path             string                 `json:"path"`
	Method           string                 `json:"method"`
	RequestTimestamp string                 `json:"requestTimestamp,omitempty"`
	Code             string                 `json:"code"`
	Headers          []FraudHeaderFeedback  `json:"headers,omitempty"`
	CrossValidation  []FraudCrossValidation `json:"crossValidation,omitempty"`
}

// FraudHeaderFeedback is the verdict on one header.
type FraudHeaderFeedback struct {
	Header   string      `json:"header"`
	Value    string      `json:"value,omitempty"`
	Code     string      `json:"code"`
	Errors   []FraudItem `json:"errors,omitempty"`
	Warnings []FraudItem `json:"warnings,omitempty"`
}

// FraudCrossValidation is a consistency check between headers.
type FraudCrossValidation struct {
	Headers  []string    `json:"headers,omitempty"`
	Code     string      `json:"code"`
	Errors   []FraudItem `json:"errors,omitempty"`
	Warnings []FraudItem `json:"warnings,omitempty"`
}

// FraudHeadersFeedback returns feedback on the fraud-prevention headers of the application's
// latest sandbox requests to api (FraudAPIVATMTD for VAT), optionally only those sent with
// connectionMethod (e.g. ConnectionDesktopAppDirect).
//
// GET /test/fraud-prevention-headers/{api}/validation-feedback (sandbox only).
func (c *Client) FraudHeadersFeedback(ctx context.Context, api, connectionMethod string) (*FraudFeedback, *Response, error) {
	q := url.Values{}
	if connectionMethod != "" {
		q.Set("connectionMethod", connectionMethod)
	}
	var f FraudFeedback
	resp, err := c.do(ctx, call{method: http.MethodGet,
		path: "/test/fraud-prevention-headers/" + url.PathEscape(api) + "/validation-feedback", query: q, idempotent: true}, &f)
	if err != nil {
		return nil, resp, err
	}
	return &f, resp, nil
}
