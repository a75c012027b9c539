package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Late submission penalty rules (VAT penalty reform, periods from 1 January 2023):
// one point per late return, a £200 charge at and after the threshold, points
// expire after 24 months.
var penaltyRegimeStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

const penaltyChargePence = 20000

type lateSubmission struct {
	LateSubmissionID   string `json:"lateSubmissionID"`
	TaxReturnStatus    string `json:"taxReturnStatus"`
	TaxPeriodStartDate string `json:"taxPeriodStartDate"`
	TaxPeriodEndDate   string `json:"taxPeriodEndDate"`
	TaxPeriodDueDate   string `json:"taxPeriodDueDate"`
	ReturnReceiptDate  string `json:"returnReceiptDate,omitempty"`
}

type lspDetail struct {
	PenaltyNumber           string           `json:"penaltyNumber"`
	PenaltyOrder            string           `json:"penaltyOrder"`
	PenaltyCategory         string           `json:"penaltyCategory"`
	PenaltyStatus           string           `json:"penaltyStatus"`
	PenaltyCreationDate     string           `json:"penaltyCreationDate"`
	PenaltyExpiryDate       string           `json:"penaltyExpiryDate"`
	ExpiryReason            string           `json:"expiryReason,omitempty"`
	CommunicationsDate      string           `json:"communicationsDate,omitempty"`
	LateSubmissions         []lateSubmission `json:"lateSubmissions,omitempty"`
	ChargeReference         string           `json:"chargeReference,omitempty"`
	ChargeAmount            *amount          `json:"chargeAmount,omitempty"`
	ChargeOutstandingAmount *amount          `json:"chargeOutstandingAmount,omitempty"`
	ChargeDueDate           string           `json:"chargeDueDate,omitempty"`
}

type lspSummary struct {
	ActivePenaltyPoints           int    `json:"activePenaltyPoints"`
	InactivePenaltyPoints         int    `json:"inactivePenaltyPoints"`
	PeriodOfComplianceAchievement string `json:"periodOfComplianceAchievement"`
	RegimeThreshold               int    `json:"regimeThreshold"`
	PenaltyChargeAmount           amount `json:"penaltyChargeAmount"`
}

type penaltyTotals struct {
	LateSubmissionPenaltyTotalValue *amount `json:"lateSubmissionPenaltyTotalValue,omitempty"`
	PenalisedPrincipalTotal         *amount `json:"penalisedPrincipalTotal,omitempty"`
	LatePaymentPenaltyPostedTotal   *amount `json:"latePaymentPenaltyPostedTotal,omitempty"`
	LatePaymentPenaltyEstimateTotal *amount `json:"latePaymentPenaltyEstimateTotal,omitempty"`
}

type lspBlock struct {
	Summary lspSummary  `json:"summary"`
	Details []lspDetail `json:"details"`
}

type lppDetail struct {
	PrincipalChargeReference        string      `json:"principalChargeReference"`
	PenaltyCategory                 string      `json:"penaltyCategory"`
	PenaltyStatus                   string      `json:"penaltyStatus"`
	PenaltyAmountAccruing           amount      `json:"penaltyAmountAccruing"`
	PenaltyAmountPosted             amount      `json:"penaltyAmountPosted"`
	PenaltyAmountPaid               amount      `json:"penaltyAmountPaid"`
	PenaltyAmountOutstanding        amount      `json:"penaltyAmountOutstanding"`
	LPP1LowerRateCalculationAmount  *amount     `json:"latePaymentPenalty1LowerRateCalculationAmount,omitempty"`
	LPP1LowerRatePercentage         json.Number `json:"latePaymentPenalty1LowerRatePercentage,omitempty"`
	LPP1HigherRateCalculationAmount *amount     `json:"latePaymentPenalty1HigherRateCalculationAmount,omitempty"`
	LPP1HigherRatePercentage        json.Number `json:"latePaymentPenalty1HigherRatePercentage,omitempty"`
	LPP2Days                        string      `json:"latePaymentPenalty2Days,omitempty"`
	LPP2Percentage                  json.Number `json:"latePaymentPenalty2Percentage,omitempty"`
	PenaltyChargeCreationDate       string      `json:"penaltyChargeCreationDate,omitempty"`
	CommunicationsDate              string      `json:"communicationsDate,omitempty"`
	PenaltyChargeReference          string      `json:"penaltyChargeReference,omitempty"`
	PenaltyChargeDueDate            string      `json:"penaltyChargeDueDate,omitempty"`
	PrincipalChargeDocNumber        string      `json:"principalChargeDocNumber"`
	PrincipalChargeBillingFrom      string      `json:"principalChargeBillingFrom"`
	PrincipalChargeBillingTo        string      `json:"principalChargeBillingTo"`
	PrincipalChargeDueDate          string      `json:"principalChargeDueDate"`
	PrincipalChargeLatestClearing   string      `json:"principalChargeLatestClearing,omitempty"`
}

type lppBlock struct {
	Details []lppDetail `json:"details"`
}

type penaltiesBody struct {
	Totalisations         *penaltyTotals `json:"totalisations,omitempty"`
	LateSubmissionPenalty *lspBlock      `json:"lateSubmissionPenalty,omitempty"`
	LatePaymentPenalty    *lppBlock      `json:"latePaymentPenalty,omitempty"`
}

// penaltyCharge is a penalty charge, for financial-details lookups.
type penaltyCharge struct {
	ref         string
	description string
	amount      int64
	created     time.Time
	due         time.Time
	period      period
	paid        bool // collected in full (history penalties due before the user joined)
}

// chargeRef makes a stable reference of HMRC's shape (X, a letter, 12 digits) for
// penalty n of a VRN, so that it survives restarts without being stored.
func chargeRef(vrn string, n int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", vrn, n)))
	return fmt.Sprintf("XP%012d", binary.BigEndian.Uint64(h[:8])%1_000_000_000_000)
}

// penaltiesLocked derives the late submission penalties of a VRN.
func (s *Server) penaltiesLocked(vrn string, today time.Time) (penaltiesBody, []penaltyCharge) {
	var body penaltiesBody
	u := s.userByVRNLocked(vrn)
	if u == nil {
		return body, nil
	}
	threshold := 4
	if userStagger(u) == "monthly" {
		threshold = 5
	}
	obs := s.obligationsLocked(vrn)
	hist := s.historyLocked(vrn)
	var details []lspDetail
	var charges []penaltyCharge
	active, inactive, total := 0, 0, int64(0)
	var lastLate time.Time
	n := 0
	for _, o := range obs {
		start, _ := parseDate(o.Start)
		due, _ := parseDate(o.Due)
		if start.Before(penaltyRegimeStart) || s.unknownBeforeJoiningLocked(u, hist, o.PeriodKey, due) {
			continue
		}
		var created time.Time
		ls := lateSubmission{TaxPeriodStartDate: o.Start, TaxPeriodEndDate: o.End, TaxPeriodDueDate: o.Due, TaxReturnStatus: "Open"}
		if o.Status == "F" {
			rec, _ := parseDate(o.Received)
			if !rec.After(due) {
				continue
			}
			created, ls.TaxReturnStatus, ls.ReturnReceiptDate = rec, "Fulfilled", o.Received
		} else {
			if !today.After(due) {
				continue
			}
			created = due.AddDate(0, 0, 1)
		}
		n++
		expiry := created.AddDate(2, 0, 0)
		if today.After(expiry) || created.Before(today.AddDate(-2, 0, 0)) {
			continue // outside the 24 months the endpoint covers
		}
		ls.LateSubmissionID = fmt.Sprintf("%07d", 1000000+n)
		d := lspDetail{
			PenaltyNumber: fmt.Sprintf("%05d", n), PenaltyOrder: fmt.Sprint(n), PenaltyCategory: "point",
			PenaltyStatus: "active", PenaltyCreationDate: fmtDate(created), PenaltyExpiryDate: fmtDate(expiry),
			CommunicationsDate: fmtDate(created.AddDate(0, 0, 3)), LateSubmissions: []lateSubmission{ls},
		}
		active++
		lastLate = created
		if active >= threshold {
			d.PenaltyCategory = "charge"
			if active == threshold {
				d.PenaltyCategory = "threshold"
			}
			p, _ := parseDate(o.Start)
			e, _ := parseDate(o.End)
			pc := penaltyCharge{ref: chargeRef(vrn, n), description: "VAT Late Submission Penalty", amount: penaltyChargePence, created: created, due: created.AddDate(0, 0, 30),
				period: period{Start: p, End: e, Due: due, Key: o.PeriodKey}}
			pc.paid = hist[o.PeriodKey] != nil && pc.due.Before(dateOnly(u.Created))
			charges = append(charges, pc)
			outstanding := pc.amount
			if pc.paid {
				outstanding = 0
			}
			d.ChargeReference, d.ChargeAmount, d.ChargeOutstandingAmount, d.ChargeDueDate =
				pc.ref, amt(pc.amount), amt(outstanding), fmtDate(pc.due)
			total += pc.amount
		}
		details = append(details, d)
	}
	if len(details) == 0 {
		return body, nil
	}
	// Oldest first, as in HMRC's published example.
	sort.Slice(details, func(i, j int) bool { return details[i].PenaltyNumber < details[j].PenaltyNumber })
	compliance := "9999-12-31"
	if active > 0 {
		months := 12
		if userStagger(u) == "monthly" {
			months = 6
		}
		compliance = fmtDate(lastLate.AddDate(0, months, 0))
	}
	body.LateSubmissionPenalty = &lspBlock{lspSummary{active, inactive, compliance, threshold, amount(total)}, details}
	if total > 0 {
		body.Totalisations = &penaltyTotals{LateSubmissionPenaltyTotalValue: amt(total)}
	}
	return body, charges
}

// unknownBeforeJoiningLocked reports whether a period fell due before the
// business joined and HMRC holds nothing of it here: neither in its history nor
// filed through the API. Such a period earns no penalty while it stays open: the
// emulator cannot say what happened to it before the user existed. Once its
// return is filed through the API it is late like any other, because HMRC's
// regime counts the days from the due date, whenever the business joined
// (https://www.gov.uk/guidance/penalty-points-and-penalties-if-you-submit-your-vat-return-late,
// https://www.gov.uk/guidance/how-late-payment-penalties-work-if-you-pay-vat-late).
func (s *Server) unknownBeforeJoiningLocked(u *userRec, hist map[string]*histReturn, key string, due time.Time) bool {
	if !due.Before(dateOnly(u.Created)) || hist[key] != nil {
		return false
	}
	_, filed := s.st.Returns[u.VRN][key]
	return !filed
}

// Late payment penalty rates: the first penalty is a percentage of what is unpaid
// on day 15, more on day 30; the second accrues yearly from day 31. HMRC raised
// the rates for charges due from 1 April 2025.
type lppRates struct{ lower, higher, yearly int64 }

func ratesFor(due time.Time) lppRates {
	if due.Before(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)) {
		return lppRates{2, 4, 4}
	}
	return lppRates{3, 6, 10}
}

// percentOf returns pct% of pence, rounded half up; amounts here are positive.
func percentOf(pence, pct, days, perDays int64) int64 {
	den := 100 * perDays
	return (pence*pct*days + den/2) / den
}

// refDigits derives a stable run of digits from key.
func refDigits(key string, n int) string {
	h := sha256.Sum256([]byte(key))
	mod := uint64(1)
	for range n {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", n, binary.BigEndian.Uint64(h[:8])%mod)
}

// latePaymentsLocked derives late payment penalties from debit charges paid more
// than 15 days after they were due: posted once the charge is paid, accruing
// while it is not.
func (s *Server) latePaymentsLocked(vrn string, today time.Time) (lppTotals, []lppDetail, []penaltyCharge) {
	var tot lppTotals
	u := s.userByVRNLocked(vrn)
	if u == nil {
		return tot, nil, nil
	}
	hist := s.historyLocked(vrn)
	var details []lppDetail
	var charges []penaltyCharge
	for _, ch := range s.chargesLocked(vrn, today) {
		p := ch.period
		if ch.credit || p.Start.Before(penaltyRegimeStart) || s.unknownBeforeJoiningLocked(u, hist, p.Key, p.Due) {
			continue
		}
		paid := !ch.paidOn.IsZero()
		until := today
		if paid {
			until = ch.paidOn
		}
		daysLate := int64(until.Sub(p.Due).Hours() / 24)
		if daysLate <= 15 || (paid && ch.paidOn.Before(today.AddDate(-2, 0, 0))) {
			continue
		}
		r := ratesFor(p.Due)
		base := lppDetail{
			PrincipalChargeReference: principalRef(vrn, p.Key), PenaltyStatus: "posted",
			PrincipalChargeDocNumber: refDigits(vrn+"/doc/"+p.Key, 8), PrincipalChargeBillingFrom: fmtDate(p.Start),
			PrincipalChargeBillingTo: fmtDate(p.End), PrincipalChargeDueDate: fmtDate(p.Due),
		}
		if paid {
			base.PrincipalChargeLatestClearing, base.PenaltyChargeCreationDate = fmtDate(ch.paidOn), fmtDate(ch.paidOn)
			base.CommunicationsDate, base.PenaltyChargeDueDate = fmtDate(ch.paidOn.AddDate(0, 0, 3)), fmtDate(ch.paidOn.AddDate(0, 0, 30))
		} else {
			base.PenaltyStatus = "accruing"
		}
		add := func(d lppDetail, pence int64, kind string) {
			if !paid {
				// Not yet a charge: no reference, nothing posted, HMRC's estimate only.
				d.PenaltyAmountAccruing = amount(pence)
				details = append(details, d)
				tot.estimate += pence
				return
			}
			pc := penaltyCharge{ref: "XP" + refDigits(vrn+"/"+kind+"/"+p.Key, 12), description: "VAT Late Payment Penalty",
				amount: pence, created: ch.paidOn, due: ch.paidOn.AddDate(0, 0, 30), period: p}
			pc.paid = hist[p.Key] != nil && pc.due.Before(dateOnly(u.Created))
			d.PenaltyAmountPosted, d.PenaltyAmountOutstanding, d.PenaltyChargeReference = amount(pence), amount(pence), pc.ref
			if pc.paid {
				d.PenaltyAmountPaid, d.PenaltyAmountOutstanding = amount(pence), 0
			}
			details = append(details, d)
			charges = append(charges, pc)
			tot.posted += pence
		}
		lpp1 := base
		lpp1.PenaltyCategory = "LPP1"
		lpp1.LPP1LowerRateCalculationAmount, lpp1.LPP1LowerRatePercentage = amt(ch.amount), json.Number(fmt.Sprint(r.lower))
		pence := percentOf(ch.amount, r.lower, 1, 1)
		if daysLate > 30 {
			lpp1.LPP1HigherRateCalculationAmount, lpp1.LPP1HigherRatePercentage = amt(ch.amount), json.Number(fmt.Sprint(r.higher))
			pence = percentOf(ch.amount, r.higher, 1, 1)
		}
		add(lpp1, pence, "LPP1")
		if daysLate > 30 {
			lpp2 := base
			lpp2.PenaltyCategory = "LPP2"
			lpp2.LPP2Days, lpp2.LPP2Percentage = fmt.Sprint(daysLate-30), json.Number(fmt.Sprint(r.yearly))
			add(lpp2, percentOf(ch.amount, r.yearly, daysLate-30, 365), "LPP2")
		}
		tot.principal += ch.amount
	}
	return tot, details, charges
}

// lppTotals sums late payment penalties for the totalisations block.
type lppTotals struct{ posted, estimate, principal int64 }

// principalRef is the charge reference of the VAT Return Debit Charge of a period.
func principalRef(vrn, periodKey string) string {
	return "XV" + refDigits(vrn+"/principal/"+periodKey, 12)
}

// allPenaltiesLocked combines late submission and late payment penalties.
func (s *Server) allPenaltiesLocked(vrn string, today time.Time) (penaltiesBody, []penaltyCharge) {
	body, charges := s.penaltiesLocked(vrn, today)
	tot, lpp, lppCharges := s.latePaymentsLocked(vrn, today)
	if len(lpp) == 0 {
		return body, charges
	}
	body.LatePaymentPenalty = &lppBlock{lpp}
	if body.Totalisations == nil {
		body.Totalisations = &penaltyTotals{}
	}
	if tot.posted > 0 {
		body.Totalisations.LatePaymentPenaltyPostedTotal = amt(tot.posted)
	}
	if tot.estimate > 0 {
		body.Totalisations.LatePaymentPenaltyEstimateTotal = amt(tot.estimate)
	}
	body.Totalisations.PenalisedPrincipalTotal = amt(tot.principal)
	return body, append(charges, lppCharges...)
}

var penaltyScenarios = map[string]bool{
	"DEFAULT": true, "NO_PENALTIES": true, "LATE_SUBMISSION": true, "LATE_PAYMENT": true, "MULTIPLE_PENALTIES": true,
	"MULTIPLE_LATE_PAYMENT_PENALTIES": true, "MULTIPLE_LATE_SUBMISSION_PENALTIES": true,
	"MULTIPLE_INACTIVE_LATE_SUBMISSION_PENALTIES": true, "THRESHOLD_LATE_SUBMISSION_PENALTIES": true,
	"CHARGE_LATE_SUBMISSION_PENALTIES": true,
}

// cannedPenalties cuts the published example down to what each scenario names.
func cannedPenalties(scenario string) (map[string]any, error) {
	var full map[string]any
	if err := json.Unmarshal(cannedPenaltiesJSON, &full); err != nil {
		return nil, fmt.Errorf("canned penalties: %w", err)
	}
	lsp, _ := full["lateSubmissionPenalty"].(map[string]any)
	lpp, _ := full["latePaymentPenalty"].(map[string]any)
	lspDetails, _ := lsp["details"].([]any)
	lppDetails, _ := lpp["details"].([]any)
	keepLSP := func(pred func(map[string]any) bool) map[string]any {
		var ds []any
		for _, d := range lspDetails {
			if m, ok := d.(map[string]any); ok && pred(m) {
				ds = append(ds, m)
			}
		}
		return map[string]any{"summary": lsp["summary"], "details": ds}
	}
	all := func(map[string]any) bool { return true }
	switch scenario {
	case "DEFAULT":
		return full, nil
	case "NO_PENALTIES":
		return map[string]any{}, nil
	case "LATE_SUBMISSION":
		first := true
		return map[string]any{"lateSubmissionPenalty": keepLSP(func(map[string]any) bool { ok := first; first = false; return ok })}, nil
	case "LATE_PAYMENT":
		return map[string]any{"latePaymentPenalty": map[string]any{"details": lppDetails[:1]}}, nil
	case "MULTIPLE_PENALTIES":
		first := true
		return map[string]any{
			"lateSubmissionPenalty": keepLSP(func(map[string]any) bool { ok := first; first = false; return ok }),
			"latePaymentPenalty":    map[string]any{"details": lppDetails[:1]},
		}, nil
	case "MULTIPLE_LATE_PAYMENT_PENALTIES":
		return map[string]any{"totalisations": full["totalisations"], "latePaymentPenalty": lpp}, nil
	case "MULTIPLE_LATE_SUBMISSION_PENALTIES", "CHARGE_LATE_SUBMISSION_PENALTIES":
		return map[string]any{"lateSubmissionPenalty": keepLSP(all)}, nil
	case "THRESHOLD_LATE_SUBMISSION_PENALTIES":
		return map[string]any{"lateSubmissionPenalty": keepLSP(func(m map[string]any) bool { return m["penaltyCategory"] != "charge" })}, nil
	case "MULTIPLE_INACTIVE_LATE_SUBMISSION_PENALTIES":
		out := keepLSP(all)
		for _, d := range out["details"].([]any) {
			m := d.(map[string]any)
			m["penaltyStatus"], m["expiryReason"] = "inactive", "natural-expiry"
			delete(m, "chargeReference")
			delete(m, "chargeAmount")
			delete(m, "chargeOutstandingAmount")
			delete(m, "chargeDueDate")
			m["penaltyCategory"] = "point"
		}
		n := len(out["details"].([]any))
		out["summary"] = map[string]any{"activePenaltyPoints": 0, "inactivePenaltyPoints": n,
			"periodOfComplianceAchievement": "9999-12-31", "regimeThreshold": 4, "penaltyChargeAmount": 0}
		return map[string]any{"lateSubmissionPenalty": out}, nil
	}
	return nil, fmt.Errorf("unknown penalties scenario %q", scenario)
}

func (s *Server) handlePenalties(w http.ResponseWriter, _ *http.Request, c *call) {
	if s.downstreamFault(w, c) {
		return
	}
	if scenario := knownScenario(c.scenario, s.opts.Canned, penaltyScenarios); scenario != "" {
		body, err := cannedPenalties(scenario)
		if err != nil {
			writeErr(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", msgInternal)
			return
		}
		writeJSON(w, http.StatusOK, body)
		return
	}
	s.mu.Lock()
	body, _ := s.allPenaltiesLocked(c.vrn, dateOnly(s.now()))
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}
