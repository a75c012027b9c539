package sandbox

import "time"

// chargeDoc is one charge as financial details shows it.
type chargeDoc struct {
	description      string
	period           period
	amount, cleared  int64 // pence
	posted, due      time.Time
	interestStart    time.Time
	interestRate     int64 // basis points; 0 = no interest
	interestPosted   int64
	interestAccruing int64
}

func (d chargeDoc) body(today time.Time) financialDetailsBody {
	out := d.amount - d.cleared
	t := fdTotalisations{TotalBalance: amount(out), TotalCleared: amount(d.cleared)}
	if today.After(d.due) {
		t.TotalOverdue = amount(out)
	} else {
		t.TotalNotYetDue = amount(out)
	}
	doc := fdDocument{
		PostingDate: fmtDate(d.posted), IssueDate: fmtDate(d.posted),
		DocumentTotalAmount: amount(d.amount), DocumentClearedAmount: amount(d.cleared), DocumentOutstandingAmount: amount(out),
	}
	line := fdLineItem{
		ChargeDescription: d.description, PeriodFromDate: fmtDate(d.period.Start),
		PeriodToDate: fmtDate(d.period.End), NetDueDate: fmtDate(d.due), Amount: amount(d.amount),
	}
	if d.interestRate > 0 {
		posted, accruing := amount(d.interestPosted), amount(d.interestAccruing)
		t.AdditionalReceivableTotalisations = &fdInterestTotals{posted, accruing}
		doc.DocumentInterestTotals = &fdDocInterest{posted, accruing}
		line.LineItemInterestDetails = &fdLineInterest{fmtDate(d.interestStart), amount(d.interestRate), posted, accruing}
	}
	doc.LineItemDetails = []fdLineItem{line}
	return financialDetailsBody{t, []fdDocument{doc}}
}

// details is a penalty charge as financial details shows it.
func (pc penaltyCharge) details(today time.Time) financialDetailsBody {
	d := chargeDoc{description: pc.description, period: pc.period, amount: pc.amount, posted: pc.created, due: pc.due}
	if pc.paid {
		d.cleared = pc.amount
	}
	return d.body(today)
}

// principalDetails answers financial details for the VAT Return Debit Charge that
// late payment penalties name as their principal, with the late payment interest
// it carries. HMRC documents only penalty references for this endpoint; the
// emulator resolves principal references too, so that every reference the
// penalties body shows can be looked up.
func (s *Server) principalDetails(vrn, ref string, today time.Time) (financialDetailsBody, bool) {
	s.mu.Lock()
	charges := s.chargesLocked(vrn, today)
	s.mu.Unlock()
	for _, ch := range charges {
		if ch.credit || principalRef(vrn, ch.period.Key) != ref {
			continue
		}
		p := ch.period
		d := chargeDoc{description: "VAT Return", period: p, amount: ch.amount, posted: ch.received, due: p.Due}
		switch {
		case !ch.paidOn.IsZero():
			d.cleared = ch.amount
			if ch.paidOn.After(p.Due) {
				// Up to and including the day of payment, as the estimate below runs
				// up to today: the interest posted once a debit is collected is what
				// was shown accruing on the day it was collected.
				d.interestRate = interestRate(ch.paidOn)
				d.interestPosted = lateInterest(ch.amount, p.Due, ch.paidOn)
			}
		case today.After(p.Due):
			d.interestRate = interestRate(today)
			d.interestAccruing = lateInterest(ch.amount, p.Due, today)
		}
		d.interestStart = p.Due.AddDate(0, 0, 1)
		return d.body(today), true
	}
	return financialDetailsBody{}, false
}
