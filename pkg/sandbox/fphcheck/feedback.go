package fphcheck

import (
	"net/http"
	"time"
)

// HeaderFeedback is the grading of one header, as listed per request by
// GET /test/fraud-prevention-headers/{api}/validation-feedback.
//
// Code is VALID_HEADER, INVALID_HEADER (at least one error),
// POTENTIALLY_INVALID_HEADER (warnings only), MISSING_HEADER (required but
// not sent; Errors or Warnings say how serious that is) or UNEXPECTED_HEADER
// (sent but not part of the connection method). Item headers are lower case.
type HeaderFeedback struct {
	Header   string `json:"header"`
	Value    string `json:"value"`
	Code     string `json:"code"`
	Errors   []Item `json:"errors,omitempty"`
	Warnings []Item `json:"warnings,omitempty"`
}

// Feedback gives per-header detail for the validation-feedback endpoint: one
// entry for Gov-Client-Connection-Method, one for each header the method
// requires, and one for each fraud-prevention header sent that the method
// does not use. The findings are the same as Validate's, not merged across
// headers. Header names are lower case.
func Feedback(h http.Header, now time.Time) []HeaderFeedback {
	reports := check(h, now)
	out := make([]HeaderFeedback, 0, len(reports))
	for _, hr := range reports {
		fb := HeaderFeedback{Header: hr.name, Value: hr.value}
		for _, f := range hr.findings {
			it := Item{Code: f.code, Message: f.msg, Headers: []string{hr.name}}
			if f.warn {
				fb.Warnings = append(fb.Warnings, it)
			} else {
				fb.Errors = append(fb.Errors, it)
			}
		}
		switch {
		case hr.status == statusMissing:
			fb.Code = CodeMissingHeader
		case hr.status == statusUnexpected:
			fb.Code = CodeUnexpectedHeader
		case len(fb.Errors) > 0:
			fb.Code = CodeInvalidHeader
		case len(fb.Warnings) > 0:
			fb.Code = CodePotentiallyInvalidHeader
		default:
			fb.Code = CodeValidHeader
		}
		out = append(out, fb)
	}
	return out
}
