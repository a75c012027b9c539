package hmrc

// HMRC error codes, as they appear in "code" (top level or inside "errors[]"), in the legacy
// {"statusCode":400,"message":"<CODE>"} body, or in an OAuth {"error": …} body.
const (
	// API platform (gateway) codes shared by every HMRC API.
	CodeMissingCredentials         = "MISSING_CREDENTIALS"
	CodeInvalidCredentials         = "INVALID_CREDENTIALS"
	CodeUnauthorized               = "UNAUTHORIZED"
	CodeIncorrectAccessTokenType   = "INCORRECT_ACCESS_TOKEN_TYPE"
	CodeHTTPSRequired              = "HTTPS_REQUIRED"
	CodeResourceForbidden          = "RESOURCE_FORBIDDEN"
	CodeInvalidScope               = "INVALID_SCOPE"
	CodeForbidden                  = "FORBIDDEN"
	CodeMatchingResourceNotFound   = "MATCHING_RESOURCE_NOT_FOUND"
	CodeMethodNotAllowed           = "METHOD_NOT_ALLOWED"
	CodeAcceptHeaderInvalid        = "ACCEPT_HEADER_INVALID"
	CodeThrottled                  = "MESSAGE_THROTTLED_OUT"
	CodeInternalServerError        = "INTERNAL_SERVER_ERROR"
	CodeNotImplemented             = "NOT_IMPLEMENTED"
	CodeServerError                = "SERVER_ERROR"
	CodeScheduledMaintenance       = "SCHEDULED_MAINTENANCE"
	CodeGatewayTimeout             = "GATEWAY_TIMEOUT"
	CodeServiceUnavailable         = "SERVICE_UNAVAILABLE"
	CodeNotFound                   = "NOT_FOUND"
	CodeClientOrAgentNotAuthorised = "CLIENT_OR_AGENT_NOT_AUTHORISED"

	// VAT (MTD) API codes.
	CodeVRNInvalid               = "VRN_INVALID"
	CodePeriodKeyInvalid         = "PERIOD_KEY_INVALID"
	CodeInvalidRequest           = "INVALID_REQUEST"
	CodeBusinessError            = "BUSINESS_ERROR"
	CodeMandatoryFieldMissing    = "MANDATORY_FIELD_MISSING"
	CodeInvalidNumericValue      = "INVALID_NUMERIC_VALUE"
	CodeInvalidStringValue       = "INVALID_STRING_VALUE"
	CodeUnmappedPlayError        = "UNMAPPED_PLAY_ERROR"
	CodeInvalidMonetaryAmount    = "INVALID_MONETARY_AMOUNT"
	CodeVATTotalValue            = "VAT_TOTAL_VALUE"
	CodeVATNetValue              = "VAT_NET_VALUE"
	CodeNotFinalised             = "NOT_FINALISED"
	CodeDuplicateSubmission      = "DUPLICATE_SUBMISSION"
	CodeTaxPeriodNotEnded        = "TAX_PERIOD_NOT_ENDED"
	CodeDateRangeTooLarge        = "DATE_RANGE_TOO_LARGE"
	CodeInvalidDateFrom          = "INVALID_DATE_FROM"
	CodeInvalidDateTo            = "INVALID_DATE_TO"
	CodeInvalidStatus            = "INVALID_STATUS"
	CodeInvalidDateRange         = "INVALID_DATE_RANGE"
	CodeMissingDateRange         = "MISSING_DATE_RANGE"
	CodeDateFromInvalid          = "DATE_FROM_INVALID"
	CodeDateToInvalid            = "DATE_TO_INVALID"
	CodeDateRangeInvalid         = "DATE_RANGE_INVALID"
	CodeInvalidData              = "INVALID_DATA"
	CodeChargeReferenceInvalid   = "CHARGE_REFERENCE_INVALID"
	CodeInsolventTrader          = "RULE_INSOLVENT_TRADER"
	CodeIncorrectGovTestScenario = "RULE_INCORRECT_GOV_TEST_SCENARIO"
	CodeInvalidJSON              = "INVALID_JSON"      // vat-api's name for {"statusCode":400,"message":"Invalid Json"}
	CodeInvalidBodyType          = "INVALID_BODY_TYPE" // vat-api's name for a 415

	// Codes this client gives replies that carry none.
	CodeRequestTooLarge = "REQUEST_ENTITY_TOO_LARGE" // 413, usually an HTML page
	CodeBadGateway      = "BAD_GATEWAY"              // 502 from a proxy
	CodeInvalidPayload  = "INVALID_PAYLOAD"          // the plain-text 400 of a body HMRC could not read

	// OAuth 2.0 codes (RFC 6749 "error" values HMRC uses).
	CodeOAuthInvalidRequest          = "invalid_request"
	CodeOAuthInvalidClient           = "invalid_client"
	CodeOAuthInvalidGrant            = "invalid_grant"
	CodeOAuthUnauthorizedClient      = "unauthorized_client"
	CodeOAuthUnsupportedGrantType    = "unsupported_grant_type"
	CodeOAuthUnsupportedResponseType = "unsupported_response_type"
	CodeOAuthInvalidScope            = "invalid_scope"
	CodeOAuthServerError             = "server_error"
	CodeOAuthAccessDenied            = "access_denied"
)

// CodeError is a sentinel that matches, through errors.Is, any *APIError carrying its code at the
// top level or inside errors[]. The ErrX variables are CodeErrors; CodeError("ANY_CODE") works
// for codes without a named variable.
type CodeError string

// Error returns the code itself.
func (c CodeError) Error() string { return "hmrc: " + string(c) }

// Sentinels for errors.Is. errors.Is(err, ErrDuplicateSubmission) is true whether HMRC sent the
// code flat or wrapped in BUSINESS_ERROR.
var (
	ErrMissingCredentials         error = CodeError(CodeMissingCredentials)
	ErrInvalidCredentials         error = CodeError(CodeInvalidCredentials)
	ErrInvalidScope               error = CodeError(CodeInvalidScope)
	ErrForbidden                  error = CodeError(CodeForbidden)
	ErrResourceForbidden          error = CodeError(CodeResourceForbidden)
	ErrClientOrAgentNotAuthorised error = CodeError(CodeClientOrAgentNotAuthorised)
	ErrThrottled                  error = CodeError(CodeThrottled)
	ErrNotFound                   error = CodeError(CodeNotFound)
	ErrVRNInvalid                 error = CodeError(CodeVRNInvalid)
	ErrPeriodKeyInvalid           error = CodeError(CodePeriodKeyInvalid)
	ErrInvalidRequest             error = CodeError(CodeInvalidRequest)
	ErrNotFinalised               error = CodeError(CodeNotFinalised)
	ErrDuplicateSubmission        error = CodeError(CodeDuplicateSubmission)
	ErrTaxPeriodNotEnded          error = CodeError(CodeTaxPeriodNotEnded)
	ErrDateRangeTooLarge          error = CodeError(CodeDateRangeTooLarge)
	ErrInsolventTrader            error = CodeError(CodeInsolventTrader)
	ErrIncorrectGovTestScenario   error = CodeError(CodeIncorrectGovTestScenario)
	ErrInternalServerError        error = CodeError(CodeInternalServerError)
	ErrServiceUnavailable         error = CodeError(CodeServiceUnavailable)
	ErrInvalidGrant               error = CodeError(CodeOAuthInvalidGrant)
)

// advice holds what a person can do about each code. It is written for the CLI's error output,
// so it names vat commands.
var advice = map[string]string{
	CodeMissingCredentials:         "you are not logged in: run `vat login`",
	CodeInvalidCredentials:         "the access token is invalid or has expired and could not be renewed: run `vat login`",
	CodeUnauthorized:               "HMRC did not accept the login: run `vat login`",
	CodeIncorrectAccessTokenType:   "this call needs a user login, not an application token: run `vat login`",
	CodeHTTPSRequired:              "HMRC only accepts HTTPS: check --api-url",
	CodeResourceForbidden:          "the application is not subscribed to this API on the HMRC Developer Hub: subscribe it, or use credentials of an application that is",
	CodeInvalidScope:               "the login does not grant the permission this call needs (read:vat or write:vat): run `vat login` again",
	CodeForbidden:                  "this login may not act for this VAT registration number: check --vrn, or log in as the business or its authorised agent",
	CodeClientOrAgentNotAuthorised: "this login is not the business's VAT account, or the agent is not authorised for this client: check --vrn, or run `vat login` with the business's VAT (Government Gateway) account or an authorised agent's account",
	CodeMatchingResourceNotFound:   "HMRC does not know this address or reference: check --api-url and the reference you gave",
	CodeMethodNotAllowed:           "HMRC does not allow this method here; this is a bug in vat, please report it",
	CodeAcceptHeaderInvalid:        "HMRC refused the API version requested; this is a bug in vat, please report it",
	CodeThrottled:                  "HMRC's rate limit was exceeded: wait a minute and try again",
	CodeInternalServerError:        "HMRC had an internal error: try again later; for a submission, run `vat returns PERIOD_KEY` first to see whether it was filed",
	CodeNotImplemented:             "HMRC does not offer this yet",
	CodeServerError:                "HMRC is unavailable: try again later",
	CodeScheduledMaintenance:       "HMRC is down for scheduled maintenance: try again later",
	CodeGatewayTimeout:             "HMRC did not answer in time: try again later; for a submission, run `vat returns PERIOD_KEY` first to see whether it was filed",
	CodeServiceUnavailable:         "HMRC is unavailable: try again later",
	CodeNotFound:                   "HMRC holds no data for this request",
	CodeVRNInvalid:                 "the VAT registration number must be 9 digits: check --vrn",
	CodePeriodKeyInvalid:           "the period key must be the 4 characters HMRC gave for the obligation: run `vat obligations` to see it",
	CodeInvalidRequest:             "HMRC refused the request as invalid: see the details",
	CodeBusinessError:              "HMRC refused the request under its business rules: see the details",
	CodeMandatoryFieldMissing:      "a box is missing from the return: check the workbook with `vat check`",
	CodeInvalidNumericValue:        "a box is not a number: check the workbook with `vat check`",
	CodeInvalidStringValue:         "the period key is not text; this is a bug in vat, please report it",
	CodeUnmappedPlayError:          "HMRC could not read part of the request; this is a bug in vat, please report it",
	CodeInvalidMonetaryAmount:      "a box is out of range or has too many decimals (boxes 6 to 9 must be whole pounds, box 5 must not be negative): check the workbook with `vat check`",
	CodeVATTotalValue:              "box 3 must equal box 1 + box 2: fix the workbook",
	CodeVATNetValue:                "box 5 must be the difference between box 3 and box 4: fix the workbook",
	CodeNotFinalised:               "HMRC needs your declaration that the return is final: confirm the declaration when submitting",
	CodeDuplicateSubmission:        "a return for this period was already filed: `vat returns PERIOD_KEY` shows it",
	CodeTaxPeriodNotEnded:          "the period has not ended yet: submit after its end date",
	CodeDateRangeTooLarge:          "the date is more than four years ago: HMRC only serves the last four years",
	CodeInvalidDateFrom:            "the from date is missing or invalid: use YYYY-MM-DD",
	CodeInvalidDateTo:              "the to date is missing or invalid: use YYYY-MM-DD",
	CodeInvalidStatus:              "the status filter must be open or fulfilled",
	CodeInvalidDateRange:           "the date range must run forwards and cover at most a year",
	CodeMissingDateRange:           "fulfilled obligations need a date range: give --from and --to",
	CodeDateFromInvalid:            "the from date is invalid or before 6 April 2016: use YYYY-MM-DD",
	CodeDateToInvalid:              "the to date is invalid or in the future: use YYYY-MM-DD",
	CodeDateRangeInvalid:           "the date range must run forwards and cover at most 365 days",
	CodeInvalidData:                "HMRC refused the data in the request",
	CodeChargeReferenceInvalid:     "the charge reference must look like XP123456789012: copy it from `vat penalties`",
	CodeInsolventTrader:            "HMRC records this business as insolvent: contact HMRC",
	CodeIncorrectGovTestScenario:   "the sandbox does not know this Gov-Test-Scenario value",
	CodeInvalidJSON:                "HMRC could not read the request body as JSON; this is a bug in vat, please report it",
	CodeInvalidBodyType:            "HMRC refused the request's content type; this is a bug in vat, please report it",
	CodeRequestTooLarge:            "the request was too large for HMRC; this is a bug in vat, please report it",
	CodeBadGateway:                 "HMRC or a proxy in front of it failed: try again later",
	CodeInvalidPayload:             "HMRC could not read the request: check the values given (for a test user, the service names HMRC lists under /create-test-user/services)",

	CodeOAuthInvalidRequest:          "the login request was refused: run `vat login` again",
	CodeOAuthInvalidClient:           "HMRC does not recognise the application's client id or secret: check VAT_CLIENT_ID and VAT_CLIENT_SECRET",
	CodeOAuthInvalidGrant:            "the login has expired or was revoked (authority lasts 18 months): run `vat login`",
	CodeOAuthUnauthorizedClient:      "the application may not use this kind of login",
	CodeOAuthUnsupportedGrantType:    "HMRC refused the login method; this is a bug in vat, please report it",
	CodeOAuthUnsupportedResponseType: "HMRC refused the login method; this is a bug in vat, please report it",
	CodeOAuthInvalidScope:            "HMRC refused the permissions asked for; this is a bug in vat, please report it",
	CodeOAuthServerError:             "HMRC's login service failed: try again later",
	CodeOAuthAccessDenied:            "the authorisation was declined in the browser: run `vat login` and grant access",
}

// Advice returns what a person can do about an HMRC error code, or "" for a code it does not know.
func Advice(code string) string { return advice[code] }

// legacyMessages gives the human text the OAS documents for codes that the service sends only in
// the legacy {"statusCode":400,"message":"<CODE>"} shape, where the message is the code itself.
var legacyMessages = map[string]string{
	CodeInvalidDateFrom:  "The provided from date is invalid",
	CodeInvalidDateTo:    "The provided to date is invalid",
	CodeInvalidStatus:    "The provided data is failed validation, invalid status",
	CodeInvalidDateRange: "Invalid date range, must be 366 days or less",
	CodeMissingDateRange: "The date range is missing",
	CodeDateFromInvalid:  "The provided from date is invalid",
	CodeDateToInvalid:    "The provided to date is invalid",
	CodeDateRangeInvalid: "Invalid date range, must be 365 days or less",
}
