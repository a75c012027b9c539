package sandbox

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// The published examples, used for the DEFAULT scenarios of penalties and
// financial details.
var (
	//go:embed canned/Penalties.json
	cannedPenaltiesJSON []byte
	//go:embed canned/FinancialDetails.json
	cannedFinancialDetailsJSON []byte
)

// earliestFinancialDate is the first date vat-api accepts for liabilities and
// payments (the code, not the OAS, which says 2017-12-01).
var earliestFinancialDate = time.Date(2016, 4, 6, 0, 0, 0, 0, time.UTC)

// parseFinancialQuery validates from/to for liabilities and payments, returning the
// legacy error code of the first failure.
func parseFinancialQuery(q url.Values, today time.Time) (from, to time.Time, code string) {
	from, ok := parseDate(q.Get("from"))
	if !ok || from.Before(earliestFinancialDate) {
		return from, to, "DATE_FROM_INVALID"
	}
	to, ok = parseDate(q.Get("to"))
	if !ok || to.After(today) {
		return from, to, "DATE_TO_INVALID"
	}
	if !from.Before(to) || to.After(plusMonths(from, 12).AddDate(0, 0, -1)) {
		return from, to, "DATE_RANGE_INVALID"
	}
	return from, to, ""
}

// charge is a VAT Return Debit Charge raised by a filed return, and what became of it.
type charge struct {
	period   period
	amount   int64
	paidOn   time.Time // zero while unpaid; for a credit, the day it was repaid
	received time.Time
	credit   bool // a repayment due to the business (history only)
}

// chargesLocked derives the charges of a VRN's filed returns: debits, and the
// history's credits (history.go). A debit is collected by Direct Debit on its due
// date, or on the filing date when filed late, and counts as paid once that day
// is over.
func (s *Server) chargesLocked(vrn string, today time.Time) []charge {
	u := s.userByVRNLocked(vrn)
	if u == nil {
		return nil
	}
	var out []charge
	hist := s.historyLocked(vrn)
	for _, p := range periodsFor(u, today) {
		r, ok := s.st.Returns[vrn][p.Key]
		if h := hist[p.Key]; !ok && h != nil && h.boxes[4] != 0 {
			out = append(out, h.charge(today))
			continue
		}
		if !ok || r.Boxes[2] <= r.Boxes[3] {
			continue // nothing filed, or a repayment: nothing to pay
		}
		c := charge{period: p, amount: r.Boxes[4], received: dateOnly(r.Received)}
		payDay := p.Due
		if c.received.After(payDay) {
			payDay = c.received
		}
		if today.After(payDay) {
			c.paidOn = payDay
		}
		out = append(out, c)
	}
	return out
}

type liabilitiesBody struct {
	Liabilities []liability `json:"liabilities"`
}

type paymentsBody struct {
	Payments []payment `json:"payments"`
}

func (s *Server) handleLiabilities(w http.ResponseWriter, r *http.Request, c *call) {
	today := dateOnly(s.now())
	from, to, code := parseFinancialQuery(r.URL.Query(), today)
	if code != "" {
		writeLegacy(w, http.StatusBadRequest, code)
		return
	}
	if s.downstreamFault(w, c) {
		return
	}
	var list []liability
	switch {
	case c.scenario != "":
		if writeCommonScenario(w, c.scenario, insolventOnly) {
			return
		}
		canned, ok := cannedLiabilities(c.scenario)
		if !ok {
			writeUnknownScenario(w)
			return
		}
		for _, l := range canned {
			if end, _ := parseDate(l.TaxPeriod.To); !end.After(to) {
				list = append(list, l)
			}
		}
	case s.opts.Canned:
	default:
		s.mu.Lock()
		charges := s.chargesLocked(c.vrn, today)
		s.mu.Unlock()
		for _, ch := range charges {
			if ch.period.End.Before(from) || ch.period.End.After(to) {
				continue
			}
			list = append(list, ch.liability())
		}
	}
	if len(list) == 0 {
		writeErr(w, http.StatusNotFound, "NOT_FOUND", msgNoData)
		return
	}
	writeJSON(w, http.StatusOK, liabilitiesBody{list})
}

func (s *Server) handlePayments(w http.ResponseWriter, r *http.Request, c *call) {
	today := dateOnly(s.now())
	from, to, code := parseFinancialQuery(r.URL.Query(), today)
	if code != "" {
		writeLegacy(w, http.StatusBadRequest, code)
		return
	}
	if s.downstreamFault(w, c) {
		return
	}
	var list []payment
	switch {
	case c.scenario != "":
		if writeCommonScenario(w, c.scenario, insolventOnly) {
			return
		}
		canned, ok := cannedPayments(c.scenario)
		if !ok {
			writeUnknownScenario(w)
			return
		}
		list = canned
	case s.opts.Canned:
	default:
		s.mu.Lock()
		charges := s.chargesLocked(c.vrn, today)
		s.mu.Unlock()
		for _, ch := range charges {
			if ch.paidOn.IsZero() || ch.paidOn.Before(from) || ch.paidOn.After(to) {
				continue
			}
			list = append(list, payment{Amount: ch.signed(), Received: fmtDate(ch.paidOn)})
		}
	}
	if len(list) == 0 {
		writeErr(w, http.StatusNotFound, "NOT_FOUND", msgNoData)
		return
	}
	writeJSON(w, http.StatusOK, paymentsBody{list})
}

type financialDetailsBody struct {
	Totalisations   fdTotalisations `json:"totalisations"`
	DocumentDetails []fdDocument    `json:"documentDetails"`
}

type fdTotalisations struct {
	TotalOverdue   amount `json:"totalOverdue"`
	TotalNotYetDue amount `json:"totalNotYetDue"`
	TotalBalance   amount `json:"totalBalance"`
	TotalCredit    amount `json:"totalCredit"`
	TotalCleared   amount `json:"totalCleared"`
	// Interest on the charge, when it was paid late or is still unpaid.
	AdditionalReceivableTotalisations *fdInterestTotals `json:"additionalReceivableTotalisations,omitempty"`
}

type fdInterestTotals struct {
	TotalAccountPostedInterest   amount `json:"totalAccountPostedInterest"`
	TotalAccountAccruingInterest amount `json:"totalAccountAccruingInterest"`
}

type fdDocInterest struct {
	InterestPostedAmount   amount `json:"interestPostedAmount"`
	InterestAccruingAmount amount `json:"interestAccruingAmount"`
}

type fdLineInterest struct {
	InterestStartDate      string `json:"interestStartDate"`
	CurrentInterestRate    amount `json:"currentInterestRate"` // basis points print as a percentage
	InterestPostedAmount   amount `json:"interestPostedAmount"`
	InterestAccruingAmount amount `json:"interestAccruingAmount"`
}

type fdDocument struct {
	PostingDate               string         `json:"postingDate"`
	IssueDate                 string         `json:"issueDate"`
	DocumentTotalAmount       amount         `json:"documentTotalAmount"`
	DocumentClearedAmount     amount         `json:"documentClearedAmount"`
	DocumentOutstandingAmount amount         `json:"documentOutstandingAmount"`
	DocumentInterestTotals    *fdDocInterest `json:"documentInterestTotals,omitempty"`
	LineItemDetails           []fdLineItem   `json:"lineItemDetails"`
}

type fdLineItem struct {
	ChargeDescription       string          `json:"chargeDescription"`
	PeriodFromDate          string          `json:"periodFromDate"`
	PeriodToDate            string          `json:"periodToDate"`
	NetDueDate              string          `json:"netDueDate"`
	Amount                  amount          `json:"amount"`
	LineItemInterestDetails *fdLineInterest `json:"lineItemInterestDetails,omitempty"`
}

func (s *Server) handleFinancialDetails(w http.ResponseWriter, _ *http.Request, c *call) {
	ref := c.params[0]
	if !chargeRefPattern.MatchString(ref) {
		writeErr(w, http.StatusBadRequest, "CHARGE_REFERENCE_INVALID", "The provided chargeReference is invalid")
		return
	}
	if s.downstreamFault(w, c) {
		return
	}
	switch knownScenario(c.scenario, s.opts.Canned, financialScenarios) {
	case "":
	case "DEFAULT":
		w.Header().Set("Content-Type", "application/json")
		var v any
		if err := json.Unmarshal(cannedFinancialDetailsJSON, &v); err != nil {
			writeErr(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", msgInternal)
			return
		}
		writeJSON(w, http.StatusOK, v)
		return
	}
	today := dateOnly(s.now())
	s.mu.Lock()
	_, charges := s.allPenaltiesLocked(c.vrn, today)
	s.mu.Unlock()
	for _, pc := range charges {
		if pc.ref == ref {
			writeJSON(w, http.StatusOK, pc.details(today))
			return
		}
	}
	if body, ok := s.principalDetails(c.vrn, ref, today); ok {
		writeJSON(w, http.StatusOK, body)
		return
	}
	writeErr(w, http.StatusNotFound, "MATCHING_RESOURCE_NOT_FOUND", "The supplied income source could not be found")
}

type customerDetails struct {
	EffectiveRegistrationDate string `json:"effectiveRegistrationDate"`
}

type flatRateScheme struct {
	FRSCategory string `json:"frsCategory"`
	StartDate   string `json:"startDate"`
}

type informationBody struct {
	CustomerDetails *customerDetails `json:"customerDetails,omitempty"`
	FlatRateScheme  *flatRateScheme  `json:"flatRateScheme,omitempty"`
}

func (s *Server) handleInformation(w http.ResponseWriter, _ *http.Request, c *call) {
	cd := &customerDetails{"2001-01-01"}
	frs := &flatRateScheme{"001", "2001-01-01"}
	if s.downstreamFault(w, c) {
		return
	}
	switch knownScenario(c.scenario, s.opts.Canned, informationScenarios) {
	case "":
		s.mu.Lock()
		u := s.userByVRNLocked(c.vrn)
		var body informationBody
		if u != nil && u.VATRegistrationDate != "" {
			body.CustomerDetails = &customerDetails{u.VATRegistrationDate}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case "DEFAULT":
		writeJSON(w, http.StatusOK, informationBody{cd, frs})
	case "NO_EFFECTREGISTRATIONDATE":
		writeJSON(w, http.StatusOK, informationBody{nil, frs})
	case "NO_FLATRATESCHEME":
		writeJSON(w, http.StatusOK, informationBody{cd, nil})
	case "NO_EFFECTREGISTRATIONDATE_NO_FRS":
		writeJSON(w, http.StatusOK, informationBody{})
	case "CUSTOMER_INFO_NOT_FOUND":
		writeErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource could not be found")
	}
}
