// Package sandbox is a stateful emulator of HMRC's VAT (MTD) sandbox: the API
// gateway, OAuth 2.0 with its sign-in and grant pages, the Create Test User API,
// the eight VAT endpoints with HMRC's validation order and wire error bodies,
// Gov-Test-Scenario support, the Test Fraud Prevention Headers API and fault
// injection. One Server serves both HMRC hosts (api and www) on one address, so
// the authorize URL is {base}/oauth/authorize and the token URL {base}/oauth/token.
//
// The package deliberately shares no types with the client (pkg/hmrc): it decodes
// requests into its own shapes so that a wrong JSON tag in the client is caught by
// tests rather than mirrored.
//
// # Wire behaviour
//
// Where HMRC's published OpenAPI and its service code disagree, the emulator does
// what the code does (hmrc/vat-api at 8ddd80d3; hmrc/api-platform-test-user at
// dc600386): legacy {"statusCode":400,"message":"INVALID_DATE_FROM"} bodies,
// INVALID_REQUEST and BUSINESS_ERROR wrappers on submit, an empty 404 with no
// Content-Type from view return. Checks run in HMRC's order: the gateway
// (resource, Accept, bearer token, scope, rate limit); for submit, Play's JSON body
// parser (415 and, past Play's 100KiB, 413, both as Play's HTML error page, whose
// layout is approximate; malformed JSON as {"statusCode":400,"message":"Invalid
// Json"}); then
// AuthorisedController (VRN_INVALID, CLIENT_OR_AGENT_NOT_AUTHORISED); request
// validation; and last the back-end call, where the Gov-Test-Scenario is read and
// downstream faults fire.
//
// Submit validation follows SubmitReturnValidator.scala: one list of field errors
// in its order (missing, decimal places, JSON type, period key, range), then
// VAT_NET_VALUE before VAT_TOTAL_VALUE, then NOT_FINALISED. A JSON null is a type
// error; a number sent as a string ("105.50") is accepted and judged like a number.
//
// Headers: Accept must match application/vnd.hmrc.1.0+json as a whole value
// (Versions.scala). Replies made by vat-api's controllers carry X-CorrelationId;
// VRN_INVALID and the enrolment 403 (AuthorisedController.scala) and the body
// parser's errors (LegacyErrorHandler.scala) do not. Submit's Receipt-ID is the
// controller's correlation ID, so on a validation error it equals X-CorrelationId;
// after the back-end call X-CorrelationId is the back end's. Receipt-* headers are
// on every reply the submit controller makes, never on the body parser's.
//
// Create Test User follows api-platform-test-user: the service catalogue of
// Service.scala; services that do not apply to the user type are ignored (201);
// submit-vat-returns gives an organisation a VRN but only the legacy
// HMCE-VATDEC-ORG enrolment, so VAT (MTD) calls answer 403
// CLIENT_OR_AGENT_NOT_AUTHORISED (only mtd-vat enrols HMRC-MTD-VAT); an agent has
// an Agent Services account only with agent-services; every user has a
// groupIdentifier and organisations also individualDetails. An unknown service name
// answers a plain-text 400 as TestUserController.scala's withJsonBody does; its
// exact wording is approximate.
//
// Gov-Test-Scenario: obligations, submit, view return, liabilities and payments
// answer RULE_INCORRECT_GOV_TEST_SCENARIO for a value their stub does not know,
// DEFAULT included. Penalties, financial details and information list DEFAULT (the
// published example) and map no stub error to RULE_INCORRECT_GOV_TEST_SCENARIO, so
// an unknown value there is ignored and the account's own data comes back; what
// HMRC's stubs really answer to an unknown value there is unconfirmed.
//
// OAuth: a code_verifier sent for a code whose authorization request had no
// code_challenge is refused (400 invalid_request) rather than ignored; the
// error_description wording is the emulator's.
//
// # Account state
//
// Without a scenario header the emulator behaves like a real account. Obligations
// follow the user's VAT registration date and stagger (quarterly periods ending
// March, June, September and December, or calendar months), are due one month and
// seven days after the period ends, and carry keys in HMRC's style ("26A3",
// "26AM"). A user joins with its history filed by other means: every period
// before the last one that had ended at creation is fulfilled, so a new user has
// one return to file and the current period open. For the periods of the last
// four years HMRC holds what a real account would (history.go): a return whose
// boxes pass HMRC's checks, the debit charge each raised and the Direct Debit
// that cleared it, one credit return and its repayment (a VAT Return Credit
// Charge and a negative payment). The VRN decides, the same on every run, which
// kind of account it is (HistoryKind): punctual, a late payer, a late filer, a
// serial late filer past the points threshold, or in arrears with its latest
// debit unpaid, so late payment penalties and interest accrue. Filing fulfils the obligation;
// a debit raises a "VAT Return Debit Charge" collected by Direct Debit on its due
// date (or the filing date when late), which then shows as a payment. Returns
// that are late or missing past their due date earn late submission points
// (periods from 2023), including the period a user joined already overdue, once
// it is filed; at the threshold (4 quarterly, 5 monthly) each further
// late return raises a £200 penalty charge with financial details. A debit paid
// more than 15 days late raises late payment penalties (LPP1, and LPP2 after 30
// days) at the rates in force for its due date.
//
// # Modes
//
// Two modes reproduce two behaviours of HMRC's sandbox.
//
// The realistic mode (the default) behaves as HMRC's sandbox does for a test user
// when the stubs are backed by account data, which is how production behaves: the
// account state above, every Gov-Test-Scenario value still answering as HMRC
// documents it.
//
// Options.Canned (the CLI's --canned) reproduces what HMRC's sandbox answers
// without a Gov-Test-Scenario header, from its fixed stub data: the 2017
// obligations (18A1 fulfilled, 18A2 open) whatever is filed, 404 liabilities and
// payments, and the published examples for penalties, financial details and
// information (as if DEFAULT had been sent). Returns are stateful in both modes, as
// in HMRC's sandbox, and validation, headers, enrolment and faults are the same.
//
// # Emulator extensions
//
//   - The service name "mtd-vat-monthly" creates a VAT user with monthly returns.
//   - The out-of-band page (urn:ietf:wg:oauth:2.0:oob) is /oauth/oob; its title is
//     "Success code=CODE" (HMRC's exact wording is not documented).
//   - Fault injection (Options.Faults, InjectFault, ParseFault) and Stats. The
//     kinds "500", "503", "429" and "slow" fire at the gateway, before any check;
//     "downstream-503" (503 SERVICE_UNAVAILABLE "Internal server error", as vat-api
//     answers since May 2026), "hip-403" and "hip-error" fire at the back-end call,
//     after routing and validation, and stay planned until a request gets that far.
//     The HIP kinds apply to penalties and financial details, which vat-api serves
//     from HMRC's HIP back end: a 403 there is CLIENT_OR_AGENT_NOT_AUTHORISED
//     without the full stop, an unmapped HIP code a 500 carrying that code.
//     "auth-error" fails the enrolment check itself: 403 INTERNAL_SERVER_ERROR, as
//     AuthorisedController answers when HMRC's auth service fails.
//   - Options.FPHValidateUserOnly makes the fraud-header validator refuse
//     application tokens, as HMRC reportedly does since 2026-08-26 (unconfirmed).
//   - Financial details also resolve a principal charge reference from the late
//     payment penalties, with the late payment interest on it.
//   - CreateUserWith fixes a test business's VRN, registration date or kind of
//     history (VRNWithHistory), so that tests and documentation can rely on it.
package sandbox
