package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

// withVRN gives a user another VRN, so that a test can choose its history.
func (e *env) withVRN(u TestUser, vrn string) TestUser {
	e.t.Helper()
	e.srv.mu.Lock()
	e.srv.st.Users[u.UserID].VRN = vrn
	e.srv.mu.Unlock()
	u.VRN = vrn
	return u
}

// punctual gives a VAT user a VRN whose history is all on time, so that tests of
// what happens after joining are not disturbed by penalties from before it.
func (e *env) punctual(u TestUser) TestUser {
	e.t.Helper()
	if u.VRN == "" || histKind(u.VRN) == histPunctual {
		return u
	}
	for {
		if v := newVRN(); histKind(v) == histPunctual {
			return e.withVRN(u, v)
		}
	}
}

// vrnOfKind finds a VRN, the same on every run, with the given kind of history.
func vrnOfKind(t *testing.T, kind string) string {
	t.Helper()
	for i := range 10000 {
		if v := fmt.Sprintf("%09d", 100000000+i); histKind(v) == kind {
			return v
		}
	}
	t.Fatalf("no VRN of kind %s", kind)
	return ""
}

// historyUser is a quarterly business registered in 2015, so its whole four-year
// history is there, with the given VRN.
func (e *env) historyUser(vrn string) (TestUser, string) {
	u := e.withVRN(e.user("organisation", []string{"mtd-vat"}, "2015-03-10"), vrn)
	return u, e.login(u).AccessToken
}

func penceOf(t *testing.T, n json.Number) int64 {
	t.Helper()
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		t.Fatalf("not a number: %q", n)
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		t.Fatalf("not whole pence: %s", n)
	}
	return r.Num().Int64()
}

func decode(t *testing.T, r reply, v any) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// yearWindows splits the last four years into the windows the endpoints allow,
// newest last, as a client listing history would.
func yearWindows(today time.Time, obligations bool) [][2]string {
	var out [][2]string
	for y := 4; y >= 1; y-- {
		from, to := plusMonths(today, -12*y), plusMonths(today, -12*(y-1))
		if !obligations {
			// Financial data allows a year less a day, and from < to.
			to = plusMonths(from, 12).AddDate(0, 0, -1)
			if to.After(today) {
				to = today
			}
		}
		out = append(out, [2]string{fmtDate(from), fmtDate(to)})
	}
	return out
}

type obligationsReply struct {
	Obligations []struct {
		Start, End, Due, Status, PeriodKey, Received string
	}
}

type liabilitiesReply struct {
	Liabilities []struct {
		TaxPeriod                         struct{ From, To string }
		Type, Due                         string
		OriginalAmount, OutstandingAmount json.Number
	}
}

type paymentsReply struct {
	Payments []struct {
		Amount   json.Number
		Received string
	}
}

func TestHistoryFourYearsOfQuarters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u, tk := e.historyUser(vrnOfKind(t, histPunctual))
	base := "/organisations/vat/" + u.VRN
	fulfilled := func() map[string]bool {
		seen := map[string]bool{}
		for _, w := range yearWindows(dateOnly(testNow), true) {
			r := e.do("GET", base+"/obligations?status=F&from="+w[0]+"&to="+w[1], tk, "", nil)
			var ob obligationsReply
			decode(t, r, &ob)
			for _, o := range ob.Obligations {
				seen[o.PeriodKey] = true
			}
		}
		return seen
	}
	// Joined 2026-11-24 with 26A3 left to file: 22A4 (ending within the four
	// years) to 26A2 are held, and each has a return.
	got := fulfilled()
	if len(got) != 15 || !got["22A4"] || !got["26A2"] || got["26A3"] {
		t.Fatalf("fulfilled before filing: %d %v", len(got), got)
	}
	for key := range got {
		r := e.do("GET", base+"/returns/"+key, tk, "", nil)
		if r.status != 200 || !strings.Contains(r.body, `"periodKey":"`+key+`"`) {
			t.Errorf("return %s: %d %s", key, r.status, r.body)
		}
	}
	// Older than four years: filed, but no body, as before.
	if r := e.do("GET", base+"/returns/22A3", tk, "", nil); r.status != 404 || r.body != "" {
		t.Errorf("22A3: %d %q", r.status, r.body)
	}
	// Filing the outstanding return works as before and makes sixteen quarters.
	if r := e.do("POST", base+"/returns", tk, fmt.Sprintf(debitReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit 26A3: %d %s", r.status, r.body)
	}
	if got := fulfilled(); len(got) != 16 || !got["26A3"] {
		t.Fatalf("fulfilled after filing: %d %v", len(got), got)
	}
	// A history period counts as filed.
	r := e.do("POST", base+"/returns", tk, fmt.Sprintf(debitReturn, "26A2"), nil)
	if r.status != 403 || !strings.Contains(r.body, "DUPLICATE_SUBMISSION") {
		t.Errorf("refiling 26A2: %d %s", r.status, r.body)
	}
}

func TestHistoryMonthly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.withVRN(e.user("organisation", []string{ServiceMTDVATMonthly}, "2015-03-10"), vrnOfKind(t, histPunctual))
	e.srv.mu.Lock()
	hs := historyFor(e.srv.userByVRNLocked(u.VRN))
	e.srv.mu.Unlock()
	// Nov 2022 (ending within the four years) to Sep 2026 (October is left to
	// file): 47 months.
	if len(hs) != 47 || hs[0].period.Key != "22AN" || hs[len(hs)-1].period.Key != "26AL" {
		t.Fatalf("monthly history: %d from %s to %s", len(hs), hs[0].period.Key, hs[len(hs)-1].period.Key)
	}
}

// TestHistoryDeterministic: two emulators, one VRN, the same account.
func TestHistoryDeterministic(t *testing.T) {
	t.Parallel()
	vrn := vrnOfKind(t, histLatePayer)
	var bodies [2][]string
	for i := range bodies {
		e := newEnv(t, Options{})
		u, tk := e.historyUser(vrn)
		base := "/organisations/vat/" + u.VRN
		paths := []string{"/penalties", "/returns/24A3", "/returns/25A4"}
		for _, w := range yearWindows(dateOnly(testNow), false) {
			paths = append(paths, "/liabilities?from="+w[0]+"&to="+w[1], "/payments?from="+w[0]+"&to="+w[1])
		}
		for _, w := range yearWindows(dateOnly(testNow), true) {
			paths = append(paths, "/obligations?from="+w[0]+"&to="+w[1])
		}
		for _, p := range paths {
			r := e.do("GET", base+p, tk, "", nil)
			bodies[i] = append(bodies[i], fmt.Sprint(r.status, " ", r.body))
		}
	}
	for i := range bodies[0] {
		if bodies[0][i] != bodies[1][i] {
			t.Errorf("differs:\n%s\n%s", bodies[0][i], bodies[1][i])
		}
	}
	// Another VRN, another business.
	a := historyFor(&userRec{TestUser: TestUser{VRN: vrn, VATRegistrationDate: "2015-03-10"}, Created: testNow})
	b := historyFor(&userRec{TestUser: TestUser{VRN: vrnOfKind(t, histPunctual), VATRegistrationDate: "2015-03-10"}, Created: testNow})
	if len(a) != len(b) || a[0].boxes == b[0].boxes {
		t.Errorf("two VRNs, same first return: %v %v", a[0].boxes, b[0].boxes)
	}
}

// TestHistoryBoxesPlausible checks every history return of many businesses
// against the rules HMRC applies to a submission, and for plausible ratios.
func TestHistoryBoxesPlausible(t *testing.T) {
	t.Parallel()
	for i := range 400 {
		vrn := fmt.Sprintf("%09d", 200000000+i*7919)
		stagger := "quarterly"
		if i%3 == 0 {
			stagger = "monthly"
		}
		u := &userRec{TestUser: TestUser{VRN: vrn, VATRegistrationDate: "2019-06-17", Stagger: stagger}, Created: testNow}
		hs := historyFor(u)
		credits := 0
		for _, h := range hs {
			b := h.boxes
			v, _ := json.Marshal(h.view())
			var body map[string]any
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			if err := dec.Decode(&body); err != nil {
				t.Fatal(err)
			}
			body["finalised"] = true
			if _, errs := validateSubmission(body); len(errs) > 0 {
				t.Fatalf("%s %s: HMRC would refuse %s: %+v", vrn, h.period.Key, v, errs)
			}
			for j := 5; j < 9; j++ {
				if b[j]%100 != 0 || b[j] < 0 {
					t.Errorf("%s %s box %d = %d pence", vrn, h.period.Key, j+1, b[j])
				}
			}
			if b[5] == 0 || b[0]*5 > b[5] || b[1]*5 > b[8] || b[3]*5 > b[6]+500 {
				t.Errorf("%s %s: VAT more than 20%% of the values: %v", vrn, h.period.Key, b)
			}
			if h.credit() {
				credits++
				if !h.settled.After(h.received) || h.settled.After(h.received.AddDate(0, 0, histRepayMaxDays)) {
					t.Errorf("%s %s: repaid %s for a return received %s", vrn, h.period.Key, fmtDate(h.settled), fmtDate(h.received))
				}
			}
			if h.received.After(testNow) || (!h.settled.IsZero() && h.settled.After(testNow)) {
				t.Errorf("%s %s: received %s, settled %s: after joining", vrn, h.period.Key, h.received, h.settled)
			}
		}
		if credits != 1 {
			t.Errorf("%s: %d credit returns, want one", vrn, credits)
		}
	}
}

// TestHistoryAccountConsistent reads each kind of account through every view and
// checks that they tell one story.
func TestHistoryAccountConsistent(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{histPunctual, histLatePayer, histLateFiler, histSerialFiler, histArrears} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{})
			u, tk := e.historyUser(vrnOfKind(t, kind))
			base := "/organisations/vat/" + u.VRN
			today := dateOnly(testNow)

			obs := map[string]string{} // period end → key
			received := map[string]string{}
			for _, w := range yearWindows(today, true) {
				var ob obligationsReply
				decode(t, e.do("GET", base+"/obligations?status=F&from="+w[0]+"&to="+w[1], tk, "", nil), &ob)
				for _, o := range ob.Obligations {
					obs[o.End] = o.PeriodKey
					received[o.PeriodKey] = o.Received
				}
			}
			liab := map[string][2]int64{} // period key → original, outstanding
			liabType := map[string]string{}
			var cleared int64
			for _, w := range yearWindows(today, false) {
				var l liabilitiesReply
				decode(t, e.do("GET", base+"/liabilities?from="+w[0]+"&to="+w[1], tk, "", nil), &l)
				for _, x := range l.Liabilities {
					key := obs[x.TaxPeriod.To]
					if key == "" {
						continue // outside the obligations' window
					}
					o, out := penceOf(t, x.OriginalAmount), penceOf(t, x.OutstandingAmount)
					liab[key], liabType[key] = [2]int64{o, out}, x.Type
					cleared += o - out
				}
			}
			var paid int64
			amounts := map[int64]bool{}
			for _, w := range yearWindows(today, false) {
				r := e.do("GET", base+"/payments?from="+w[0]+"&to="+w[1], tk, "", nil)
				if r.status == 404 {
					continue
				}
				var p paymentsReply
				decode(t, r, &p)
				for _, x := range p.Payments {
					paid += penceOf(t, x.Amount)
					amounts[penceOf(t, x.Amount)] = true
				}
			}
			credits := 0
			for _, key := range obs {
				var v struct{ TotalVatDue, VatReclaimedCurrPeriod, NetVatDue json.Number }
				decode(t, e.do("GET", base+"/returns/"+key, tk, "", nil), &v)
				box3, box4, box5 := penceOf(t, v.TotalVatDue), penceOf(t, v.VatReclaimedCurrPeriod), penceOf(t, v.NetVatDue)
				l, ok := liab[key]
				switch {
				case box3 > box4:
					if !ok || l[0] != box5 || liabType[key] != "VAT Return Debit Charge" {
						t.Errorf("%s: debit return of %d, liability %v %q", key, box5, l, liabType[key])
					}
				case box4 > box3:
					credits++
					if !ok || l[0] != -box5 || l[1] != 0 || liabType[key] != "VAT Return Credit Charge" {
						t.Errorf("%s: credit return of %d, liability %v %q", key, box5, l, liabType[key])
					}
					if !amounts[-box5] {
						t.Errorf("%s: credit return of %d, no repayment among %v", key, box5, amounts)
					}
				}
			}
			if credits == 0 {
				t.Error("no credit return in four years")
			}
			if paid != cleared {
				t.Errorf("payments total %d pence, liabilities cleared %d", paid, cleared)
			}

			var pen struct {
				Totalisations         map[string]json.Number
				LateSubmissionPenalty *struct {
					Summary struct{ ActivePenaltyPoints int }
					Details []struct {
						PenaltyCategory, ChargeReference      string
						ChargeAmount, ChargeOutstandingAmount json.Number
						LateSubmissions                       []struct {
							TaxPeriodDueDate, ReturnReceiptDate, TaxReturnStatus string
						}
					}
				}
				LatePaymentPenalty *struct {
					Details []struct {
						PrincipalChargeReference, PenaltyCategory, PenaltyStatus, PenaltyChargeReference string
						PrincipalChargeBillingTo                                                         string
						PenaltyAmountAccruing, PenaltyAmountPosted, PenaltyAmountPaid                    json.Number
						PenaltyAmountOutstanding                                                         json.Number
					}
				}
			}
			decode(t, e.do("GET", base+"/penalties", tk, "", nil), &pen)
			resolve := func(ref string, want int64) map[string]any {
				t.Helper()
				var fd struct {
					Totalisations   map[string]any
					DocumentDetails []struct {
						DocumentTotalAmount json.Number
						LineItemDetails     []map[string]any
					}
				}
				decode(t, e.do("GET", base+"/financial-details/"+ref, tk, "", nil), &fd)
				if got := penceOf(t, fd.DocumentDetails[0].DocumentTotalAmount); want >= 0 && got != want {
					t.Errorf("%s: document total %d, want %d", ref, got, want)
				}
				return fd.DocumentDetails[0].LineItemDetails[0]
			}
			switch kind {
			case histPunctual:
				if pen.LateSubmissionPenalty != nil || pen.LatePaymentPenalty != nil {
					t.Errorf("punctual business with penalties: %+v", pen)
				}
			case histLateFiler, histSerialFiler:
				if pen.LateSubmissionPenalty == nil || len(pen.LateSubmissionPenalty.Details) == 0 {
					t.Fatalf("late filer without points")
				}
				charges := 0
				for _, d := range pen.LateSubmissionPenalty.Details {
					ls := d.LateSubmissions[0]
					if ls.TaxReturnStatus != "Fulfilled" || ls.ReturnReceiptDate <= ls.TaxPeriodDueDate {
						t.Errorf("point for a return that was not late: %+v", ls)
					}
					if d.ChargeReference != "" {
						charges++
						resolve(d.ChargeReference, penceOf(t, d.ChargeAmount))
						if penceOf(t, d.ChargeOutstandingAmount) != 0 {
							t.Errorf("%s: a penalty due before joining is unpaid", d.ChargeReference)
						}
					}
				}
				if kind == histSerialFiler && (pen.LateSubmissionPenalty.Summary.ActivePenaltyPoints < 4 || charges == 0) {
					t.Errorf("serial late filer: %d points, %d charges", pen.LateSubmissionPenalty.Summary.ActivePenaltyPoints, charges)
				}
			case histLatePayer, histArrears:
				if pen.LatePaymentPenalty == nil {
					t.Fatalf("%s without late payment penalties", kind)
				}
				accruing := 0
				for _, d := range pen.LatePaymentPenalty.Details {
					key := obs[d.PrincipalChargeBillingTo]
					line := resolve(d.PrincipalChargeReference, liab[key][0])
					interest, _ := line["lineItemInterestDetails"].(map[string]any)
					if interest == nil {
						t.Errorf("%s: late principal without interest: %v", d.PrincipalChargeReference, line)
					}
					switch d.PenaltyStatus {
					case "accruing":
						accruing++
						if d.PenaltyChargeReference != "" || penceOf(t, d.PenaltyAmountAccruing) <= 0 || liab[key][1] != liab[key][0] {
							t.Errorf("accruing penalty %+v on liability %v", d, liab[key])
						}
						if interest != nil && penceOf(t, interest["interestAccruingAmount"].(json.Number)) <= 0 {
							t.Errorf("unpaid principal accrues no interest: %v", interest)
						}
					case "posted":
						resolve(d.PenaltyChargeReference, penceOf(t, d.PenaltyAmountPosted))
						if penceOf(t, d.PenaltyAmountPaid) != penceOf(t, d.PenaltyAmountPosted) || penceOf(t, d.PenaltyAmountOutstanding) != 0 {
							t.Errorf("%s: a penalty due before joining is unpaid: %+v", d.PenaltyChargeReference, d)
						}
						if interest != nil && penceOf(t, interest["interestPostedAmount"].(json.Number)) <= 0 {
							t.Errorf("principal paid late, no interest posted: %v", interest)
						}
					}
				}
				if (kind == histArrears) != (accruing > 0) {
					t.Errorf("%s: %d accruing penalties", kind, accruing)
				}
				if kind == histArrears && pen.Totalisations["latePaymentPenaltyEstimateTotal"] == "" {
					t.Errorf("no estimate total: %v", pen.Totalisations)
				}
			}
		})
	}
}

func TestHistoryCannedKeeps2017(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Canned: true})
	u, tk := e.historyUser(vrnOfKind(t, histLatePayer))
	base := "/organisations/vat/" + u.VRN
	if r := e.do("GET", base+"/returns/26A2", tk, "", nil); r.status != 404 {
		t.Errorf("canned return 26A2: %d %s", r.status, r.body)
	}
	e.do("GET", base+"/liabilities?from=2025-11-25&to=2026-11-24", tk, "", nil).expect(t, 404, bodyNoData)
}

func TestLateInterest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		due, until string
		want       int64
	}{
		{"2025-05-01", "2025-05-01", 0},
		{"2025-05-01", "2025-05-11", 233},  // ten days at 8.5% on £1,000
		{"2025-05-20", "2025-05-30", 231},  // seven days at 8.5%, three at 8.25%
		{"2023-12-31", "2024-12-31", 7655}, // a leap year: 366 days at 7.75%, 7.5% and 7.25%
	} {
		if got := lateInterest(100000, d(tt.due), d(tt.until)); got != tt.want {
			t.Errorf("lateInterest(%s..%s) = %d, want %d", tt.due, tt.until, got, tt.want)
		}
	}
}

func TestCreateUserWith(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, kind := range HistoryKinds {
		vrn, err := VRNWithHistory(kind, 1)
		if err != nil || !ValidVRN(vrn) || HistoryKind(vrn) != kind {
			t.Fatalf("VRNWithHistory(%s) = %s, %v", kind, vrn, err)
		}
		if again, _ := VRNWithHistory(kind, 1); again != vrn {
			t.Errorf("VRNWithHistory(%s) gave %s then %s", kind, vrn, again)
		}
	}
	u, err := e.srv.CreateUserWith("organisation", []string{"mtd-vat"}, UserSpec{History: HistoryArrears, VATRegistrationDate: "2015-03-10"})
	if err != nil || HistoryKind(u.VRN) != HistoryArrears || u.VATRegistrationDate != "2015-03-10" {
		t.Fatalf("CreateUserWith: %+v %v", u, err)
	}
	tk := e.login(u)
	r := e.do("GET", "/organisations/vat/"+u.VRN+"/penalties", tk.AccessToken, "", nil)
	if !strings.Contains(r.body, `"penaltyStatus":"accruing"`) {
		t.Errorf("arrears business: %s", r.body)
	}
	if _, err := e.srv.CreateUserWith("organisation", []string{"mtd-vat"}, UserSpec{VRN: u.VRN}); !errors.Is(err, ErrVRNTaken) {
		t.Errorf("second user with %s: %v", u.VRN, err)
	}
	// Registered this quarter: nothing filed yet, so no history at all.
	n, err := e.srv.CreateUserWith("organisation", []string{"mtd-vat"}, UserSpec{VRN: "123456782", VATRegistrationDate: "2026-10-05"})
	if err != nil {
		t.Fatal(err)
	}
	tk = e.login(n)
	e.do("GET", "/organisations/vat/123456782/obligations?status=F&from=2025-11-25&to=2026-11-24", tk.AccessToken, "", nil).expect(t, 404, bodyNoData)
	e.do("GET", "/organisations/vat/123456782/penalties", tk.AccessToken, "", nil).expect(t, 200, `{}`)
	for _, bad := range []UserSpec{{VRN: "12345"}, {VATRegistrationDate: "2027-01-01"}, {History: "chaotic"}, {History: HistoryPunctual, VRN: "123456782"}} {
		if _, err := e.srv.CreateUserWith("organisation", []string{"mtd-vat"}, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, err := e.srv.CreateUserWith("agent", []string{"agent-services"}, UserSpec{History: HistoryPunctual}); err == nil {
		t.Error("history for an agent accepted")
	}
}

func BenchmarkHistoryMonthly(b *testing.B) {
	u := &userRec{TestUser: TestUser{VRN: "100000003", VATRegistrationDate: "2005-01-10", Stagger: "monthly"}, Created: testNow}
	for b.Loop() {
		historyFor(u)
	}
}
