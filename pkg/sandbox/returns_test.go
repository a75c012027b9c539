package sandbox

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// submission builds a body from the good return with some fields replaced (raw JSON
// values) or removed (value "-").
func submission(periodKey string, changes map[string]string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fmt.Sprintf(goodReturn, periodKey)), &m); err != nil {
		panic(err)
	}
	for k, v := range changes {
		if v == "-" {
			delete(m, k)
		} else {
			m[k] = json.RawMessage(v)
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

const (
	errMissing  = `{"code":"MANDATORY_FIELD_MISSING","message":"a mandatory field is missing","path":"/%s"}`
	errNumeric  = `{"code":"INVALID_NUMERIC_VALUE","message":"please provide a numeric field","path":"/%s"}`
	errMoney    = `{"code":"INVALID_MONETARY_AMOUNT","message":"amount should be a monetary value (to 2 decimal places), between -9,999,999,999,999.99 and 9,999,999,999,999.99","path":"/%s"}`
	errNet      = `{"code":"INVALID_MONETARY_AMOUNT","message":"amount should be a monetary value (to 2 decimal places), between 0 and 99,999,999,999.99","path":"/netVatDue"}`
	errWhole    = `{"code":"INVALID_MONETARY_AMOUNT","message":"The value must be between -9999999999999 and 9999999999999","path":"/%s"}`
	errTotal    = `{"code":"VAT_TOTAL_VALUE","message":"totalVatDue should be equal to vatDueSales + vatDueAcquisitions","path":"/totalVatDue"}`
	errNetValue = `{"code":"VAT_NET_VALUE","message":"netVatDue should be the difference between the largest and the smallest values among totalVatDue and vatReclaimedCurrPeriod","path":"/netVatDue"}`
)

func invalid(items ...string) string {
	return `{"code":"INVALID_REQUEST","message":"Invalid request","errors":[` + strings.Join(items, ",") + `]}`
}

func TestSubmitValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/returns"
	tests := []struct {
		name   string
		body   string
		ctype  string
		status int
		want   string
	}{
		{"malformed json", `{"periodKey":`, "", 400, `{"statusCode":400,"message":"Invalid Json"}`},
		{"wrong content type", submission("A001", nil), "text/plain", 415, ""},
		{"missing periodKey", submission("A001", map[string]string{"periodKey": "-"}), "", 400, invalid(fmt.Sprintf(errMissing, "periodKey"))},
		{"numeric periodKey", submission("A001", map[string]string{"periodKey": "1234"}), "", 400,
			invalid(`{"code":"INVALID_STRING_VALUE","message":"please provide a string field","path":"/periodKey"}`)},
		{"lower-case periodKey", submission("a001", nil), "", 400,
			invalid(`{"code":"PERIOD_KEY_INVALID","message":"period key should be a 4 character string","path":"/periodKey"}`)},
		{"five-char periodKey", submission("A0011", nil), "", 400,
			invalid(`{"code":"PERIOD_KEY_INVALID","message":"period key should be a 4 character string","path":"/periodKey"}`)},
		{"non-numeric string box", submission("A001", map[string]string{"vatDueSales": `"105,50"`}), "", 400, invalid(fmt.Sprintf(errNumeric, "vatDueSales"))},
		{"numeric string box is still scale checked", submission("A001", map[string]string{"vatDueSales": `"105.501"`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"numeric string box is still range checked", submission("A001", map[string]string{"netVatDue": `"-100.10"`}), "", 400, invalid(errNet)},
		// A null is present (MandatoryFieldValidation passes) but fails the type reads
		// (JsonFormatValidation): SubmitReturnValidator.scala.
		{"null box is a type error", submission("A001", map[string]string{"vatDueSales": `null`}), "", 400, invalid(fmt.Sprintf(errNumeric, "vatDueSales"))},
		{"null periodKey is a type error", submission("A001", map[string]string{"periodKey": `null`}), "", 400,
			invalid(`{"code":"INVALID_STRING_VALUE","message":"please provide a string field","path":"/periodKey"}`)},
		{"null finalised is a type error", submission("A001", map[string]string{"finalised": `null`}), "", 400,
			invalid(`{"code":"UNMAPPED_PLAY_ERROR","message":"error.expected.jsboolean","path":"/finalised"}`)},
		// responseFieldValidation lists missing fields, then scale, then types, then the
		// period key, then ranges, whatever the order of the fields.
		{"field errors in the validator's order", submission("a", map[string]string{"netVatDue": `-1`, "totalVatDue": `"x"`, "vatDueAcquisitions": `1.001`, "vatDueSales": "-"}), "", 400,
			invalid(fmt.Sprintf(errMissing, "vatDueSales"), fmt.Sprintf(errMoney, "vatDueAcquisitions"), fmt.Sprintf(errNumeric, "totalVatDue"),
				`{"code":"PERIOD_KEY_INVALID","message":"period key should be a 4 character string","path":"/periodKey"}`, errNet)},
		{"an amount both over-precise and out of range is listed once", submission("A001", map[string]string{"vatDueSales": `99999999999999.999`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"three decimals", submission("A001", map[string]string{"vatDueSales": `105.501`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"trailing zero third decimal is still scale 3", submission("A001", map[string]string{"vatDueSales": `105.500`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"box 1 too big", submission("A001", map[string]string{"vatDueSales": `10000000000000`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"huge exponent", submission("A001", map[string]string{"vatDueSales": `1e999999999`}), "", 400, invalid(fmt.Sprintf(errMoney, "vatDueSales"))},
		{"negative net", submission("A001", map[string]string{"netVatDue": `-100.10`}), "", 400, invalid(errNet)},
		{"net too big", submission("A001", map[string]string{"netVatDue": `100000000000`}), "", 400, invalid(errNet)},
		{"pence in box 6", submission("A001", map[string]string{"totalValueSalesExVAT": `300.5`}), "", 400, invalid(fmt.Sprintf(errWhole, "totalValueSalesExVAT"))},
		{"pence in boxes 6 and 7", submission("A001", map[string]string{"totalValueSalesExVAT": `300.5`, "totalValuePurchasesExVAT": `1.01`}), "", 400,
			invalid(fmt.Sprintf(errWhole, "totalValueSalesExVAT"), fmt.Sprintf(errWhole, "totalValuePurchasesExVAT"))},
		{"box 9 too big", submission("A001", map[string]string{"totalAcquisitionsExVAT": `10000000000000`}), "", 400, invalid(fmt.Sprintf(errWhole, "totalAcquisitionsExVAT"))},
		{"finalised not boolean", submission("A001", map[string]string{"finalised": `"true"`}), "", 400,
			invalid(`{"code":"UNMAPPED_PLAY_ERROR","message":"error.expected.jsboolean","path":"/finalised"}`)},
		{"finalised missing", submission("A001", map[string]string{"finalised": "-"}), "", 400, invalid(fmt.Sprintf(errMissing, "finalised"))},
		{"all field errors at once", `{"finalised":1}`, "", 400, invalid(
			fmt.Sprintf(errMissing, "periodKey"), fmt.Sprintf(errMissing, "vatDueSales"), fmt.Sprintf(errMissing, "vatDueAcquisitions"),
			fmt.Sprintf(errMissing, "totalVatDue"), fmt.Sprintf(errMissing, "vatReclaimedCurrPeriod"), fmt.Sprintf(errMissing, "netVatDue"),
			fmt.Sprintf(errMissing, "totalValueSalesExVAT"), fmt.Sprintf(errMissing, "totalValuePurchasesExVAT"),
			fmt.Sprintf(errMissing, "totalValueGoodsSuppliedExVAT"), fmt.Sprintf(errMissing, "totalAcquisitionsExVAT"),
			`{"code":"UNMAPPED_PLAY_ERROR","message":"error.expected.jsboolean","path":"/finalised"}`)},
		{"field errors come before cross-field", submission("A001", map[string]string{"totalVatDue": `1`, "vatDueSales": `"x"`}), "", 400,
			invalid(fmt.Sprintf(errNumeric, "vatDueSales"))},
		{"box 3 not box 1 + box 2", submission("A001", map[string]string{"totalVatDue": `5.06`, "netVatDue": `100.09`}), "", 400, invalid(errTotal)},
		{"box 5 not the difference", submission("A001", map[string]string{"netVatDue": `100.11`}), "", 400, invalid(errNetValue)},
		// tierFourValidation checks VATNetValueValidation before VATTotalValueValidation.
		{"both cross-field errors", submission("A001", map[string]string{"totalVatDue": `5.06`}), "", 400, invalid(errNetValue, errTotal)},
		{"not finalised", submission("A001", map[string]string{"finalised": `false`}), "", 403,
			`{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"NOT_FINALISED","message":"The return cannot be accepted without a declaration it is finalised.","path":"/finalised"}]}`},
		{"not an object", `[1,2]`, "", 400, invalid(
			fmt.Sprintf(errMissing, "periodKey"), fmt.Sprintf(errMissing, "vatDueSales"), fmt.Sprintf(errMissing, "vatDueAcquisitions"),
			fmt.Sprintf(errMissing, "totalVatDue"), fmt.Sprintf(errMissing, "vatReclaimedCurrPeriod"), fmt.Sprintf(errMissing, "netVatDue"),
			fmt.Sprintf(errMissing, "totalValueSalesExVAT"), fmt.Sprintf(errMissing, "totalValuePurchasesExVAT"),
			fmt.Sprintf(errMissing, "totalValueGoodsSuppliedExVAT"), fmt.Sprintf(errMissing, "totalAcquisitionsExVAT"),
			fmt.Sprintf(errMissing, "finalised"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tt.ctype != "" {
				hdr["Content-Type"] = tt.ctype
			}
			r := e.do("POST", path, tk.AccessToken, tt.body, hdr)
			if tt.status == 415 {
				tt.want = playPage(u.VRN)
			}
			r.expect(t, tt.status, tt.want)
			if strings.HasPrefix(tt.want, `{"statusCode"`) || tt.status == 415 {
				// Play's body parser refused it; the error handler adds no headers
				// (LegacyErrorHandler.scala).
				if h := r.header.Get("Receipt-ID") + r.header.Get("Receipt-Timestamp") + r.header.Get("X-CorrelationId"); h != "" {
					t.Errorf("body-parser error carries controller headers: %v", r.header)
				}
				return
			}
			// SubmitReturnController.scala: a validation error's correlation ID is the
			// controller's, which is also the Receipt-ID.
			if !uuidPattern.MatchString(r.header.Get("Receipt-ID")) || r.header.Get("Receipt-Timestamp") != "2026-11-24T10:30:00Z" ||
				r.header.Get("Receipt-ID") != r.header.Get("X-CorrelationId") {
				t.Errorf("receipt headers on error: %q %q, X-CorrelationId %q", r.header.Get("Receipt-ID"), r.header.Get("Receipt-Timestamp"), r.header.Get("X-CorrelationId"))
			}
			if r.header.Get("Receipt-Signature") != "" {
				t.Error("Receipt-Signature on an error")
			}
		})
	}
	if n := len(e.srv.Returns(u.VRN)); n != 0 {
		t.Errorf("%d returns stored after only invalid submissions", n)
	}
}

func TestSubmitAndView(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "#001"), nil)
	if r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	if !regexp.MustCompile(`^\{"processingDate":"2026-11-24T10:30:00\.000Z","paymentIndicator":"BANK","formBundleNumber":"\d{12}"\}$`).MatchString(r.body) {
		t.Errorf("submit body %s", r.body)
	}
	if r.header.Get("Receipt-Signature") != "This has been deprecated - DO NOT USE" || !uuidPattern.MatchString(r.header.Get("Receipt-ID")) ||
		r.header.Get("Receipt-Timestamp") != "2026-11-24T10:30:00Z" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("submit headers %v", r.header)
	}
	want := `{"periodKey":"#001","vatDueSales":105.5,"vatDueAcquisitions":-100.45,"totalVatDue":5.05,"vatReclaimedCurrPeriod":105.15,` +
		`"netVatDue":100.1,"totalValueSalesExVAT":300,"totalValuePurchasesExVAT":300,"totalValueGoodsSuppliedExVAT":3000,"totalAcquisitionsExVAT":3000}`
	e.do("GET", base+"/returns/%23001", tk.AccessToken, "", nil).expect(t, 200, want)
	if got := string(e.srv.Returns(u.VRN)["#001"]); got != want {
		t.Errorf("Returns() = %s", got)
	}
	dup := `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DUPLICATE_SUBMISSION","message":"The VAT return was already submitted for the given period."}]}`
	e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "#001"), nil).expect(t, 403, dup)

	// A debit: HMRC collects, and gives a charge reference.
	r = e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(debitReturn, "A002"), nil)
	if !regexp.MustCompile(`^\{"processingDate":"2026-11-24T10:30:00\.000Z","paymentIndicator":"DD","formBundleNumber":"\d{12}","chargeRefNumber":"[A-Za-z0-9]{16}"\}$`).MatchString(r.body) || r.status != 201 {
		t.Errorf("debit: %d %s", r.status, r.body)
	}

	nf := e.do("GET", base+"/returns/A009", tk.AccessToken, "", nil)
	nf.expect(t, 404, "")
	if ct := nf.header.Get("Content-Type"); ct != "" {
		t.Errorf("404 view has Content-Type %q", ct)
	}
	e.do("GET", base+"/returns/a001", tk.AccessToken, "", nil).expect(t, 400,
		`{"code":"INVALID_REQUEST","message":"Invalid request","errors":[{"code":"PERIOD_KEY_INVALID","message":"Invalid period key"}]}`)
	if s := e.srv.Stats(); s.Submissions != 2 || s.Requests["submit"] != 3 || s.Requests["view-return"] != 3 {
		t.Errorf("stats = %+v", s)
	}
}

func TestSubmitStatefulRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org() // registered 2020-01-15, quarterly; today 2026-11-24
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A4"), nil).expect(t, 403,
		`{"code":"TAX_PERIOD_NOT_ENDED","message":"The remote endpoint has indicated that the submission is for a tax period that has not ended"}`)
	// A period that has not even begun is not ended either.
	e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "27A2"), nil).expect(t, 403,
		`{"code":"TAX_PERIOD_NOT_ENDED","message":"The remote endpoint has indicated that the submission is for a tax period that has not ended"}`)
	// 26A2 was filed before the business joined MTD here.
	e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A2"), nil).expect(t, 403,
		`{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DUPLICATE_SUBMISSION","message":"The VAT return was already submitted for the given period."}]}`)
	if r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil); r.status != 201 {
		t.Errorf("open, ended period: %d %s", r.status, r.body)
	}
	// On the first day after the period ends it may be filed.
	e.clock.Set(time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC))
	tk = e.login(u)
	if r := e.do("POST", base+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A4"), nil); r.status != 201 {
		t.Errorf("period just ended: %d %s", r.status, r.body)
	}
}

func TestSubmitScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/returns"
	tests := []struct {
		scenario string
		status   int
		body     string
	}{
		{"INVALID_VRN", 400, bodyVRNInvalid},
		{"INVALID_PERIODKEY", 400, `{"code":"PERIOD_KEY_INVALID","message":"Invalid period key"}`},
		{"INVALID_PAYLOAD", 400, `{"code":"INVALID_REQUEST","message":"Invalid request"}`},
		{"DUPLICATE_SUBMISSION", 403, `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DUPLICATE_SUBMISSION","message":"The VAT return was already submitted for the given period."}]}`},
		{"TAX_PERIOD_NOT_ENDED", 403, `{"code":"TAX_PERIOD_NOT_ENDED","message":"The remote endpoint has indicated that the submission is for a tax period that has not ended"}`},
		{"INSOLVENT_TRADER", 403, `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`},
		{"NO_SUCH_THING", 400, `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			e.do("POST", path, tk.AccessToken, fmt.Sprintf(goodReturn, "A001"), map[string]string{"Gov-Test-Scenario": tt.scenario}).expect(t, tt.status, tt.body)
		})
	}
	// Validation runs before the scenario, as vat-api validates before calling the stub.
	e.do("POST", path, tk.AccessToken, submission("A001", map[string]string{"netVatDue": "-1"}), map[string]string{"Gov-Test-Scenario": "INSOLVENT_TRADER"}).
		expect(t, 400, invalid(errNet))
	if n := len(e.srv.Returns(u.VRN)); n != 0 {
		t.Errorf("scenarios stored %d returns", n)
	}
}

func TestViewScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/returns/A001"
	tests := []struct {
		scenario string
		status   int
		body     string
	}{
		{"DATE_RANGE_TOO_LARGE", 403, `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DATE_RANGE_TOO_LARGE","message":"The date of the requested return cannot be further than four years from the current date."}]}`},
		{"INSOLVENT_TRADER", 403, `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`},
		{"QUARTERLY_NONE_MET", 400, `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": tt.scenario}).expect(t, tt.status, tt.body)
		})
	}
}

func TestJSONDecimalScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		scale int
		ok    bool
	}{
		{"1", 0, true}, {"1.2", 1, true}, {"1.23", 2, true}, {"1.230", 3, true}, {"1e3", -3, true},
		{"1.5E1", 0, true}, {"1.234e1", 2, true}, {"-0.01", 2, true}, {"1e41", -41, true}, {"1e+2", -2, true},
		// Play reads any JSON number as a BigDecimal, so a huge one is a number
		// (judged out of range), not a type error; only absurd lengths are refused.
		{"1e999999999", -999999999, true}, {strings.Repeat("9", 65), 0, true}, {strings.Repeat("9", 401), 0, false},
	}
	for _, tt := range tests {
		_, scale, ok := jsonDecimal(tt.in)
		if ok != tt.ok || (ok && scale != tt.scale) {
			t.Errorf("jsonDecimal(%q) = %d, %v; want %d, %v", tt.in, scale, ok, tt.scale, tt.ok)
		}
	}
}

func TestFormatPence(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]string{0: "0", 5: "0.05", 50: "0.5", 10550: "105.5", -10045: "-100.45", 300000: "3000", -1: "-0.01", 999999999999999: "9999999999999.99"} {
		if got := formatPence(in); got != want {
			t.Errorf("formatPence(%d) = %s, want %s", in, got, want)
		}
	}
}
