package hmrc

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// windowed serves one canned body per requested from date and records the windows asked for.
type windowed struct {
	mu     sync.Mutex
	asked  []string
	bodies map[string]string // from → body; missing → 404 NOT_FOUND
}

func (s *windowed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	s.mu.Lock()
	s.asked = append(s.asked, from+".."+to)
	s.mu.Unlock()
	if b, ok := s.bodies[from]; ok {
		reply(w, 200, b)
		return
	}
	reply(w, 404, `{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`)
}

func liab(from, to string, amount int, due string) string {
	return fmt.Sprintf(`{"taxPeriod":{"from":%q,"to":%q},"type":"VAT Return Debit Charge","originalAmount":%d,"outstandingAmount":%d,"due":%q}`,
		from, to, amount, amount, due)
}

func TestLiabilitiesThreeYearsSplitAndMerged(t *testing.T) {
	t.Parallel()
	straddling := liab("2018-10-01", "2018-12-31", 300, "2019-02-07")
	s := &windowed{bodies: map[string]string{
		"2018-01-01": `{"liabilities":[` + liab("2018-01-01", "2018-03-31", 100, "2018-05-07") + `,` + straddling + `]}`,
		"2019-01-01": `{"liabilities":[` + straddling + `,` + liab("2019-01-01", "2019-03-31", 463872, "2019-05-07") + `]}`,
		// 2020 has no data: HMRC answers 404 NOT_FOUND, which is an empty window.
	}}
	c, _ := setup(t, s)
	got, _, err := c.Liabilities(t.Context(), "123456789", d("2018-01-01"), d("2020-12-31"))
	if err != nil {
		t.Fatalf("Liabilities: %v", err)
	}
	wantAsked := []string{"2018-01-01..2018-12-31", "2019-01-01..2019-12-31", "2020-01-01..2020-12-31"}
	if !reflect.DeepEqual(s.asked, wantAsked) {
		t.Errorf("windows asked = %v, want %v", s.asked, wantAsked)
	}
	var amounts []vatreturn.Money
	for _, l := range got {
		amounts = append(amounts, l.OriginalAmount)
	}
	if want := []vatreturn.Money{10000, 30000, 46387200}; !reflect.DeepEqual(amounts, want) {
		t.Errorf("merged amounts = %v, want %v (in order, boundary item once)", amounts, want)
	}
	if got[0].OutstandingAmount == nil || *got[0].OutstandingAmount != 10000 || got[0].Due != d("2018-05-07") ||
		got[0].TaxPeriod == nil || got[0].TaxPeriod.To != d("2018-03-31") {
		t.Errorf("first liability = %+v", got[0])
	}
}

func TestLiabilitiesNoDataIsEmptyNotError(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, &windowed{})
	got, _, err := c.Liabilities(t.Context(), "123456789", d("2024-01-01"), d("2024-06-30"))
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Liabilities = %v, %v; want an empty list", got, err)
	}
}

func TestLiabilitiesWrongPath404IsAnError(t *testing.T) {
	t.Parallel()
	h, _ := sequence(status(404, `{"code":"MATCHING_RESOURCE_NOT_FOUND","message":"A resource with the name in the request can not be found in the API"}`))
	c, _ := setup(t, h)
	if _, _, err := c.Payments(t.Context(), "123456789", d("2024-01-01"), d("2024-06-30")); !errors.Is(err, CodeError(CodeMatchingResourceNotFound)) {
		t.Fatalf("err = %v, want MATCHING_RESOURCE_NOT_FOUND", err)
	}
}

func TestPaymentsCapturedBody(t *testing.T) {
	t.Parallel()
	s := &windowed{bodies: map[string]string{
		"2017-02-27": `{"payments":[{"amount":5,"received":"2017-02-11"},{"amount":50,"received":"2017-03-11"},{"amount":1000,"received":"2017-03-12"},{"amount":321,"received":"2017-08-05"},{"amount":91},{"amount":5,"received":"2017-09-12"}]}`,
	}}
	c, _ := setup(t, s)
	got, _, err := c.Payments(t.Context(), "123456789", d("2017-02-27"), d("2017-12-21"))
	if err != nil {
		t.Fatalf("Payments: %v", err)
	}
	want := []Payment{{500, d("2017-02-11")}, {5000, d("2017-03-11")}, {100000, d("2017-03-12")},
		{32100, d("2017-08-05")}, {9100, Date{}}, {500, d("2017-09-12")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Payments = %v, want %v", got, want)
	}
}

func TestObligationsSplitAndDeduplicated(t *testing.T) {
	t.Parallel()
	s := &windowed{bodies: map[string]string{
		"2017-01-01": `{"obligations":[{"periodKey":"17A4","start":"2017-10-01","end":"2017-12-31","due":"2018-02-07","status":"F","received":"2018-02-01"}]}`,
		"2018-01-02": `{"obligations":[{"periodKey":"17A4","start":"2017-10-01","end":"2017-12-31","due":"2018-02-07","status":"F","received":"2018-02-01"},{"periodKey":"18A1","start":"2018-01-01","end":"2018-03-31","due":"2018-05-07","status":"O"}]}`,
	}}
	c, _ := setup(t, s)
	got, _, err := c.Obligations(t.Context(), "123456789", ObligationsOptions{From: d("2017-01-01"), To: d("2018-06-30")})
	if err != nil {
		t.Fatalf("Obligations: %v", err)
	}
	if want := []string{"2017-01-01..2018-01-01", "2018-01-02..2018-06-30"}; !reflect.DeepEqual(s.asked, want) {
		t.Errorf("windows = %v, want %v", s.asked, want)
	}
	if len(got) != 2 || got[0].PeriodKey != "17A4" || got[1].PeriodKey != "18A1" {
		t.Errorf("obligations = %+v", got)
	}
}

func TestObligationsQueryEncoding(t *testing.T) {
	t.Parallel()
	var q string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { q = r.URL.RawQuery; reply(w, 200, obligationsOK) })
	c, _ := setup(t, h)
	if _, _, err := c.Obligations(t.Context(), "123456789", ObligationsOptions{Status: StatusOpen}); err != nil || q != "status=O" {
		t.Errorf("open only: query %q, err %v", q, err)
	}
	if _, _, err := c.Obligations(t.Context(), "123456789", ObligationsOptions{From: d("2017-01-01"), To: d("2017-12-31"), Status: StatusFulfilled}); err != nil ||
		q != "from=2017-01-01&status=F&to=2017-12-31" {
		t.Errorf("fulfilled: query %q, err %v", q, err)
	}
}

func TestPenaltiesAndFinancialDetailsDecodeSpecExamples(t *testing.T) {
	t.Parallel()
	penalties, err := readSpecExample("Penalties.json")
	if err != nil {
		t.Fatal(err)
	}
	fin, err := readSpecExample("FinancialDetails.json")
	if err != nil {
		t.Fatal(err)
	}
	var chargeRef string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/organisations/vat/123456789/penalties":
			reply(w, 200, penalties)
		case "/organisations/vat/123456789/financial-details/XP123456789012":
			chargeRef = "XP123456789012"
			reply(w, 200, fin)
		default:
			reply(w, 404, `{"code":"MATCHING_RESOURCE_NOT_FOUND","message":"x"}`)
		}
	})
	c, _ := setup(t, h)
	p, _, err := c.Penalties(t.Context(), "123456789")
	if err != nil {
		t.Fatalf("Penalties: %v", err)
	}
	if p.Totalisations.LatePaymentPenaltyPostedTotal != 42521 || p.LateSubmissionPenalty.Summary.ActivePenaltyPoints != 4 ||
		len(p.LateSubmissionPenalty.Details) != 3 || p.LateSubmissionPenalty.Details[1].ChargeReference != "XS198765432109" ||
		*p.LateSubmissionPenalty.Details[1].ChargeAmount != 20000 ||
		len(p.LatePaymentPenalty.Details) != 2 || p.LatePaymentPenalty.Details[1].PenaltyAmountAccruing != 3068 ||
		p.LatePaymentPenalty.Details[0].LPP1HigherRatePercentage.String() != "4" ||
		p.LatePaymentPenalty.Details[0].TimeToPay[0].TimeToPayEndDate != d("2024-07-11") {
		t.Errorf("Penalties decoded wrongly: %+v", p)
	}
	ref := p.LatePaymentPenalty.Details[0].PenaltyChargeReference
	f, _, err := c.FinancialDetails(t.Context(), "123456789", ref)
	if err != nil || chargeRef != ref {
		t.Fatalf("FinancialDetails(%q): %v", ref, err)
	}
	if f.Totalisations.TotalOverdue.String() != "123.45" || f.Totalisations.AdditionalReceivableTotalisations.TotalAccountAccruingInterest.String() != "12.1" ||
		f.DocumentDetails[0].LineItemDetails[0].Amount.String() != "123.45" || f.DocumentDetails[0].LineItemDetails[0].ChargeDescription != "VAT Return" {
		t.Errorf("FinancialDetails decoded wrongly: %+v", f)
	}
	// No penalties: HMRC sends {}.
	h2, _ := sequence(status(200, `{}`))
	c2, _ := setup(t, h2)
	if p, _, err := c2.Penalties(t.Context(), "123456789"); err != nil || p.LateSubmissionPenalty != nil || p.Totalisations != nil {
		t.Errorf("empty penalties = %+v, %v", p, err)
	}
}

func TestInformation(t *testing.T) {
	t.Parallel()
	h, _ := sequence(status(200, `{"customerDetails":{"effectiveRegistrationDate":"2014-03-21"},"flatRateScheme":{"frsCategory":"001","startDate":"2016-01-01"}}`))
	c, _ := setup(t, h)
	ci, _, err := c.Information(t.Context(), "123456789")
	if err != nil || ci.CustomerDetails.EffectiveRegistrationDate != d("2014-03-21") || ci.FlatRateScheme.FRSCategory != "001" {
		t.Fatalf("Information = %+v, %v", ci, err)
	}
}

// A penalty's rate goes out in -o json as HMRC sent it: through a float64, digits beyond its
// precision would be lost.
func TestPenaltyRatesKeptExactly(t *testing.T) {
	t.Parallel()
	in := `{"principalChargeReference":"X","penaltyCategory":"LPP1","penaltyStatus":"posted","penaltyAmountAccruing":0,"penaltyAmountPosted":1,` +
		`"latePaymentPenalty1LowerRatePercentage":2.0000000000000000001,"principalChargeDocNumber":"1"}`
	var d LatePaymentDetails
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"latePaymentPenalty1LowerRatePercentage":2.0000000000000000001`) {
		t.Errorf("rate not kept exactly: %s", b)
	}
}
