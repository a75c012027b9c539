package hmrc

import (
	"context"
	"errors"
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

// ErrValidatorRefusedToken matches (errors.Is) a 401 from ValidateFraudHeaders. HMRC documents
// the endpoint as application-restricted, but reportedly answers 401 to an application token
// since 26 August 2026 (hmrc/income-tax-mtd-changelog#476, unconfirmed): a caller holding an
// application token should then try again with a user's token. The error is also an *APIError.
var ErrValidatorRefusedToken = errors.New("hmrc: the fraud-header validator refused the token")

// validatorTokenError is a 401 from the validator: an *APIError that also matches
// ErrValidatorRefusedToken.
type validatorTokenError struct{ *APIError }

func (e *validatorTokenError) Unwrap() error { return e.APIError }

func (e *validatorTokenError) Is(target error) bool { return target == ErrValidatorRefusedToken }

// ValidateFraudHeaders asks HMRC to check the fraud-prevention headers sent with this very
// request (the client's transport adds them). A 401 matches ErrValidatorRefusedToken; its advice
// does not send the user to log in, which cannot cure an application token's refusal.
//
// GET /test/fraud-prevention-headers/validate (sandbox only).
func (c *Client) ValidateFraudHeaders(ctx context.Context) (*FraudValidation, *Response, error) {
	var v FraudValidation
	resp, err := c.do(ctx, call{method: http.MethodGet, path: "/test/fraud-prevention-headers/validate", idempotent: true}, &v)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized {
			ae.advice = "HMRC refused this token for fraud-header validation; it reportedly accepts only a user's token since 26 August 2026"
			return nil, resp, &validatorTokenError{ae}
		}
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
