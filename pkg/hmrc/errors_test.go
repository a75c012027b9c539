package hmrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseErrorEveryReferenceShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		want      APIError
		is        []error // errors.Is must hold
		isNot     []error
		temporary bool
		auth      bool
		rejected  bool
	}{
		{
			name: "accept header", status: 406,
			body:     `{"code":"ACCEPT_HEADER_INVALID","message":"The accept header is missing or invalid"}`,
			want:     APIError{StatusCode: 406, Code: CodeAcceptHeaderInvalid, Message: "The accept header is missing or invalid"},
			rejected: true,
		},
		{
			name: "missing credentials", status: 401,
			body: `{"code":"MISSING_CREDENTIALS","message":"Authentication information is not provided"}`,
			want: APIError{StatusCode: 401, Code: CodeMissingCredentials, Message: "Authentication information is not provided"},
			is:   []error{ErrMissingCredentials}, auth: true,
		},
		{
			name: "invalid credentials", status: 401,
			header: http.Header{"Www-Authenticate": {`Bearer realm="HMRC API Platform"`}},
			body:   `{"code":"INVALID_CREDENTIALS","message":"Invalid Authentication information provided"}`,
			want:   APIError{StatusCode: 401, Code: CodeInvalidCredentials, Message: "Invalid Authentication information provided"},
			is:     []error{ErrInvalidCredentials}, isNot: []error{ErrMissingCredentials}, auth: true,
		},
		{
			name: "invalid scope", status: 403,
			body: `{"code":"INVALID_SCOPE","message":"Cannot access the required resource. Ensure this token has all the required scopes."}`,
			want: APIError{StatusCode: 403, Code: CodeInvalidScope, Message: "Cannot access the required resource. Ensure this token has all the required scopes."},
			is:   []error{ErrInvalidScope}, auth: true,
		},
		{
			name: "resource forbidden", status: 403,
			body: `{"code":"RESOURCE_FORBIDDEN","message":"The application is not subscribed to the API which it is attempting to invoke"}`,
			want: APIError{StatusCode: 403, Code: CodeResourceForbidden, Message: "The application is not subscribed to the API which it is attempting to invoke"},
			is:   []error{ErrResourceForbidden}, rejected: true,
		},
		{
			name: "matching resource not found", status: 404,
			body:  `{"code":"MATCHING_RESOURCE_NOT_FOUND","message":"A resource with the name in the request can not be found in the API"}`,
			want:  APIError{StatusCode: 404, Code: CodeMatchingResourceNotFound, Message: "A resource with the name in the request can not be found in the API"},
			isNot: []error{ErrNotFound}, rejected: true,
		},
		{
			name: "throttled with retry-after", status: 429,
			header: http.Header{"Retry-After": {"2"}},
			body:   `{"code":"MESSAGE_THROTTLED_OUT","message":"The request for the API is throttled as you have exceeded your quota."}`,
			want:   APIError{StatusCode: 429, Code: CodeThrottled, Message: "The request for the API is throttled as you have exceeded your quota.", RetryAfter: 2 * time.Second},
			is:     []error{ErrThrottled}, temporary: true,
		},
		{
			name: "vrn invalid", status: 400,
			body: `{"code":"VRN_INVALID","message":"The provided VRN is invalid"}`,
			want: APIError{StatusCode: 400, Code: CodeVRNInvalid, Message: "The provided VRN is invalid"},
			is:   []error{ErrVRNInvalid}, rejected: true,
		},
		{
			name: "client or agent not authorised", status: 403,
			body: `{"code":"CLIENT_OR_AGENT_NOT_AUTHORISED","message":"The client and/or agent is not authorised."}`,
			want: APIError{StatusCode: 403, Code: CodeClientOrAgentNotAuthorised, Message: "The client and/or agent is not authorised."},
			is:   []error{ErrClientOrAgentNotAuthorised}, auth: true,
		},
		{
			name: "legacy invalid date from", status: 400,
			body: `{"statusCode":400,"message":"INVALID_DATE_FROM"}`,
			want: APIError{StatusCode: 400, Code: CodeInvalidDateFrom, Message: "The provided from date is invalid"},
			is:   []error{CodeError(CodeInvalidDateFrom)}, rejected: true,
		},
		{
			name: "legacy invalid date range", status: 400,
			body:     `{"statusCode":400,"message":"INVALID_DATE_RANGE"}`,
			want:     APIError{StatusCode: 400, Code: CodeInvalidDateRange, Message: "Invalid date range, must be 366 days or less"},
			rejected: true,
		},
		{
			name: "legacy missing date range", status: 400,
			body:     `{"statusCode":400,"message":"MISSING_DATE_RANGE"}`,
			want:     APIError{StatusCode: 400, Code: CodeMissingDateRange, Message: "The date range is missing"},
			rejected: true,
		},
		{
			name: "legacy date to invalid (liabilities)", status: 400,
			body:     `{"statusCode":400,"message":"DATE_TO_INVALID"}`,
			want:     APIError{StatusCode: 400, Code: CodeDateToInvalid, Message: "The provided to date is invalid"},
			rejected: true,
		},
		{
			name: "legacy framework message", status: 400,
			body:     `{"statusCode":400,"message":"Invalid Json: Unexpected end-of-input"}`,
			want:     APIError{StatusCode: 400, Code: CodeInvalidJSON, Message: "Invalid Json: Unexpected end-of-input"},
			rejected: true,
		},
		{
			name: "downstream date range too large (obligations)", status: 400,
			body: `{"code":"DATE_RANGE_TOO_LARGE","message":"The date of the requested return cannot be further than four years from the current date."}`,
			want: APIError{StatusCode: 400, Code: CodeDateRangeTooLarge, Message: "The date of the requested return cannot be further than four years from the current date."},
			is:   []error{ErrDateRangeTooLarge}, rejected: true,
		},
		{
			name: "insolvent trader", status: 403,
			body: `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`,
			want: APIError{StatusCode: 403, Code: CodeInsolventTrader, Message: "The remote endpoint has indicated that the Trader is insolvent"},
			is:   []error{ErrInsolventTrader}, rejected: true,
		},
		{
			name: "not found with body", status: 404,
			body: `{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`,
			want: APIError{StatusCode: 404, Code: CodeNotFound, Message: "The remote endpoint has indicated that no data can be found"},
			is:   []error{ErrNotFound}, rejected: true,
		},
		{
			name: "view return empty 404", status: 404, body: "",
			want: APIError{StatusCode: 404, Code: CodeNotFound, Message: "Not Found"},
			is:   []error{ErrNotFound}, rejected: true,
		},
		{
			name: "internal server error", status: 500,
			body: `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`,
			want: APIError{StatusCode: 500, Code: CodeInternalServerError, Message: "An internal server error occurred"},
			is:   []error{ErrInternalServerError}, temporary: true,
		},
		{
			name: "service unavailable", status: 503,
			body: `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`,
			want: APIError{StatusCode: 503, Code: CodeServiceUnavailable, Message: "Internal server error"},
			is:   []error{ErrServiceUnavailable}, temporary: true,
		},
		{
			name: "incorrect gov test scenario", status: 400,
			body: `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`,
			want: APIError{StatusCode: 400, Code: CodeIncorrectGovTestScenario, Message: "The Gov-Test-Scenario was not found"},
			is:   []error{ErrIncorrectGovTestScenario}, rejected: true,
		},
		{
			name: "charge reference invalid", status: 400,
			body:     `{"code":"CHARGE_REFERENCE_INVALID","message":"The provided chargeReference is invalid"}`,
			want:     APIError{StatusCode: 400, Code: CodeChargeReferenceInvalid, Message: "The provided chargeReference is invalid"},
			rejected: true,
		},
		{
			name: "submit invalid request wrapper", status: 400,
			body: `{"code":"INVALID_REQUEST","message":"Invalid request","errors":[` +
				`{"code":"INVALID_MONETARY_AMOUNT","message":"The value must be between -9999999999999 and 9999999999999","path":"/totalValueSalesExVAT"},` +
				`{"code":"VAT_NET_VALUE","message":"netVatDue should be the difference between the largest and the smallest values among totalVatDue and vatReclaimedCurrPeriod","path":"/netVatDue"}]}`,
			want: APIError{StatusCode: 400, Code: CodeInvalidRequest, Message: "Invalid request", Errors: []FieldError{
				{Code: CodeInvalidMonetaryAmount, Message: "The value must be between -9999999999999 and 9999999999999", Path: "/totalValueSalesExVAT"},
				{Code: CodeVATNetValue, Message: "netVatDue should be the difference between the largest and the smallest values among totalVatDue and vatReclaimedCurrPeriod", Path: "/netVatDue"},
			}},
			is: []error{ErrInvalidRequest, CodeError(CodeInvalidMonetaryAmount), CodeError(CodeVATNetValue)}, isNot: []error{CodeError(CodeVATTotalValue)}, rejected: true,
		},
		{
			name: "invalid payload scenario (flat invalid request)", status: 400,
			body: `{"code":"INVALID_REQUEST","message":"Invalid request"}`,
			want: APIError{StatusCode: 400, Code: CodeInvalidRequest, Message: "Invalid request"},
			is:   []error{ErrInvalidRequest}, rejected: true,
		},
		{
			name: "duplicate submission", status: 403,
			header: http.Header{"Receipt-Id": {"2d5b0b3d-0000-4000-8000-000000000000"}},
			body:   `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DUPLICATE_SUBMISSION","message":"The VAT return was already submitted for the given period."}]}`,
			want: APIError{StatusCode: 403, Code: CodeBusinessError, Message: "Business validation error", Errors: []FieldError{
				{Code: CodeDuplicateSubmission, Message: "The VAT return was already submitted for the given period."}}},
			is: []error{ErrDuplicateSubmission, CodeError(CodeBusinessError)}, isNot: []error{ErrNotFinalised}, rejected: true,
		},
		{
			name: "not finalised", status: 403,
			body: `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"NOT_FINALISED","message":"The return cannot be accepted without a declaration it is finalised.","path":"/finalised"}]}`,
			want: APIError{StatusCode: 403, Code: CodeBusinessError, Message: "Business validation error", Errors: []FieldError{
				{Code: CodeNotFinalised, Message: "The return cannot be accepted without a declaration it is finalised.", Path: "/finalised"}}},
			is: []error{ErrNotFinalised}, rejected: true,
		},
		{
			name: "tax period not ended", status: 403,
			body: `{"code":"TAX_PERIOD_NOT_ENDED","message":"The remote endpoint has indicated that the submission is for a tax period that has not ended"}`,
			want: APIError{StatusCode: 403, Code: CodeTaxPeriodNotEnded, Message: "The remote endpoint has indicated that the submission is for a tax period that has not ended"},
			is:   []error{ErrTaxPeriodNotEnded}, rejected: true,
		},
		{
			name: "view period key invalid (wrapped, no path)", status: 400,
			body: `{"code":"INVALID_REQUEST","message":"Invalid request","errors":[{"code":"PERIOD_KEY_INVALID","message":"Invalid period key"}]}`,
			want: APIError{StatusCode: 400, Code: CodeInvalidRequest, Message: "Invalid request", Errors: []FieldError{{Code: CodePeriodKeyInvalid, Message: "Invalid period key"}}},
			is:   []error{ErrPeriodKeyInvalid}, rejected: true,
		},
		{
			name: "view date range too large", status: 403,
			body: `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DATE_RANGE_TOO_LARGE","message":"The date of the requested return cannot be further than four years from the current date."}]}`,
			want: APIError{StatusCode: 403, Code: CodeBusinessError, Message: "Business validation error", Errors: []FieldError{
				{Code: CodeDateRangeTooLarge, Message: "The date of the requested return cannot be further than four years from the current date."}}},
			is: []error{ErrDateRangeTooLarge}, rejected: true,
		},
		{
			name: "oauth invalid grant", status: 400,
			body: `{"error":"invalid_grant","error_description":"refresh_token is invalid"}`,
			want: APIError{StatusCode: 400, Code: CodeOAuthInvalidGrant, Message: "refresh_token is invalid"},
			is:   []error{ErrInvalidGrant}, auth: true,
		},
		{
			name: "oauth concurrent refresh", status: 400,
			body:     `{"error":"invalid_request","error_description":"Refresh operation is already in progress"}`,
			want:     APIError{StatusCode: 400, Code: CodeOAuthInvalidRequest, Message: "Refresh operation is already in progress"},
			rejected: true,
		},
		{
			name: "html from a proxy", status: 502,
			body:      "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\x1b[31m<center><h1>502 Bad Gateway</h1></center></body></html>",
			want:      APIError{StatusCode: 502, Code: CodeBadGateway, Message: "Bad Gateway", Body: "<html> <head><title>502 Bad Gateway</title></head> <body> [31m<center><h1>502 Bad Gateway</h1></center></body></html>"},
			temporary: true,
		},
		{
			name: "html 413 from the gateway", status: 413,
			body:     "<html><body><h1>413 Request Entity Too Large</h1></body></html>",
			want:     APIError{StatusCode: 413, Code: CodeRequestTooLarge, Message: "Request Entity Too Large", Body: "<html><body><h1>413 Request Entity Too Large</h1></body></html>"},
			rejected: true,
		},
		{
			name: "html 415", status: 415,
			body:     "<html><body>Unsupported Media Type</body></html>",
			want:     APIError{StatusCode: 415, Code: CodeInvalidBodyType, Message: "Unsupported Media Type", Body: "<html><body>Unsupported Media Type</body></html>"},
			rejected: true,
		},
		{
			name: "status with no known code", status: 418, body: "",
			want:     APIError{StatusCode: 418, Code: "HTTP_418", Message: "I'm a teapot"},
			rejected: true,
		},
		{
			name: "auth service failure under 403", status: 403,
			body:      `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`,
			want:      APIError{StatusCode: 403, Code: CodeInternalServerError, Message: "An internal server error occurred"},
			is:        []error{ErrInternalServerError},
			temporary: true,
		},
		{
			name: "empty 503 with http-date retry-after", status: 503,
			header: http.Header{"Retry-After": {"Tue, 24 Nov 2026 12:00:30 GMT"}},
			want:   APIError{StatusCode: 503, Code: CodeServiceUnavailable, Message: "Service Unavailable", RetryAfter: 30 * time.Second},
			is:     []error{ErrServiceUnavailable}, temporary: true,
		},
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header.Clone()
			if h == nil {
				h = http.Header{}
			}
			h.Set("X-CorrelationId", "5a9a9e3c-0000-4000-8000-000000000000")
			got := parseError(&http.Response{StatusCode: tt.status, Header: h}, []byte(tt.body), now)
			want := tt.want
			want.CorrelationID = "5a9a9e3c-0000-4000-8000-000000000000"
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("parseError:\n got %#v\nwant %#v", *got, want)
			}
			err := fmt.Errorf("calling: %w", got)
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = false, want true", target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = true, want false", target)
				}
			}
			if got.Temporary() != tt.temporary {
				t.Errorf("Temporary() = %v, want %v", got.Temporary(), tt.temporary)
			}
			if IsAuth(err) != tt.auth {
				t.Errorf("IsAuth = %v, want %v", IsAuth(err), tt.auth)
			}
			if IsRejected(err) != tt.rejected {
				t.Errorf("IsRejected = %v, want %v", IsRejected(err), tt.rejected)
			}
			if msg := got.Error(); !strings.HasPrefix(msg, "hmrc: ") || strings.Contains(msg, "\x1b") {
				t.Errorf("Error() = %q", msg)
			}
		})
	}
}

func TestAdviceCoversEveryCode(t *testing.T) {
	t.Parallel()
	codes := []string{
		CodeMissingCredentials, CodeInvalidCredentials, CodeUnauthorized, CodeIncorrectAccessTokenType,
		CodeHTTPSRequired, CodeResourceForbidden, CodeInvalidScope, CodeForbidden, CodeMatchingResourceNotFound,
		CodeMethodNotAllowed, CodeAcceptHeaderInvalid, CodeThrottled, CodeInternalServerError, CodeNotImplemented,
		CodeServerError, CodeScheduledMaintenance, CodeGatewayTimeout, CodeServiceUnavailable, CodeNotFound,
		CodeClientOrAgentNotAuthorised, CodeVRNInvalid, CodePeriodKeyInvalid, CodeInvalidRequest, CodeBusinessError,
		CodeMandatoryFieldMissing, CodeInvalidNumericValue, CodeInvalidStringValue, CodeUnmappedPlayError,
		CodeInvalidMonetaryAmount, CodeVATTotalValue, CodeVATNetValue, CodeNotFinalised, CodeDuplicateSubmission,
		CodeTaxPeriodNotEnded, CodeDateRangeTooLarge, CodeInvalidDateFrom, CodeInvalidDateTo, CodeInvalidStatus,
		CodeInvalidDateRange, CodeMissingDateRange, CodeDateFromInvalid, CodeDateToInvalid, CodeDateRangeInvalid,
		CodeInvalidData, CodeChargeReferenceInvalid, CodeInsolventTrader, CodeIncorrectGovTestScenario,
		CodeOAuthInvalidRequest, CodeOAuthInvalidClient, CodeOAuthInvalidGrant, CodeOAuthUnauthorizedClient,
		CodeOAuthUnsupportedGrantType, CodeOAuthUnsupportedResponseType, CodeOAuthInvalidScope,
		CodeOAuthServerError, CodeOAuthAccessDenied,
	}
	for _, c := range codes {
		if Advice(c) == "" {
			t.Errorf("Advice(%q) is empty", c)
		}
	}
	if got := Advice(CodeClientOrAgentNotAuthorised); !strings.Contains(got, "not the business's VAT account, or the agent is not authorised for this client") {
		t.Errorf("Advice(CLIENT_OR_AGENT_NOT_AUTHORISED) = %q", got)
	}
	if got := Advice(CodeInvalidCredentials); !strings.Contains(got, "vat login") {
		t.Errorf("Advice(INVALID_CREDENTIALS) = %q", got)
	}
	if got := Advice(CodeDuplicateSubmission); !strings.Contains(got, "vat returns") {
		t.Errorf("Advice(DUPLICATE_SUBMISSION) = %q", got)
	}
	// The wrapper's inner code gives the more useful advice.
	e := &APIError{StatusCode: 403, Code: CodeBusinessError, Errors: []FieldError{{Code: CodeDuplicateSubmission}}}
	if e.Advice() != Advice(CodeDuplicateSubmission) {
		t.Errorf("APIError.Advice() = %q", e.Advice())
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"0", 0}, {"3", 3 * time.Second}, {"-1", 0}, {"soon", 0},
		{"999999999", 24 * time.Hour},
		{"Tue, 24 Nov 2026 12:01:00 GMT", time.Minute},
		{"Tue, 24 Nov 2026 11:00:00 GMT", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"503", &APIError{StatusCode: 503}, true},
		{"429", fmt.Errorf("x: %w", &APIError{StatusCode: 429}), true},
		{"400", &APIError{StatusCode: 400, Code: CodeVRNInvalid}, false},
		{"401", &APIError{StatusCode: 401, Code: CodeInvalidCredentials}, false},
		{"network", &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, true},
		{"timeout", &url.Error{Op: "Get", URL: "https://x", Err: context.DeadlineExceeded}, true},
		{"unexpected eof", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"other", errors.New("boom"), false},
	}
	for _, tt := range tests {
		if got := IsTemporary(tt.err); got != tt.want {
			t.Errorf("%s: IsTemporary = %v, want %v", tt.name, got, tt.want)
		}
	}
}
