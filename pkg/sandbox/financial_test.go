package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const bodyNoData = `{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`

func TestFinancialQueryValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	tests := []struct {
		query string
		code  string
	}{
		{"", "DATE_FROM_INVALID"},
		{"to=2026-01-01", "DATE_FROM_INVALID"},
		{"from=2016-04-05&to=2016-12-01", "DATE_FROM_INVALID"},
		{"from=2026-02-30&to=2026-06-01", "DATE_FROM_INVALID"},
		{"from=2026-01-01", "DATE_TO_INVALID"},
		{"from=2026-01-01&to=2026-11-25", "DATE_TO_INVALID"}, // after today
		{"from=2026-01-01&to=2026-01-01", "DATE_RANGE_INVALID"},
		{"from=2025-01-01&to=2026-01-01", "DATE_RANGE_INVALID"},
	}
	for _, ep := range []string{"liabilities", "payments"} {
		for _, tt := range tests {
			t.Run(ep+"?"+tt.query, func(t *testing.T) {
				e.do("GET", "/organisations/vat/"+u.VRN+"/"+ep+"?"+tt.query, tk.AccessToken, "", nil).expect(t, 400, legacy(tt.code))
			})
		}
		// 2016-04-06 is the first day, and 364 days the longest range.
		e.do("GET", "/organisations/vat/"+u.VRN+"/"+ep+"?from=2016-04-06&to=2017-04-05", tk.AccessToken, "", nil).expect(t, 404, bodyNoData)
	}
}

func TestLiabilitiesAndPaymentsFollowReturns(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	if r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	q := "?from=2026-09-01&to=2026-11-24" // after the history's last charge and payment
	e.do("GET", base+"/liabilities"+q, tk.AccessToken, "", nil).expect(t, 200,
		`{"liabilities":[{"taxPeriod":{"from":"2026-07-01","to":"2026-09-30"},"type":"VAT Return Debit Charge","originalAmount":749.75,"outstandingAmount":749.75,"due":"2026-11-07"}]}`)
	e.do("GET", base+"/payments"+q, tk.AccessToken, "", nil).expect(t, 404, bodyNoData)

	// Filed late, so collected on the day it was filed; paid once that day is over.
	e.clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	tk = e.login(u)
	q = "?from=2026-09-01&to=2026-11-25"
	e.do("GET", base+"/liabilities"+q, tk.AccessToken, "", nil).expect(t, 200,
		`{"liabilities":[{"taxPeriod":{"from":"2026-07-01","to":"2026-09-30"},"type":"VAT Return Debit Charge","originalAmount":749.75,"outstandingAmount":0,"due":"2026-11-07"}]}`)
	e.do("GET", base+"/payments"+q, tk.AccessToken, "", nil).expect(t, 200, `{"payments":[{"amount":749.75,"received":"2026-11-24"}]}`)
	// A window that ends before the period does not show it.
	e.do("GET", base+"/liabilities?from=2026-09-01&to=2026-09-29", tk.AccessToken, "", nil).expect(t, 404, bodyNoData)
}

func TestCreditReturnOwesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	if r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	e.do("GET", base+"/liabilities?from=2026-09-01&to=2026-11-24", tk.AccessToken, "", nil).expect(t, 404, bodyNoData)
}

func TestLiabilityAndPaymentScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	tests := []struct {
		path, scenario string
		status         int
		body           string
	}{
		{"/liabilities?from=2017-01-02&to=2017-02-02", "SINGLE_LIABILITY", 200,
			`{"liabilities":[{"taxPeriod":{"from":"2017-01-01","to":"2017-02-01"},"type":"VAT Return Debit Charge","originalAmount":463872,"outstandingAmount":463872,"due":"2017-03-08"}]}`},
		{"/liabilities?from=2017-04-05&to=2017-12-21", "MULTIPLE_LIABILITIES", 200, `{"liabilities":[` +
			`{"taxPeriod":{"from":"2017-01-01","to":"2017-04-05"},"type":"VAT Return Debit Charge","originalAmount":463872,"outstandingAmount":463872,"due":"2017-05-12"},` +
			`{"taxPeriod":{"from":"2017-04-01","to":"2017-04-30"},"type":"VAT Return Debit Charge","originalAmount":15,"outstandingAmount":0,"due":"2017-06-09"},` +
			`{"taxPeriod":{"from":"2017-08-01","to":"2017-08-31"},"type":"VAT CA Charge","originalAmount":8493.38,"outstandingAmount":7493.38,"due":"2017-10-07"},` +
			`{"taxPeriod":{"from":"2017-10-01","to":"2017-12-01"},"type":"VAT OA Debit Charge","originalAmount":3000,"outstandingAmount":2845,"due":"2017-12-31"}]}`},
		{"/liabilities?from=2017-04-05&to=2017-09-30", "MULTIPLE_LIABILITIES", 200, `{"liabilities":[` +
			`{"taxPeriod":{"from":"2017-01-01","to":"2017-04-05"},"type":"VAT Return Debit Charge","originalAmount":463872,"outstandingAmount":463872,"due":"2017-05-12"},` +
			`{"taxPeriod":{"from":"2017-04-01","to":"2017-04-30"},"type":"VAT Return Debit Charge","originalAmount":15,"outstandingAmount":0,"due":"2017-06-09"},` +
			`{"taxPeriod":{"from":"2017-08-01","to":"2017-08-31"},"type":"VAT CA Charge","originalAmount":8493.38,"outstandingAmount":7493.38,"due":"2017-10-07"}]}`},
		{"/liabilities?from=2018-01-02&to=2018-02-02", "SINGLE_LIABILITY_2018_19", 200,
			`{"liabilities":[{"taxPeriod":{"from":"2018-01-01","to":"2018-02-01"},"type":"VAT Return Debit Charge","originalAmount":463872,"outstandingAmount":463872,"due":"2018-03-08"}]}`},
		{"/liabilities?from=2017-01-02&to=2017-02-02", "INSOLVENT_TRADER", 403, `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`},
		{"/liabilities?from=2017-01-02&to=2017-02-02", "SINGLE_PAYMENT", 400, `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`},
		{"/liabilities?from=2017-01-02&to=2017-02-02", "", 404, bodyNoData},
		{"/payments?from=2017-01-02&to=2017-02-02", "SINGLE_PAYMENT", 200, `{"payments":[{"amount":1534.65,"received":"2017-02-12"}]}`},
		{"/payments?from=2017-02-27&to=2017-12-21", "MULTIPLE_PAYMENTS", 200,
			`{"payments":[{"amount":5,"received":"2017-02-11"},{"amount":50,"received":"2017-03-11"},{"amount":1000,"received":"2017-03-12"},{"amount":321,"received":"2017-08-05"},{"amount":91},{"amount":5,"received":"2017-09-12"}]}`},
		{"/payments?from=2018-02-27&to=2018-12-21", "MULTIPLE_PAYMENTS_2018_19", 200,
			`{"payments":[{"amount":5,"received":"2018-02-11"},{"amount":50,"received":"2018-03-11"},{"amount":1000,"received":"2018-03-12"},{"amount":321,"received":"2018-08-05"},{"amount":91},{"amount":5,"received":"2018-09-12"}]}`},
		{"/payments?from=2018-01-02&to=2018-02-02", "SINGLE_PAYMENT_2018_19", 200, `{"payments":[{"amount":1534.65,"received":"2018-02-12"}]}`},
		{"/payments?from=2017-01-02&to=2017-02-02", "INSOLVENT_TRADER", 403, `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`},
		{"/payments?from=2017-01-02&to=2017-02-02", "NOPE", 400, `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario+tt.path, func(t *testing.T) {
			e.do("GET", base+tt.path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": tt.scenario}).expect(t, tt.status, tt.body)
		})
	}
}

func TestPenaltiesStateful(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org() // joined 2026-11-24 with 26A3 (due 2026-11-07) open: no penalty for the time before
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	e.do("GET", base+"/penalties", tk.AccessToken, "", nil).expect(t, 200, `{}`)

	// Leave 26A4 (due 2027-02-07) unfiled past its due date: one point.
	e.clock.Set(time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC))
	tk = e.login(u)
	e.do("GET", base+"/penalties", tk.AccessToken, "", nil).expect(t, 200,
		`{"lateSubmissionPenalty":{"summary":{"activePenaltyPoints":1,"inactivePenaltyPoints":0,"periodOfComplianceAchievement":"2028-02-08","regimeThreshold":4,"penaltyChargeAmount":0},`+
			`"details":[{"penaltyNumber":"00001","penaltyOrder":"1","penaltyCategory":"point","penaltyStatus":"active","penaltyCreationDate":"2027-02-08","penaltyExpiryDate":"2029-02-08","communicationsDate":"2027-02-11",`+
			`"lateSubmissions":[{"lateSubmissionID":"1000001","taxReturnStatus":"Open","taxPeriodStartDate":"2026-10-01","taxPeriodEndDate":"2026-12-31","taxPeriodDueDate":"2027-02-07"}]}]}}`)

	// Keep filing nothing for a year: the fourth point reaches the threshold and
	// raises a £200 charge whose financial details can be fetched.
	e.clock.Set(time.Date(2027, 11, 10, 9, 0, 0, 0, time.UTC))
	tk = e.login(u)
	r := e.do("GET", base+"/penalties", tk.AccessToken, "", nil)
	if r.status != 200 || !strings.Contains(r.body, `"activePenaltyPoints":4`) || !strings.Contains(r.body, `"penaltyCategory":"threshold"`) ||
		!strings.Contains(r.body, `"totalisations":{"lateSubmissionPenaltyTotalValue":200}`) {
		t.Fatalf("penalties after four late returns: %d %s", r.status, r.body)
	}
	ref := chargeRef(u.VRN, 4)
	if !strings.Contains(r.body, `"chargeReference":"`+ref+`"`) {
		t.Fatalf("no charge %s in %s", ref, r.body)
	}
	e.do("GET", base+"/financial-details/"+ref, tk.AccessToken, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":0,"totalNotYetDue":200,"totalBalance":200,"totalCredit":0,"totalCleared":0},"documentDetails":[{"postingDate":"2027-11-08","issueDate":"2027-11-08",`+
			`"documentTotalAmount":200,"documentClearedAmount":0,"documentOutstandingAmount":200,"lineItemDetails":[{"chargeDescription":"VAT Late Submission Penalty",`+
			`"periodFromDate":"2027-07-01","periodToDate":"2027-09-30","netDueDate":"2027-12-08","amount":200}]}]}`)
	e.do("GET", base+"/financial-details/XP000000000000", tk.AccessToken, "", nil).expect(t, 404,
		`{"code":"MATCHING_RESOURCE_NOT_FOUND","message":"The supplied income source could not be found"}`)
	e.do("GET", base+"/financial-details/AB12", tk.AccessToken, "", nil).expect(t, 400,
		`{"code":"CHARGE_REFERENCE_INVALID","message":"The provided chargeReference is invalid"}`)
}

func TestPenaltyScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/penalties"
	for sc := range penaltyScenarios {
		t.Run(sc, func(t *testing.T) {
			r := e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": sc})
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			switch sc {
			case "NO_PENALTIES":
				if r.body != "{}" {
					t.Errorf("body %s", r.body)
				}
			case "LATE_PAYMENT", "MULTIPLE_LATE_PAYMENT_PENALTIES":
				if strings.Contains(r.body, "lateSubmissionPenalty\"") || !strings.Contains(r.body, "latePaymentPenalty") {
					t.Errorf("body %s", r.body)
				}
			case "MULTIPLE_INACTIVE_LATE_SUBMISSION_PENALTIES":
				if strings.Contains(r.body, `"active"`) || !strings.Contains(r.body, `"inactive"`) {
					t.Errorf("body %s", r.body)
				}
			default:
				if !strings.Contains(r.body, "lateSubmissionPenalty") {
					t.Errorf("body %s", r.body)
				}
			}
		})
	}
	// PenaltiesController.scala maps no stub error to RULE_INCORRECT_GOV_TEST_SCENARIO:
	// an unknown value is ignored and the account's own penalties come back.
	e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": "LATE"}).expect(t, 200, `{}`)
	r := e.do("GET", "/organisations/vat/"+u.VRN+"/financial-details/XP123456789012", tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": "DEFAULT"})
	if r.status != 200 || !strings.Contains(r.body, `"chargeDescription":"VAT Return"`) {
		t.Errorf("financial details DEFAULT: %d %s", r.status, r.body)
	}
}

func TestInformation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/information"
	tests := []struct {
		scenario string
		status   int
		body     string
	}{
		{"", 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`},
		{"DEFAULT", 200, `{"customerDetails":{"effectiveRegistrationDate":"2001-01-01"},"flatRateScheme":{"frsCategory":"001","startDate":"2001-01-01"}}`},
		{"NO_EFFECTREGISTRATIONDATE", 200, `{"flatRateScheme":{"frsCategory":"001","startDate":"2001-01-01"}}`},
		{"NO_FLATRATESCHEME", 200, `{"customerDetails":{"effectiveRegistrationDate":"2001-01-01"}}`},
		{"NO_EFFECTREGISTRATIONDATE_NO_FRS", 200, `{}`},
		{"CUSTOMER_INFO_NOT_FOUND", 404, `{"code":"NOT_FOUND","message":"The requested resource could not be found"}`},
		// CustomerInfoController.scala has no RULE_INCORRECT_GOV_TEST_SCENARIO: an
		// unknown value is ignored.
		{"INSOLVENT_TRADER", 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": tt.scenario}).expect(t, tt.status, tt.body)
		})
	}
}

func TestLatePaymentPenalties(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	base := "/organisations/vat/" + u.VRN
	// 26A4 is due 2027-02-07; filing on 2027-03-20 pays the debit 41 days late.
	e.clock.Set(time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC))
	tk := e.login(u)
	if r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(debitReturn, "26A4"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	e.clock.Set(time.Date(2027, 3, 21, 12, 0, 0, 0, time.UTC))
	tk = e.login(u)
	r := e.do("GET", base+"/penalties", tk.AccessToken, "", nil)
	principal := "XV" + refDigits(u.VRN+"/principal/26A4", 12)
	doc := refDigits(u.VRN+"/doc/26A4", 8)
	lpp1 := "XP" + refDigits(u.VRN+"/LPP1/26A4", 12)
	lpp2 := "XP" + refDigits(u.VRN+"/LPP2/26A4", 12)
	common := `"penaltyChargeCreationDate":"2027-03-20","communicationsDate":"2027-03-23","penaltyChargeReference":"%s","penaltyChargeDueDate":"2027-04-19",` +
		`"principalChargeDocNumber":"` + doc + `","principalChargeBillingFrom":"2026-10-01","principalChargeBillingTo":"2026-12-31",` +
		`"principalChargeDueDate":"2027-02-07","principalChargeLatestClearing":"2027-03-20"}`
	want := `{"totalisations":{"penalisedPrincipalTotal":749.75,"latePaymentPenaltyPostedTotal":47.25},` +
		`"lateSubmissionPenalty":{"summary":{"activePenaltyPoints":1,"inactivePenaltyPoints":0,"periodOfComplianceAchievement":"2028-03-20","regimeThreshold":4,"penaltyChargeAmount":0},` +
		`"details":[{"penaltyNumber":"00001","penaltyOrder":"1","penaltyCategory":"point","penaltyStatus":"active","penaltyCreationDate":"2027-03-20","penaltyExpiryDate":"2029-03-20",` +
		`"communicationsDate":"2027-03-23","lateSubmissions":[{"lateSubmissionID":"1000001","taxReturnStatus":"Fulfilled","taxPeriodStartDate":"2026-10-01",` +
		`"taxPeriodEndDate":"2026-12-31","taxPeriodDueDate":"2027-02-07","returnReceiptDate":"2027-03-20"}]}]},` +
		`"latePaymentPenalty":{"details":[` +
		`{"principalChargeReference":"` + principal + `","penaltyCategory":"LPP1","penaltyStatus":"posted","penaltyAmountAccruing":0,"penaltyAmountPosted":44.99,` +
		`"penaltyAmountPaid":0,"penaltyAmountOutstanding":44.99,"latePaymentPenalty1LowerRateCalculationAmount":749.75,"latePaymentPenalty1LowerRatePercentage":3,` +
		`"latePaymentPenalty1HigherRateCalculationAmount":749.75,"latePaymentPenalty1HigherRatePercentage":6,` + fmt.Sprintf(common, lpp1) + `,` +
		`{"principalChargeReference":"` + principal + `","penaltyCategory":"LPP2","penaltyStatus":"posted","penaltyAmountAccruing":0,"penaltyAmountPosted":2.26,` +
		`"penaltyAmountPaid":0,"penaltyAmountOutstanding":2.26,"latePaymentPenalty2Days":"11","latePaymentPenalty2Percentage":10,` + fmt.Sprintf(common, lpp2) + `]}}`
	r.expect(t, 200, want)
	e.do("GET", base+"/financial-details/"+lpp2, tk.AccessToken, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":0,"totalNotYetDue":2.26,"totalBalance":2.26,"totalCredit":0,"totalCleared":0},"documentDetails":[{"postingDate":"2027-03-20","issueDate":"2027-03-20",`+
			`"documentTotalAmount":2.26,"documentClearedAmount":0,"documentOutstandingAmount":2.26,"lineItemDetails":[{"chargeDescription":"VAT Late Payment Penalty",`+
			`"periodFromDate":"2026-10-01","periodToDate":"2026-12-31","netDueDate":"2027-04-19","amount":2.26}]}]}`)
}

func TestLatePaymentRates(t *testing.T) {
	t.Parallel()
	if r := ratesFor(d("2025-03-31")); r != (lppRates{2, 4, 4}) {
		t.Errorf("rates before April 2025: %+v", r)
	}
	if r := ratesFor(d("2025-04-01")); r != (lppRates{3, 6, 10}) {
		t.Errorf("rates from April 2025: %+v", r)
	}
	for _, tt := range []struct{ pence, pct, days, per, want int64 }{
		{74975, 6, 1, 1, 4499}, {74975, 10, 11, 365, 226}, {100, 2, 1, 1, 2}, {25, 2, 1, 1, 1}, {24, 2, 1, 1, 0},
	} {
		if got := percentOf(tt.pence, tt.pct, tt.days, tt.per); got != tt.want {
			t.Errorf("percentOf(%d, %d, %d, %d) = %d, want %d", tt.pence, tt.pct, tt.days, tt.per, got, tt.want)
		}
	}
}
