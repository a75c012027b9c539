// Package fphcheck grades fraud-prevention headers the way HMRC's Test Fraud
// Prevention Headers API does, for the sandbox emulator.
//
// It implements the rules of the Fraud Prevention Headers specification v3.3
// for the direct connection methods a CLI can use (DESKTOP_APP_DIRECT,
// OTHER_DIRECT, BATCH_PROCESS_DIRECT). HMRC has not published its validator,
// so where the specification is clear the checks are strict (a malformed
// required header is an error), and where it only gives guidance they are
// advisory (a warning). The package deliberately shares no code with the
// header builder so that it catches the builder's mistakes instead of
// repeating them.
//
// # Messages
//
// These texts are HMRC's own, seen in the API's replies: the three summary
// messages ("All headers appear to be valid", "At least 1 header is potentially
// invalid", "At least 1 header is invalid"), "Header required", "Value required",
// the empty Gov-Client-Multi-Factor warning ("Value is empty. This may be correct
// for single factor authentication, …"), "Unrecognised header. Check format and
// spelling" (a Gov-Client-* or Gov-Vendor-* name the specification does not
// define), "At least 1 value for device manufacturer is missing" and "Value is not
// an IP address".
//
// Every other message is invented by this package, in HMRC's style, and may differ
// from HMRC's wording: the empty Gov-Client-Screens and Gov-Client-Window-Size
// warnings (modelled on the multi-factor one), "At least 1 value for device model
// is missing" (by analogy with the manufacturer), the placeholder refusal, the
// notice for a defined header outside the connection method, and every format
// message (UUIDs, list items, timestamps, MAC addresses, key-value structures,
// time zones, licences, versions, connection methods).
package fphcheck

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// SpecVersion is the version of the fraud prevention specification the rules implement.
const SpecVersion = "3.3"

// Overall result codes and messages of the validate endpoint.
const (
	CodeValidHeaders              = "VALID_HEADERS"
	CodePotentiallyInvalidHeaders = "POTENTIALLY_INVALID_HEADERS"
	CodeInvalidHeaders            = "INVALID_HEADERS"

	MessageValidHeaders              = "All headers appear to be valid"
	MessagePotentiallyInvalidHeaders = "At least 1 header is potentially invalid"
	MessageInvalidHeaders            = "At least 1 header is invalid"
)

// Item codes used in Result.Errors and Result.Warnings, and per-header codes
// of HeaderFeedback (MISSING_HEADER, INVALID_HEADER, UNEXPECTED_HEADER and
// POTENTIALLY_INVALID_HEADER serve in both places).
const (
	// CodeMissingHeader: a header of the connection method was not sent
	// (an error, or a warning for data that may be impossible to collect).
	CodeMissingHeader = "MISSING_HEADER"
	// CodeInvalidHeader: a value breaks the specification (always an error).
	CodeInvalidHeader = "INVALID_HEADER"
	// CodeEmptyHeader: a header was sent with an empty value (an error, or a
	// warning for data that may be impossible to collect).
	CodeEmptyHeader = "EMPTY_HEADER"
	// CodeUnexpectedHeader: a fraud-prevention header the connection method
	// does not use was sent (a warning).
	CodeUnexpectedHeader = "UNEXPECTED_HEADER"
	// CodePotentiallyInvalidHeader: a value is suspect but not clearly wrong
	// (a warning), or, in HeaderFeedback, a header with warnings only.
	CodePotentiallyInvalidHeader = "POTENTIALLY_INVALID_HEADER"
	// CodeValidHeader is only used in HeaderFeedback: nothing to report.
	CodeValidHeader = "VALID_HEADER"
)

// Result is the body of a 200 reply from GET /test/fraud-prevention-headers/validate.
type Result struct {
	SpecVersion string `json:"specVersion"`
	Code        string `json:"code"`
	Message     string `json:"message"`
	Errors      []Item `json:"errors,omitempty"`
	Warnings    []Item `json:"warnings,omitempty"`
}

// Item is one error or warning; Headers holds lower-case header names.
type Item struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Headers []string `json:"headers"`
}

// Validate applies the rule set of the connection method named in
// Gov-Client-Connection-Method (DESKTOP_APP_DIRECT, OTHER_DIRECT or
// BATCH_PROCESS_DIRECT); any other or a missing method gives an error item
// and nothing else is graded. now is the time the request arrived, against
// which timestamps are judged; a zero now skips the freshness checks.
//
// Items with the same code and message are merged into one item listing all
// their headers, as HMRC does.
func Validate(h http.Header, now time.Time) Result {
	var errs, warns []Item
	for _, hr := range check(h, now) {
		for _, f := range hr.findings {
			if f.warn {
				warns = mergeItem(warns, f, hr.name)
			} else {
				errs = mergeItem(errs, f, hr.name)
			}
		}
	}
	res := Result{SpecVersion: SpecVersion, Errors: errs, Warnings: warns}
	switch {
	case len(errs) > 0:
		res.Code, res.Message = CodeInvalidHeaders, MessageInvalidHeaders
	case len(warns) > 0:
		res.Code, res.Message = CodePotentiallyInvalidHeaders, MessagePotentiallyInvalidHeaders
	default:
		res.Code, res.Message = CodeValidHeaders, MessageValidHeaders
	}
	return res
}

func mergeItem(items []Item, f finding, header string) []Item {
	for i := range items {
		if items[i].Code == f.code && items[i].Message == f.msg {
			if !slices.Contains(items[i].Headers, header) {
				items[i].Headers = append(items[i].Headers, header)
			}
			return items
		}
	}
	return append(items, Item{Code: f.code, Message: f.msg, Headers: []string{header}})
}

// headerStatus says how a header relates to the connection method's rule set.
type headerStatus int

const (
	statusChecked    headerStatus = iota // required by the method and sent
	statusMissing                        // required by the method, not sent
	statusUnexpected                     // sent, not part of the method
)

// headerReport is the grading of one header.
type headerReport struct {
	name     string // lower case
	value    string
	status   headerStatus
	findings []finding
}

// check grades every header that matters for the request's connection
// method, in the order of the specification's table followed by unexpected
// headers in name order, so that output is deterministic.
func check(h http.Header, now time.Time) []headerReport {
	sent := collect(h)
	method, methodSent := sent[hdrConnectionMethod]

	cm := headerReport{name: hdrConnectionMethod, value: method, status: statusChecked}
	rules, ok := rulesFor(method)
	switch {
	case !methodSent:
		cm.status = statusMissing
		cm.findings = []finding{{code: CodeMissingHeader, msg: msgHeaderRequired}}
	case !ok:
		r := &report{}
		checkConnectionMethod(method, r)
		cm.findings = r.findings
	}
	reports := []headerReport{cm}
	if !ok {
		return reports
	}

	ctx := &checkCtx{method: method, now: now}
	expected := map[string]bool{hdrConnectionMethod: true}
	for _, rule := range rules {
		expected[rule.name] = true
		v, present := sent[rule.name]
		hr := headerReport{name: rule.name, value: v, status: statusChecked}
		r := &report{}
		switch {
		case !present:
			hr.status = statusMissing
			if rule.emptyMessage != "" {
				// The spec lets a header that cannot be collected be left
				// out once SDST has agreed; HMRC answers "Header required"
				// as a warning (3.3 samples for Gov-Vendor-License-IDs).
				r.warnf(CodeMissingHeader, "%s", msgHeaderRequired)
			} else {
				r.errorf(CodeMissingHeader, "%s", msgHeaderRequired)
			}
		case v == "":
			if rule.emptyMessage != "" {
				r.warnf(CodeEmptyHeader, "%s", rule.emptyMessage)
			} else {
				r.errorf(CodeEmptyHeader, "%s", msgValueRequired)
			}
		case isPlaceholder(v):
			r.errorf(CodeInvalidHeader, "%s", msgPlaceholder)
		default:
			rule.check(v, ctx, r)
		}
		hr.findings = r.findings
		reports = append(reports, hr)
	}

	var extra []string
	for name := range sent {
		if !expected[name] && isFraudHeader(name) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		msg := msgUnrecognised
		if knownHeaders[name] {
			msg = fmt.Sprintf("Header is not part of the %s connection method and should not be sent", method)
		}
		reports = append(reports, headerReport{
			name:     name,
			value:    sent[name],
			status:   statusUnexpected,
			findings: []finding{{warn: true, code: CodeUnexpectedHeader, msg: msg}},
		})
	}
	return reports
}

// collect maps lower-case header names to their values. http.Header keys are
// normally canonical, but a map built by hand need not be, and HMRC treats
// names case-insensitively. Repeated fields are joined with "," as RFC 9110
// §5.3 allows a recipient to do, so a list header split over two lines still
// reads as one list; for any other header the joined value fails its format
// check, which is the right outcome. Surrounding whitespace is not part of a
// field value (RFC 9110 §5.5).
func collect(h http.Header) map[string]string {
	sent := make(map[string]string, len(h))
	// Sorted so that one name in two spellings joins in a stable order.
	for _, k := range slices.Sorted(maps.Keys(h)) {
		name := strings.ToLower(k)
		for _, v := range h[k] {
			v = strings.Trim(v, " \t")
			if prev, ok := sent[name]; ok {
				sent[name] = prev + "," + v
			} else {
				sent[name] = v
			}
		}
	}
	return sent
}

// knownHeaders are every header the specification defines, for any connection
// method; another Gov-Client-* or Gov-Vendor-* name is a misspelling.
var knownHeaders = map[string]bool{
	"gov-client-connection-method": true, "gov-client-browser-do-not-track": true, "gov-client-browser-js-user-agent": true,
	"gov-client-device-id": true, "gov-client-local-ips": true, "gov-client-local-ips-timestamp": true,
	"gov-client-mac-addresses": true, "gov-client-multi-factor": true, "gov-client-public-ip": true,
	"gov-client-public-ip-timestamp": true, "gov-client-public-port": true, "gov-client-screens": true,
	"gov-client-timezone": true, "gov-client-user-agent": true, "gov-client-user-ids": true, "gov-client-window-size": true,
	"gov-vendor-forwarded": true, "gov-vendor-license-ids": true, "gov-vendor-product-name": true,
	"gov-vendor-public-ip": true, "gov-vendor-version": true,
}

// isFraudHeader reports whether a header belongs to the fraud-prevention
// family, so that other request headers (Accept, Authorization,
// Gov-Test-Scenario) are never reported as unexpected.
func isFraudHeader(name string) bool {
	return strings.HasPrefix(name, "gov-client-") || strings.HasPrefix(name, "gov-vendor-")
}

// finding is one problem with one header.
type finding struct {
	warn bool
	code string
	msg  string
}

// maxFindings bounds the findings kept for one header so that a hostile or
// broken header cannot make the report grow with its size.
const maxFindings = 8

// report collects the findings for one header, dropping duplicates.
type report struct {
	findings []finding
}

func (r *report) add(f finding) {
	if len(r.findings) >= maxFindings || slices.Contains(r.findings, f) {
		return
	}
	r.findings = append(r.findings, f)
}

func (r *report) errorf(code, format string, args ...any) {
	r.add(finding{code: code, msg: fmt.Sprintf(format, args...)})
}

func (r *report) warnf(code, format string, args ...any) {
	r.add(finding{warn: true, code: code, msg: fmt.Sprintf(format, args...)})
}

// checkCtx carries the facts a header rule may need beyond its own value.
type checkCtx struct {
	method string
	now    time.Time
}
