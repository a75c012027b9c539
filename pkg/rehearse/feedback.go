package rehearse

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/vatbridge/vat/pkg/hmrc"
)

// feedback fetches HMRC's verdict on the last request the application sent to each VAT endpoint
// and files each verdict with the step that sent that request.
func (x *run) feedback(ctx context.Context, st *Step) error {
	fb, _, err := x.App.FraudHeadersFeedback(ctx, hmrc.FraudAPIVATMTD, x.ConnectionMethod)
	if err != nil {
		return err
	}
	bad := 0
	for _, req := range fb.Requests {
		hc := HeaderCheck{Source: "validation-feedback", Method: req.Method, Path: req.Path, RequestTime: req.RequestTimestamp, Code: req.Code}
		for _, h := range req.Headers {
			for _, it := range h.Errors {
				hc.Errors = append(hc.Errors, HeaderIssue{Header: h.Header, Code: it.Code, Message: it.Message})
			}
			for _, it := range h.Warnings {
				hc.Warnings = append(hc.Warnings, HeaderIssue{Header: h.Header, Code: it.Code, Message: it.Message})
			}
		}
		for _, cv := range req.CrossValidation {
			for _, it := range cv.Errors {
				hc.Errors = append(hc.Errors, HeaderIssue{Header: strings.Join(cv.Headers, ", "), Code: it.Code, Message: it.Message})
			}
			for _, it := range cv.Warnings {
				hc.Warnings = append(hc.Warnings, HeaderIssue{Header: strings.Join(cv.Headers, ", "), Code: it.Code, Message: it.Message})
			}
		}
		if headerErrors(&hc) {
			bad++
		}
		if s := x.lastStepCalling(req.Method, req.Path); s != nil {
			c := hc
			s.Headers = &c
		}
		x.rep.Feedback = append(x.rep.Feedback, hc)
	}
	sort.SliceStable(x.rep.Feedback, func(i, j int) bool { return x.rep.Feedback[i].Path < x.rep.Feedback[j].Path })
	if len(fb.Requests) == 0 {
		return fmt.Errorf("HMRC has no record of this application's VAT (MTD) requests made with %s", orNone(x.ConnectionMethod))
	}
	st.Summary = fmt.Sprintf("feedback on %d VAT endpoints: %d with header errors", len(fb.Requests), bad)
	return nil
}

// lastStepCalling finds the step that made the latest request with this method and path: HMRC's
// feedback is about the last request to each endpoint.
func (x *run) lastStepCalling(method, path string) *Step {
	want := unescape(path)
	for i := len(x.rep.Steps) - 1; i >= 0; i-- {
		s := x.rep.Steps[i]
		for j := len(s.Calls) - 1; j >= 0; j-- {
			c := s.Calls[j]
			p, _, _ := strings.Cut(c.Endpoint, "?")
			if strings.EqualFold(c.Method, method) && unescape(p) == want {
				return s
			}
		}
	}
	return nil
}

func unescape(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// attachFeedbackFailures fails the steps whose requests HMRC's validator found errors in: a call
// that HMRC answered but whose headers break the law is not evidence HMRC can accept.
func (x *run) attachFeedbackFailures() {
	for _, s := range x.rep.Steps {
		if s.Status == Passed && headerErrors(s.Headers) {
			s.Status, s.Error = Failed, headerFailure(s.Headers)
			s.Advice = "fix the fraud prevention headers named above (see 'vat fraud-headers show'), then run the rehearsal again"
		}
	}
}

func headerErrors(h *HeaderCheck) bool {
	return h != nil && (len(h.Errors) > 0 || h.Code == hmrc.FraudInvalidHeaders)
}

// headerFailure names every header HMRC's validator found in error.
func headerFailure(h *HeaderCheck) string {
	var parts []string
	for _, e := range h.Errors {
		parts = append(parts, fmt.Sprintf("%s: %s (%s)", e.Header, e.Message, e.Code))
	}
	if len(parts) == 0 {
		parts = append(parts, h.Code)
	}
	return fmt.Sprintf("HMRC's validator found errors in the fraud prevention headers of %s %s: %s", h.Method, h.Path, strings.Join(parts, "; "))
}
