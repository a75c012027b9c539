package sandbox

import (
	"fmt"
	"net/http"
	"time"
)

// Gov-Test-Scenario handling. vat-api passes the header to its downstream stub
// after its own validation; an unknown value comes back as
// TEST_ONLY_UNMATCHED_STUB_ERROR, which vat-api turns into
// RULE_INCORRECT_GOV_TEST_SCENARIO.

const msgInsolvent = "The remote endpoint has indicated that the Trader is insolvent"

func writeUnknownScenario(w http.ResponseWriter) {
	writeErr(w, http.StatusBadRequest, "RULE_INCORRECT_GOV_TEST_SCENARIO", "The Gov-Test-Scenario was not found")
}

// Scenarios shared by several endpoints, and which endpoints know them.
var (
	obligationScenarios = map[string]bool{"INSOLVENT_TRADER": true, "NOT_FOUND": true}
	insolventOnly       = map[string]bool{"INSOLVENT_TRADER": true}
)

// writeCommonScenario answers the INSOLVENT_TRADER and NOT_FOUND scenarios when set
// admits them, and reports whether it did.
func writeCommonScenario(w http.ResponseWriter, scenario string, set map[string]bool) bool {
	if !set[scenario] {
		return false
	}
	switch scenario {
	case "INSOLVENT_TRADER":
		writeErr(w, http.StatusForbidden, "RULE_INSOLVENT_TRADER", msgInsolvent)
	case "NOT_FOUND":
		writeErr(w, http.StatusNotFound, "NOT_FOUND", msgNoData)
	default:
		return false
	}
	return true
}

func d(s string) time.Time {
	t, _ := parseDate(s)
	return t
}

// cannedPeriods builds obligations over consecutive months or quarters of a year,
// with the first `met` fulfilled the day before they were due, as the sandbox's
// stub data has them.
func cannedPeriods(year, firstMonth, count int, monthly bool, met int, keyYear int) []obligation {
	var out []obligation
	months := 3
	if monthly {
		months = 1
	}
	for i := range count {
		start := time.Date(year, time.Month(firstMonth+i*months), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, months, -1)
		due := dueDate(end)
		key := periodKeyFor(time.Date(keyYear, end.Month(), 1, 0, 0, 0, 0, time.UTC), monthly)
		o := obligation{Start: fmtDate(start), End: fmtDate(end), Due: fmtDate(due), Status: "O", PeriodKey: key}
		if i < met {
			o.Status, o.Received = "F", fmtDate(due.AddDate(0, 0, -1))
		}
		out = append(out, o)
	}
	return out
}

// cannedObligations returns the stub's fixed obligations for a scenario ("" is the
// default: quarterly, one met). The 2017 sets reproduce bodies captured from the
// sandbox (period keys 18A1…, 18AD…).
func cannedObligations(scenario string) ([]obligation, bool) {
	switch scenario {
	case "", "QUARTERLY_ONE_MET":
		return cannedPeriods(2017, 1, 2, false, 1, 2018), true
	case "QUARTERLY_NONE_MET":
		return cannedPeriods(2017, 1, 1, false, 0, 2018), true
	case "QUARTERLY_TWO_MET":
		return cannedPeriods(2017, 1, 3, false, 2, 2018), true
	case "QUARTERLY_THREE_MET":
		return cannedPeriods(2017, 1, 4, false, 3, 2018), true
	case "QUARTERLY_FOUR_MET":
		return cannedPeriods(2017, 1, 4, false, 4, 2018), true
	case "MONTHLY_NONE_MET":
		return cannedPeriods(2017, 1, 1, true, 0, 2018), true
	case "MONTHLY_ONE_MET":
		return cannedPeriods(2017, 1, 2, true, 1, 2018), true
	case "MONTHLY_TWO_MET":
		return cannedPeriods(2017, 1, 3, true, 2, 2018), true
	case "MONTHLY_THREE_MET":
		return cannedPeriods(2017, 1, 4, true, 3, 2018), true
	case "MONTHLY_OBS_12_FULFILLED":
		return cannedPeriods(2018, 1, 12, true, 12, 2018), true
	case "QUARTERLY_OBS_04_FULFILLED":
		return cannedPeriods(2018, 1, 4, false, 4, 2018), true
	case "MULTIPLE_OPEN_MONTHLY":
		return cannedPeriods(2018, 1, 2, true, 0, 2018), true
	case "MULTIPLE_OPEN_QUARTERLY":
		return cannedPeriods(2018, 1, 2, false, 0, 2018), true
	case "OBS_SPANS_MULTIPLE_YEARS":
		return []obligation{{Start: "2018-10-01", End: "2019-01-31", Due: "2019-03-07", Status: "O", PeriodKey: "19A1"}}, true
	}
	for n := 1; n <= 12; n++ {
		if scenario == fmt.Sprintf("MONTHLY_OBS_%02d_OPEN", n) {
			return cannedPeriods(2018, 1, n, true, n-1, 2018), true
		}
		if n <= 4 && scenario == fmt.Sprintf("QUARTERLY_OBS_%02d_OPEN", n) {
			return cannedPeriods(2018, 1, n, false, n-1, 2018), true
		}
	}
	return nil, false
}

// liability and payment are the wire shapes of those endpoints.
type taxPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type liability struct {
	TaxPeriod         *taxPeriod `json:"taxPeriod,omitempty"`
	Type              string     `json:"type"`
	OriginalAmount    amount     `json:"originalAmount"`
	OutstandingAmount *amount    `json:"outstandingAmount,omitempty"`
	Due               string     `json:"due,omitempty"`
}

type payment struct {
	Amount   amount `json:"amount"`
	Received string `json:"received,omitempty"`
}

func amt(p int64) *amount { a := amount(p); return &a }

// cannedLiabilities holds the stub's liability sets; the 2017 ones are the captured
// bodies, the 2018-19 ones the same shapes a year on.
func cannedLiabilities(scenario string) ([]liability, bool) {
	single := func(y int) []liability {
		return []liability{{&taxPeriod{fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-02-01", y)}, "VAT Return Debit Charge", 46387200, amt(46387200), fmt.Sprintf("%d-03-08", y)}}
	}
	multiple := func(y int) []liability {
		return []liability{
			{&taxPeriod{fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-04-05", y)}, "VAT Return Debit Charge", 46387200, amt(46387200), fmt.Sprintf("%d-05-12", y)},
			{&taxPeriod{fmt.Sprintf("%d-04-01", y), fmt.Sprintf("%d-04-30", y)}, "VAT Return Debit Charge", 1500, amt(0), fmt.Sprintf("%d-06-09", y)},
			{&taxPeriod{fmt.Sprintf("%d-08-01", y), fmt.Sprintf("%d-08-31", y)}, "VAT CA Charge", 849338, amt(749338), fmt.Sprintf("%d-10-07", y)},
			{&taxPeriod{fmt.Sprintf("%d-10-01", y), fmt.Sprintf("%d-12-01", y)}, "VAT OA Debit Charge", 300000, amt(284500), fmt.Sprintf("%d-12-31", y)},
		}
	}
	switch scenario {
	case "SINGLE_LIABILITY":
		return single(2017), true
	case "MULTIPLE_LIABILITIES":
		return multiple(2017), true
	case "SINGLE_LIABILITY_2018_19":
		return single(2018), true
	case "MULTIPLE_LIABILITIES_2018_19":
		return multiple(2018), true
	}
	return nil, false
}

func cannedPayments(scenario string) ([]payment, bool) {
	single := func(y int) []payment { return []payment{{153465, fmt.Sprintf("%d-02-12", y)}} }
	multiple := func(y int) []payment {
		return []payment{
			{500, fmt.Sprintf("%d-02-11", y)}, {5000, fmt.Sprintf("%d-03-11", y)}, {100000, fmt.Sprintf("%d-03-12", y)},
			{32100, fmt.Sprintf("%d-08-05", y)}, {9100, ""}, {500, fmt.Sprintf("%d-09-12", y)},
		}
	}
	switch scenario {
	case "SINGLE_PAYMENT":
		return single(2017), true
	case "MULTIPLE_PAYMENTS":
		return multiple(2017), true
	case "SINGLE_PAYMENT_2018_19":
		return single(2018), true
	case "MULTIPLE_PAYMENTS_2018_19":
		return multiple(2018), true
	}
	return nil, false
}

// Submit scenarios answer after the request has passed validation, with the
// downstream stub's reply.
func writeSubmitScenario(w http.ResponseWriter, scenario string) bool {
	switch scenario {
	case "INVALID_VRN":
		writeErr(w, http.StatusBadRequest, "VRN_INVALID", "The provided VRN is invalid")
	case "INVALID_PERIODKEY":
		writeErr(w, http.StatusBadRequest, "PERIOD_KEY_INVALID", "Invalid period key")
	case "INVALID_PAYLOAD":
		writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", "Invalid request")
	case "DUPLICATE_SUBMISSION":
		writeDuplicate(w)
	case "TAX_PERIOD_NOT_ENDED":
		writeErr(w, http.StatusForbidden, "TAX_PERIOD_NOT_ENDED", msgPeriodNotEnded)
	case "INSOLVENT_TRADER":
		writeErr(w, http.StatusForbidden, "RULE_INSOLVENT_TRADER", msgInsolvent)
	default:
		return false
	}
	return true
}

const msgPeriodNotEnded = "The remote endpoint has indicated that the submission is for a tax period that has not ended"

func writeDuplicate(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, apiErr{Code: "BUSINESS_ERROR", Message: "Business validation error", Errors: []apiErr{{
		Code: "DUPLICATE_SUBMISSION", Message: "The VAT return was already submitted for the given period.",
	}}})
}
