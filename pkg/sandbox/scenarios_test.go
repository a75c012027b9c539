package sandbox

import (
	"fmt"
	"testing"
)

// TestEveryDocumentedScenarioIsKnown sends each Gov-Test-Scenario value HMRC
// documents for an endpoint and checks none is refused as unknown.
func TestEveryDocumentedScenarioIsKnown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	var monthlyObs []string
	for n := 1; n <= 12; n++ {
		monthlyObs = append(monthlyObs, fmt.Sprintf("MONTHLY_OBS_%02d_OPEN", n))
	}
	catalogue := []struct {
		method, path, body string
		scenarios          []string
		lenient            bool // no RULE_INCORRECT_GOV_TEST_SCENARIO: unknown values are ignored
	}{
		{"GET", base + "/obligations?from=2017-01-01&to=2017-12-31", "", append([]string{
			"QUARTERLY_NONE_MET", "QUARTERLY_ONE_MET", "QUARTERLY_TWO_MET", "QUARTERLY_THREE_MET", "QUARTERLY_FOUR_MET",
			"MONTHLY_NONE_MET", "MONTHLY_ONE_MET", "MONTHLY_TWO_MET", "MONTHLY_THREE_MET", "MONTHLY_OBS_12_FULFILLED",
			"QUARTERLY_OBS_01_OPEN", "QUARTERLY_OBS_02_OPEN", "QUARTERLY_OBS_03_OPEN", "QUARTERLY_OBS_04_OPEN", "QUARTERLY_OBS_04_FULFILLED",
			"MULTIPLE_OPEN_MONTHLY", "MULTIPLE_OPEN_QUARTERLY", "OBS_SPANS_MULTIPLE_YEARS", "INSOLVENT_TRADER", "NOT_FOUND",
		}, monthlyObs...), false},
		{"POST", base + "/returns", fmt.Sprintf(goodReturn, "A001"), []string{
			"INVALID_VRN", "INVALID_PERIODKEY", "INVALID_PAYLOAD", "DUPLICATE_SUBMISSION", "TAX_PERIOD_NOT_ENDED", "INSOLVENT_TRADER",
		}, false},
		{"GET", base + "/returns/A001", "", []string{"DATE_RANGE_TOO_LARGE", "INSOLVENT_TRADER"}, false},
		{"GET", base + "/liabilities?from=2017-01-02&to=2017-12-21", "", []string{
			"SINGLE_LIABILITY", "MULTIPLE_LIABILITIES", "SINGLE_LIABILITY_2018_19", "MULTIPLE_LIABILITIES_2018_19", "INSOLVENT_TRADER",
		}, false},
		{"GET", base + "/payments?from=2017-01-02&to=2017-12-21", "", []string{
			"SINGLE_PAYMENT", "MULTIPLE_PAYMENTS", "SINGLE_PAYMENT_2018_19", "MULTIPLE_PAYMENTS_2018_19", "INSOLVENT_TRADER",
		}, false},
		{"GET", base + "/penalties", "", []string{
			"DEFAULT", "NO_PENALTIES", "LATE_SUBMISSION", "LATE_PAYMENT", "MULTIPLE_PENALTIES", "MULTIPLE_LATE_PAYMENT_PENALTIES",
			"MULTIPLE_LATE_SUBMISSION_PENALTIES", "MULTIPLE_INACTIVE_LATE_SUBMISSION_PENALTIES", "THRESHOLD_LATE_SUBMISSION_PENALTIES",
			"CHARGE_LATE_SUBMISSION_PENALTIES",
		}, true},
		{"GET", base + "/financial-details/XP123456789012", "", []string{"DEFAULT"}, true},
		{"GET", base + "/information", "", []string{
			"DEFAULT", "CUSTOMER_INFO_NOT_FOUND", "NO_EFFECTREGISTRATIONDATE", "NO_FLATRATESCHEME", "NO_EFFECTREGISTRATIONDATE_NO_FRS",
		}, true},
	}
	unknown := `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`
	for _, c := range catalogue {
		for _, sc := range c.scenarios {
			r := e.do(c.method, c.path, tk.AccessToken, c.body, map[string]string{"Gov-Test-Scenario": sc})
			if r.body == unknown || r.status >= 500 {
				t.Errorf("%s %s with %s: %d %s", c.method, c.path, sc, r.status, r.body)
			}
		}
		for _, sc := range []string{"NO_SUCH_SCENARIO", "DEFAULT"} {
			if c.lenient && sc == "DEFAULT" {
				continue // listed above
			}
			r := e.do(c.method, c.path, tk.AccessToken, c.body, map[string]string{"Gov-Test-Scenario": sc})
			if c.lenient != (r.body != unknown) {
				t.Errorf("%s %s with %s: %d %s", c.method, c.path, sc, r.status, r.body)
			}
		}
	}
}
