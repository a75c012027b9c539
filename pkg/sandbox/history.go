package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"sort"
	"time"
)

// A business joins MTD with its earlier returns filed by other means. HMRC still
// holds those returns, the charges they raised and the payments that cleared
// them, so the emulator derives a plausible account for the periods of the last
// four years before the user was created. Everything is seeded from the VRN (and
// the registration date, stagger and creation date that fix the periods), never
// stored: the same user always has the same history, across restarts too.

// histReturn is a return filed before the business joined MTD here.
type histReturn struct {
	period   period
	boxes    [9]int64 // pence, as returnRec
	received time.Time
	// settled is the day the debit was cleared by payment, or the day HMRC repaid
	// a credit; zero while a debit is unpaid.
	settled time.Time
}

func (h *histReturn) credit() bool { return h.boxes[3] > h.boxes[2] }

func (h *histReturn) view() viewBody {
	r := returnRec{PeriodKey: h.period.Key, Boxes: h.boxes}
	return r.view()
}

// histSeed draws deterministic numbers for one VRN.
type histSeed string

// n returns a number in [0, mod) for label.
func (s histSeed) n(label string, mod int64) int64 {
	h := sha256.Sum256([]byte("history/" + string(s) + "/" + label))
	return int64(binary.BigEndian.Uint64(h[:8]) % uint64(mod))
}

// between returns a number in [lo, hi] for label.
func (s histSeed) between(label string, lo, hi int64) int64 { return lo + s.n(label, hi-lo+1) }

// Kinds of history. Most businesses pay and file on time; the others give the
// penalty, interest and arrears views something to show.
const (
	histPunctual    = "punctual"     // every return on time, every debit collected on its due date
	histLatePayer   = "late-payer"   // one or two debits paid 16 to 75 days late
	histLateFiler   = "late-filer"   // one or two returns filed late (points, and late collection)
	histSerialFiler = "serial-filer" // four or five late returns in two years: threshold and £200 charges
	histArrears     = "arrears"      // the latest debit is still unpaid: late payment penalties accruing
)

const (
	histLookbackMons = 48        // HMRC keeps four years online
	histPenaltyYears = 2         // points and payment penalties show for 24 months
	histRepayMaxDays = 10        // "usually within 10 days": https://www.gov.uk/vat-repayments
	histLateFileDays = 40        // the latest a late return is filed
	histLPPDays      = 15        // no late payment penalty up to day 15
	histMaxLateDays  = 75        // the latest a late payer pays
	histMinTurnover  = 60_000    // pounds a year
	histMaxTurnover  = 1_500_000 // pounds a year
	histKindSlots    = 20        // the denominator of the shares in histKind
	histNITraderOdds = 8         // one business in this many moves goods to and from the EU (Northern Ireland)
	histCreditMinPct = 115       // the credit period reclaims 115% to 190% of the VAT due
	histCreditMaxPct = 190
	histDebitMinPct  = 30 // other periods reclaim 30% to 85% of it
	histDebitMaxPct  = 85
	vatRatePct       = 20 // the standard rate
)

// histKind picks the kind of history for a VRN: half punctual, a fifth late
// payers, 15% late filers, 5% serial late filers, 10% in arrears.
func histKind(vrn string) string {
	switch r := histSeed(vrn).n("kind", histKindSlots); {
	case r < 10:
		return histPunctual
	case r < 14:
		return histLatePayer
	case r < 17:
		return histLateFiler
	case r < 18:
		return histSerialFiler
	default:
		return histArrears
	}
}

// paperPeriods are the periods a user had filed by other means when created:
// every period before the last one that had ended, which is left to file.
func paperPeriods(u *userRec) []period {
	created := dateOnly(u.Created)
	periods := periodsFor(u, created)
	last := -1
	for i, p := range periods {
		if p.End.Before(created) {
			last = i
		}
	}
	if last < 1 {
		return nil
	}
	return periods[:last]
}

// historyFor derives the returns HMRC holds for a user's paper periods of the
// last four years, oldest first.
func historyFor(u *userRec) []histReturn {
	if u == nil || u.VRN == "" {
		return nil
	}
	created := dateOnly(u.Created)
	since := plusMonths(created, -histLookbackMons)
	var ps []period
	for _, p := range paperPeriods(u) {
		if p.End.After(since) {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	s := histSeed(u.VRN)
	monthly := userStagger(u) == "monthly"
	turnover := s.between("turnover", histMinTurnover, histMaxTurnover)
	perPeriod := turnover / 4
	if monthly {
		perPeriod = turnover / 12
	}
	stdShare := s.between("std-share", 60, 100)     // % of sales at the standard rate
	inputShare := s.between("input-share", 70, 100) // % of purchases carrying VAT
	niTrader := s.n("ni", histNITraderOdds) == 0
	creditAt := int(s.n("credit-period", int64(len(ps))))

	out := make([]histReturn, len(ps))
	for i, p := range ps {
		k := p.Key
		h := histReturn{period: p, received: p.Due.AddDate(0, 0, -1)}
		var b [9]int64
		// Box 6: sales, whole pounds, with a little seasonal and random swing.
		swing := s.between("swing/"+k, 85, 115)
		if p.End.Month() == time.December {
			swing += s.between("season", 0, 15)
		}
		b[5] = perPeriod * swing / 100
		// Box 1: 20% of the standard-rated sales, a few pence under so it never
		// exceeds 20% of box 6.
		b[0] = max(b[5]*100*stdShare/100*vatRatePct/100-s.n("p1/"+k, 100), 0)
		if niTrader {
			b[7] = b[5] * s.between("b8/"+k, 3, 15) / 100 // goods to the EU
			b[8] = b[5] * s.between("b9/"+k, 2, 10) / 100 // goods from the EU
			b[1] = b[8] * 100 * vatRatePct / 100          // VAT on those acquisitions
		}
		b[2] = b[0] + b[1]
		pct := s.between("reclaim/"+k, histDebitMinPct, histDebitMaxPct)
		if i == creditAt {
			pct = s.between("reclaim/"+k, histCreditMinPct, histCreditMaxPct)
		}
		b[3] = b[2]*pct/100 + s.n("p4/"+k, 100)
		if i != creditAt && b[3] >= b[2] {
			b[3] = b[2] - 1
		}
		// Box 7: purchases that carry the VAT reclaimed, whole pounds.
		b[6] = b[3] * 100 / (vatRatePct * inputShare)
		b[4] = b[2] - b[3]
		if b[4] < 0 {
			b[4] = -b[4]
		}
		for j := 5; j < 9; j++ {
			b[j] *= 100 // whole pounds, in pence like every box
		}
		h.boxes = b
		out[i] = h
	}

	// Late filings and late payments fall in the penalty regime (periods from
	// 2023) and before the user was created.
	// They also fall in the two years the penalties endpoint covers, so that each
	// kind shows what it stands for.
	lateFile := map[int]int64{}
	latePay := map[int]int64{}
	unpaid := -1
	within := created.AddDate(-histPenaltyYears, 0, 0)
	switch kind := histKind(u.VRN); kind {
	case histLateFiler, histSerialFiler:
		n := int(s.between("late-files", 1, 2))
		if kind == histSerialFiler {
			n = int(s.between("late-files", 4, 5))
		}
		for _, i := range pickPeriods(s, "late-file", out, n, func(h *histReturn) bool {
			return !h.period.Start.Before(penaltyRegimeStart) && h.period.Due.After(within) &&
				h.period.Due.AddDate(0, 0, histLateFileDays).Before(created)
		}) {
			lateFile[i] = s.between("late-file-days/"+out[i].period.Key, 1, histLateFileDays)
		}
	case histLatePayer:
		n := int(s.between("late-pays", 1, 2))
		for _, i := range pickPeriods(s, "late-pay", out, n, func(h *histReturn) bool {
			return !h.credit() && !h.period.Start.Before(penaltyRegimeStart) && h.period.Due.After(within) &&
				h.period.Due.AddDate(0, 0, histMaxLateDays).Before(created)
		}) {
			latePay[i] = s.between("late-pay-days/"+out[i].period.Key, histLPPDays+1, histMaxLateDays)
		}
	case histArrears:
		for i := len(out) - 1; i >= 0; i-- {
			if !out[i].credit() && out[i].period.Due.AddDate(0, 0, histLPPDays).Before(created) {
				unpaid = i
				break
			}
		}
	}
	for i := range out {
		h := &out[i]
		if d, ok := lateFile[i]; ok {
			h.received = h.period.Due.AddDate(0, 0, int(d))
		}
		switch {
		case h.credit():
			h.settled = h.received.AddDate(0, 0, int(s.between("repay/"+h.period.Key, 3, histRepayMaxDays)))
		case i == unpaid:
		case latePay[i] > 0:
			h.settled = h.period.Due.AddDate(0, 0, int(latePay[i]))
		default:
			// Collected by Direct Debit on the due date, or when filed if later,
			// as for returns filed through the API.
			h.settled = h.period.Due
			if h.received.After(h.settled) {
				h.settled = h.received
			}
		}
	}
	return out
}

// pickPeriods chooses n of the returns that satisfy ok, in a seeded order.
func pickPeriods(s histSeed, label string, hs []histReturn, n int, ok func(*histReturn) bool) []int {
	var idx []int
	for i := range hs {
		if ok(&hs[i]) {
			idx = append(idx, i)
		}
	}
	order := make(map[int]int64, len(idx))
	for _, i := range idx {
		order[i] = s.n(label+"/"+hs[i].period.Key, 1<<62)
	}
	sort.Slice(idx, func(a, b int) bool { return order[idx[a]] < order[idx[b]] })
	if len(idx) > n {
		idx = idx[:n]
	}
	sort.Ints(idx)
	return idx
}

// historyIndex keys a user's history by period key.
func historyIndex(u *userRec) map[string]*histReturn {
	hs := historyFor(u)
	out := make(map[string]*histReturn, len(hs))
	for i := range hs {
		out[hs[i].period.Key] = &hs[i]
	}
	return out
}

// historyLocked is the history of the business that owns vrn, or nil in canned
// mode (whose bodies are the historic 2017 ones); the caller holds s.mu.
func (s *Server) historyLocked(vrn string) map[string]*histReturn {
	if s.opts.Canned {
		return nil
	}
	return historyIndex(s.userByVRNLocked(vrn))
}

// charge turns a history return into the charge it raised, as chargesLocked does
// for returns filed here.
func (h *histReturn) charge(today time.Time) charge {
	c := charge{period: h.period, amount: h.boxes[4], received: h.received, credit: h.credit()}
	if !h.settled.IsZero() && today.After(h.settled) {
		c.paidOn = h.settled
	}
	return c
}

// signed is the charge as ETMP books it: a credit is negative.
func (c charge) signed() amount {
	if c.credit {
		return amount(-c.amount)
	}
	return amount(c.amount)
}

// liability is the charge as GET liabilities shows it.
func (c charge) liability() liability {
	typ := "VAT Return Debit Charge"
	if c.credit {
		typ = "VAT Return Credit Charge"
	}
	out := c.signed()
	if !c.paidOn.IsZero() {
		out = 0
	}
	return liability{
		TaxPeriod: &taxPeriod{fmtDate(c.period.Start), fmtDate(c.period.End)},
		Type:      typ, OriginalAmount: c.signed(), OutstandingAmount: &out, Due: fmtDate(c.period.Due),
	}
}
