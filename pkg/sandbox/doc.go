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
// what the code does (legacy {"statusCode":400,"message":"INVALID_DATE_FROM"}
// bodies, INVALID_REQUEST and BUSINESS_ERROR wrappers on submit, an empty 404 with
// no Content-Type from view return). Checks run in HMRC's order: the gateway
// (resource, Accept, bearer token, scope, rate limit), then vat-api's routing
// (VRN_INVALID), enrolment (CLIENT_OR_AGENT_NOT_AUTHORISED), request validation,
// and last the Gov-Test-Scenario, which only the downstream stub reads.
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
// (periods from 2023); at the threshold (4 quarterly, 5 monthly) each further
// late return raises a £200 penalty charge with financial details. A debit paid
// more than 15 days late raises late payment penalties (LPP1, and LPP2 after 30
// days) at the rates in force for its due date.
//
// Options.Canned instead reproduces the historic canned sandbox: the 2017
// obligations (18A1 fulfilled, 18A2 open) whatever is filed, 404 liabilities and
// payments, and the published examples for penalties, financial details and
// information. Returns are stateful in both modes, as in HMRC's sandbox.
//
// # Emulator extensions
//
//   - The service name "mtd-vat-monthly" creates a VAT user with monthly returns.
//   - Gov-Test-Scenario "DEFAULT" is accepted by every endpoint; where HMRC lists
//     no DEFAULT it means the stateful behaviour.
//   - The out-of-band page (urn:ietf:wg:oauth:2.0:oob) is /oauth/oob; its title is
//     "Success code=CODE" (HMRC's exact wording is not documented).
//   - Fault injection (Options.Faults, InjectFault, ParseFault) and Stats.
//   - Financial details also resolve a principal charge reference from the late
//     payment penalties, with the late payment interest on it.
//   - CreateUserWith fixes a test business's VRN, registration date or kind of
//     history (VRNWithHistory), so that tests and documentation can rely on it.
package sandbox
