package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A business joins with its latest ended period still to file. If that period is
// already past its due date, filing it through the API is late like any other
// return: a late submission point from the day it is received, and, for a debit
// still unpaid more than 15 days after the due date, a late payment penalty
// accruing, with interest, until the Direct Debit collects it.
func TestLateFilingThroughAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org() // joins 2026-11-24, with 26A3 (due 2026-11-07) left to file
	tk := e.login(u).AccessToken
	base := "/organisations/vat/" + u.VRN
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200, `{}`)
	if r := e.do("POST", base+"/returns", tk, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	principal := principalRef(u.VRN, "26A3")
	doc := refDigits(u.VRN+"/doc/26A3", 8)
	point := `"lateSubmissionPenalty":{"summary":{"activePenaltyPoints":1,"inactivePenaltyPoints":0,"periodOfComplianceAchievement":"2027-11-24","regimeThreshold":4,"penaltyChargeAmount":0},` +
		`"details":[{"penaltyNumber":"00001","penaltyOrder":"1","penaltyCategory":"point","penaltyStatus":"active","penaltyCreationDate":"2026-11-24","penaltyExpiryDate":"2028-11-24",` +
		`"communicationsDate":"2026-11-27","lateSubmissions":[{"lateSubmissionID":"1000001","taxReturnStatus":"Fulfilled","taxPeriodStartDate":"2026-07-01",` +
		`"taxPeriodEndDate":"2026-09-30","taxPeriodDueDate":"2026-11-07","returnReceiptDate":"2026-11-24"}]}]}`
	principalTail := `"principalChargeDocNumber":"` + doc + `","principalChargeBillingFrom":"2026-07-01","principalChargeBillingTo":"2026-09-30","principalChargeDueDate":"2026-11-07"`

	// The filing day, 17 days after the due date: the debit is not yet collected,
	// so the first penalty is an estimate (3% of the 749.75 unpaid at day 15, the
	// rate for charges due from April 2025) with no charge reference.
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200,
		`{"totalisations":{"penalisedPrincipalTotal":749.75,"latePaymentPenaltyEstimateTotal":22.49},`+point+`,`+
			`"latePaymentPenalty":{"details":[{"principalChargeReference":"`+principal+`","penaltyCategory":"LPP1","penaltyStatus":"accruing",`+
			`"penaltyAmountAccruing":22.49,"penaltyAmountPosted":0,"penaltyAmountPaid":0,"penaltyAmountOutstanding":0,`+
			`"latePaymentPenalty1LowerRateCalculationAmount":749.75,"latePaymentPenalty1LowerRatePercentage":3,`+principalTail+`}]}}`)
	e.do("GET", base+"/liabilities?from=2026-07-01&to=2026-11-24", tk, "", nil).expect(t, 200,
		`{"liabilities":[{"taxPeriod":{"from":"2026-07-01","to":"2026-09-30"},"type":"VAT Return Debit Charge","originalAmount":749.75,"outstandingAmount":749.75,"due":"2026-11-07"}]}`)
	// Interest at 8% a year on 749.75 for the 17 days 8 to 24 November.
	e.do("GET", base+"/financial-details/"+principal, tk, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":749.75,"totalNotYetDue":0,"totalBalance":749.75,"totalCredit":0,"totalCleared":0,`+
			`"additionalReceivableTotalisations":{"totalAccountPostedInterest":0,"totalAccountAccruingInterest":2.79}},`+
			`"documentDetails":[{"postingDate":"2026-11-24","issueDate":"2026-11-24","documentTotalAmount":749.75,"documentClearedAmount":0,"documentOutstandingAmount":749.75,`+
			`"documentInterestTotals":{"interestPostedAmount":0,"interestAccruingAmount":2.79},"lineItemDetails":[{"chargeDescription":"VAT Return",`+
			`"periodFromDate":"2026-07-01","periodToDate":"2026-09-30","netDueDate":"2026-11-07","amount":749.75,`+
			`"lineItemInterestDetails":{"interestStartDate":"2026-11-08","currentInterestRate":8,"interestPostedAmount":0,"interestAccruingAmount":2.79}}]}]}`)

	// The next day the Direct Debit has collected it: the same penalty is posted
	// with a charge reference, and the interest shown accruing yesterday is posted.
	e.clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	tk = e.login(u).AccessToken
	lpp1 := "XP" + refDigits(u.VRN+"/LPP1/26A3", 12)
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200,
		`{"totalisations":{"penalisedPrincipalTotal":749.75,"latePaymentPenaltyPostedTotal":22.49},`+point+`,`+
			`"latePaymentPenalty":{"details":[{"principalChargeReference":"`+principal+`","penaltyCategory":"LPP1","penaltyStatus":"posted",`+
			`"penaltyAmountAccruing":0,"penaltyAmountPosted":22.49,"penaltyAmountPaid":0,"penaltyAmountOutstanding":22.49,`+
			`"latePaymentPenalty1LowerRateCalculationAmount":749.75,"latePaymentPenalty1LowerRatePercentage":3,`+
			`"penaltyChargeCreationDate":"2026-11-24","communicationsDate":"2026-11-27","penaltyChargeReference":"`+lpp1+`","penaltyChargeDueDate":"2026-12-24",`+
			principalTail+`,"principalChargeLatestClearing":"2026-11-24"}]}}`)
	e.do("GET", base+"/financial-details/"+principal, tk, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":0,"totalNotYetDue":0,"totalBalance":0,"totalCredit":0,"totalCleared":749.75,`+
			`"additionalReceivableTotalisations":{"totalAccountPostedInterest":2.79,"totalAccountAccruingInterest":0}},`+
			`"documentDetails":[{"postingDate":"2026-11-24","issueDate":"2026-11-24","documentTotalAmount":749.75,"documentClearedAmount":749.75,"documentOutstandingAmount":0,`+
			`"documentInterestTotals":{"interestPostedAmount":2.79,"interestAccruingAmount":0},"lineItemDetails":[{"chargeDescription":"VAT Return",`+
			`"periodFromDate":"2026-07-01","periodToDate":"2026-09-30","netDueDate":"2026-11-07","amount":749.75,`+
			`"lineItemInterestDetails":{"interestStartDate":"2026-11-08","currentInterestRate":8,"interestPostedAmount":2.79,"interestAccruingAmount":0}}]}]}`)
	e.do("GET", base+"/financial-details/"+lpp1, tk, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":0,"totalNotYetDue":22.49,"totalBalance":22.49,"totalCredit":0,"totalCleared":0},"documentDetails":[{"postingDate":"2026-11-24","issueDate":"2026-11-24",`+
			`"documentTotalAmount":22.49,"documentClearedAmount":0,"documentOutstandingAmount":22.49,"lineItemDetails":[{"chargeDescription":"VAT Late Payment Penalty",`+
			`"periodFromDate":"2026-07-01","periodToDate":"2026-09-30","netDueDate":"2026-12-24","amount":22.49}]}]}`)
}

// Filed late but within 15 days of the due date: a point, and no late payment
// penalty, then or after the Direct Debit has collected the debit.
func TestLateFilingWithinFifteenDays(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.clock.Set(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)) // 15 days after 26A3's due date
	u := e.org()
	tk := e.login(u).AccessToken
	base := "/organisations/vat/" + u.VRN
	if r := e.do("POST", base+"/returns", tk, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	want := `{"lateSubmissionPenalty":{"summary":{"activePenaltyPoints":1,"inactivePenaltyPoints":0,"periodOfComplianceAchievement":"2027-11-22","regimeThreshold":4,"penaltyChargeAmount":0},` +
		`"details":[{"penaltyNumber":"00001","penaltyOrder":"1","penaltyCategory":"point","penaltyStatus":"active","penaltyCreationDate":"2026-11-22","penaltyExpiryDate":"2028-11-22",` +
		`"communicationsDate":"2026-11-25","lateSubmissions":[{"lateSubmissionID":"1000001","taxReturnStatus":"Fulfilled","taxPeriodStartDate":"2026-07-01",` +
		`"taxPeriodEndDate":"2026-09-30","taxPeriodDueDate":"2026-11-07","returnReceiptDate":"2026-11-22"}]}]}}`
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200, want)
	e.clock.Set(time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC))
	tk = e.login(u).AccessToken
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200, want)
}

// A return filed on time through the API earns nothing, even when the business
// joined after an earlier period's due date.
func TestOnTimeFilingThroughAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.clock.Set(time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)) // 26A3 is due 2026-11-07
	u := e.org()
	tk := e.login(u).AccessToken
	base := "/organisations/vat/" + u.VRN
	if r := e.do("POST", base+"/returns", tk, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	e.clock.Set(time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC))
	tk = e.login(u).AccessToken
	e.do("GET", base+"/penalties", tk, "", nil).expect(t, 200, `{}`)
}

// Points from returns filed late through the API count towards the threshold
// with the period the business joined late for: the fourth late quarterly return
// raises the £200 penalty.
func TestLateFilingsReachThreshold(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)) // 26A3 13 days overdue: no late payment penalty
	u := e.org()
	base := "/organisations/vat/" + u.VRN
	for _, f := range []struct {
		key string
		on  time.Time
	}{
		{"26A3", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)},
		{"26A4", time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)}, // due 2027-02-07
		{"27A1", time.Date(2027, 5, 10, 9, 0, 0, 0, time.UTC)}, // due 2027-05-07
		{"27A2", time.Date(2027, 8, 10, 9, 0, 0, 0, time.UTC)}, // due 2027-08-07
	} {
		e.clock.Set(f.on)
		if r := e.do("POST", base+"/returns", e.login(u).AccessToken, fmt.Sprintf(debitReturn, f.key), nil); r.status != 201 {
			t.Fatalf("submit %s: %d %s", f.key, r.status, r.body)
		}
	}
	tk := e.login(u).AccessToken
	ref := chargeRef(u.VRN, 4)
	r := e.do("GET", base+"/penalties", tk, "", nil)
	for _, want := range []string{
		`"totalisations":{"lateSubmissionPenaltyTotalValue":200}`,
		`"summary":{"activePenaltyPoints":4,"inactivePenaltyPoints":0,"periodOfComplianceAchievement":"2028-08-10","regimeThreshold":4,"penaltyChargeAmount":200}`,
		`"taxPeriodStartDate":"2026-07-01","taxPeriodEndDate":"2026-09-30","taxPeriodDueDate":"2026-11-07","returnReceiptDate":"2026-11-20"`,
		`"penaltyNumber":"00004","penaltyOrder":"4","penaltyCategory":"threshold"`,
		`"chargeReference":"` + ref + `","chargeAmount":200,"chargeOutstandingAmount":200,"chargeDueDate":"2027-09-09"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("no %s in %d %s", want, r.status, r.body)
		}
	}
	if strings.Contains(r.body, "latePaymentPenalty") {
		t.Errorf("late payment penalty for debits collected within 15 days: %s", r.body)
	}
	e.do("GET", base+"/financial-details/"+ref, tk, "", nil).expect(t, 200,
		`{"totalisations":{"totalOverdue":0,"totalNotYetDue":200,"totalBalance":200,"totalCredit":0,"totalCleared":0},"documentDetails":[{"postingDate":"2027-08-10","issueDate":"2027-08-10",`+
			`"documentTotalAmount":200,"documentClearedAmount":0,"documentOutstandingAmount":200,"lineItemDetails":[{"chargeDescription":"VAT Late Submission Penalty",`+
			`"periodFromDate":"2027-04-01","periodToDate":"2027-06-30","netDueDate":"2027-09-09","amount":200}]}]}`)
}
