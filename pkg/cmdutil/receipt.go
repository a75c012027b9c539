package cmdutil

import (
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// ReceiptJSON is HMRC's receipt as `vat submit -o json` and `vat receipts -o json` show it.
type ReceiptJSON struct {
	VRN       string `json:"vrn"`
	PeriodKey string `json:"periodKey"`
	// HMRC's answer gives the fields below; a receipt found by reconciliation (the answer was
	// lost, and HMRC's obligations showed the return filed) knows none of them, and a field not
	// known is left out rather than written as "".
	ProcessingDate   string `json:"processingDate,omitempty" jsonschema:"format=date-time"`
	FormBundleNumber string `json:"formBundleNumber,omitempty"`
	PaymentIndicator string `json:"paymentIndicator,omitempty"`
	ChargeRefNumber  string `json:"chargeRefNumber,omitempty"`
	ReceiptID        string `json:"receiptId,omitempty"`
	ReceiptTimestamp string `json:"receiptTimestamp,omitempty"`
	CorrelationID    string `json:"correlationId"`
	Outcome          string `json:"outcome" jsonschema:"enum=accepted,enum=accepted-by-hmrc-reconciled,enum=already-filed"`
}

// ReceiptJSONOf is the JSON form of a journal receipt.
func ReceiptJSONOf(r *receipts.Receipt) ReceiptJSON {
	return ReceiptJSON{
		VRN: r.VRN, PeriodKey: r.PeriodKey, ProcessingDate: FormatTime(r.ProcessingDate), FormBundleNumber: r.FormBundleNumber,
		PaymentIndicator: r.PaymentIndicator, ChargeRefNumber: r.ChargeRefNumber, ReceiptID: r.ReceiptID,
		ReceiptTimestamp: r.ReceiptTimestamp, CorrelationID: r.CorrelationID, Outcome: r.Outcome,
	}
}

// ReceiptJSONFor is the JSON form of a journal receipt with its intent: a receipt found by
// reconciliation records only what HMRC said, and the period key is the intent's.
func ReceiptJSONFor(in receipts.Intent, r *receipts.Receipt) ReceiptJSON {
	j := ReceiptJSONOf(r)
	if j.PeriodKey == "" {
		j.PeriodKey = in.PeriodKey
	}
	if j.VRN == "" {
		j.VRN = in.VRN
	}
	return j
}

// PeriodJSON is a recorded submission's period, as ISO dates.
type PeriodJSON struct {
	Start string `json:"start,omitempty" jsonschema:"format=date"`
	End   string `json:"end,omitempty" jsonschema:"format=date"`
	Due   string `json:"due,omitempty" jsonschema:"format=date"`
}

// PeriodOf is the period an intent was recorded for.
func PeriodOf(in receipts.Intent) PeriodJSON {
	return PeriodJSON{Start: in.PeriodStart, End: in.PeriodEnd, Due: in.PeriodDue}
}

// SubmissionPeriod names a recorded submission's period for people as the other tables do,
// "Jul–Sep 2026 (26A3)", or by its key alone when the journal entry lacks the dates (entries
// written before vat recorded them).
func SubmissionPeriod(in receipts.Intent) string {
	start, err1 := hmrc.ParseDate(in.PeriodStart)
	end, err2 := hmrc.ParseDate(in.PeriodEnd)
	if err1 != nil || err2 != nil {
		return in.PeriodKey
	}
	label := PeriodLabel(hmrc.Obligation{PeriodKey: in.PeriodKey, Start: start, End: end})
	if in.PeriodKey == "" {
		return label
	}
	return label + " (" + in.PeriodKey + ")"
}

// Position says which way the money goes: box 5 is always positive, so the direction comes from
// comparing box 3 with box 4.
func Position(r vatreturn.Return) string {
	switch {
	case r.TotalVATDue > r.VATReclaimedCurrPeriod:
		return "payable"
	case r.TotalVATDue < r.VATReclaimedCurrPeriod:
		return "repayable"
	}
	return "nil"
}

// Amount says box 5 with its direction, for tables.
func Amount(r vatreturn.Return) string {
	switch Position(r) {
	case "payable":
		return r.NetVATDue.GBP() + " to pay"
	case "repayable":
		return r.NetVATDue.GBP() + " repayment"
	}
	return "nil return"
}
