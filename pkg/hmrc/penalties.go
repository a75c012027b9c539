package hmrc

import (
	"context"
	"errors"
	"net/http"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Penalties is HMRC's penalty record for the last 24 months; every part is optional and a
// business without penalties gets the zero value.
type Penalties struct {
	Totalisations         *PenaltyTotalisations  `json:"totalisations,omitempty"`
	LateSubmissionPenalty *LateSubmissionPenalty `json:"lateSubmissionPenalty,omitempty"`
	LatePaymentPenalty    *LatePaymentPenalty    `json:"latePaymentPenalty,omitempty"`
}

// PenaltyTotalisations sums the penalties.
type PenaltyTotalisations struct {
	LateSubmissionPenaltyTotalValue vatreturn.Money `json:"lateSubmissionPenaltyTotalValue"`
	PenalisedPrincipalTotal         vatreturn.Money `json:"penalisedPrincipalTotal"`
	LatePaymentPenaltyPostedTotal   vatreturn.Money `json:"latePaymentPenaltyPostedTotal"`
	LatePaymentPenaltyEstimateTotal vatreturn.Money `json:"latePaymentPenaltyEstimateTotal"`
}

// LateSubmissionPenalty is the points-based regime for late returns.
type LateSubmissionPenalty struct {
	Summary LateSubmissionSummary   `json:"summary"`
	Details []LateSubmissionDetails `json:"details,omitempty"`
}

// LateSubmissionSummary counts the points.
type LateSubmissionSummary struct {
	ActivePenaltyPoints   int `json:"activePenaltyPoints"`
	InactivePenaltyPoints int `json:"inactivePenaltyPoints"`
	// PeriodOfComplianceAchievement is 9999-12-31 when no points are active.
	PeriodOfComplianceAchievement Date            `json:"periodOfComplianceAchievement,omitzero"`
	RegimeThreshold               int             `json:"regimeThreshold"`
	PenaltyChargeAmount           vatreturn.Money `json:"penaltyChargeAmount"`
}

// LateSubmissionDetails is one point or charge.
type LateSubmissionDetails struct {
	PenaltyNumber                     string              `json:"penaltyNumber"`
	PenaltyOrder                      string              `json:"penaltyOrder"`
	PenaltyCategory                   string              `json:"penaltyCategory"` // point, charge, threshold
	PenaltyStatus                     string              `json:"penaltyStatus"`   // active, inactive
	FrequencyAdjustmentPointIndicator string              `json:"frequencyAdjustmentPointIndicator,omitempty"`
	PenaltyCreationDate               Date                `json:"penaltyCreationDate,omitzero"`
	PenaltyExpiryDate                 Date                `json:"penaltyExpiryDate,omitzero"`
	ExpiryReason                      string              `json:"expiryReason,omitempty"`
	CommunicationsDate                Date                `json:"communicationsDate,omitzero"`
	LateSubmissions                   []LateSubmission    `json:"lateSubmissions,omitempty"`
	AppealInformation                 []AppealInformation `json:"appealInformation,omitempty"`
	// ChargeReference is the key for FinancialDetails.
	ChargeReference         string           `json:"chargeReference,omitempty"`
	ChargeAmount            *vatreturn.Money `json:"chargeAmount,omitempty"`
	ChargeOutstandingAmount *vatreturn.Money `json:"chargeOutstandingAmount,omitempty"`
	ChargeDueDate           Date             `json:"chargeDueDate,omitzero"`
}

// LateSubmission is the late return behind a point.
type LateSubmission struct {
	LateSubmissionID   string `json:"lateSubmissionID"`
	TaxReturnStatus    string `json:"taxReturnStatus"` // Open, Fulfilled, Reversed
	TaxPeriodStartDate Date   `json:"taxPeriodStartDate,omitzero"`
	TaxPeriodEndDate   Date   `json:"taxPeriodEndDate,omitzero"`
	TaxPeriodDueDate   Date   `json:"taxPeriodDueDate,omitzero"`
	ReturnReceiptDate  Date   `json:"returnReceiptDate,omitzero"`
}

// AppealInformation describes an appeal against a penalty.
type AppealInformation struct {
	AppealStatus string `json:"appealStatus"`
	AppealLevel  string `json:"appealLevel,omitempty"`
}

// LatePaymentPenalty lists penalties for paying late.
type LatePaymentPenalty struct {
	Details []LatePaymentDetails `json:"details,omitempty"`
}

// LatePaymentDetails is one late-payment penalty (LPP1 or LPP2).
type LatePaymentDetails struct {
	PrincipalChargeReference string           `json:"principalChargeReference"`
	PenaltyCategory          string           `json:"penaltyCategory"` // LPP1, LPP2
	PenaltyStatus            string           `json:"penaltyStatus"`   // accruing, posted
	PenaltyAmountAccruing    vatreturn.Money  `json:"penaltyAmountAccruing"`
	PenaltyAmountPosted      vatreturn.Money  `json:"penaltyAmountPosted"`
	PenaltyAmountPaid        *vatreturn.Money `json:"penaltyAmountPaid,omitempty"`
	PenaltyAmountOutstanding *vatreturn.Money `json:"penaltyAmountOutstanding,omitempty"`

	LPP1LowerRateCalculationAmount *vatreturn.Money `json:"latePaymentPenalty1LowerRateCalculationAmount,omitempty"`
	// The rates are per cent, kept exactly as HMRC sends them (a rate, not money, but never
	// rounded through a float either).
	LPP1LowerRatePercentage         *Decimal         `json:"latePaymentPenalty1LowerRatePercentage,omitempty"`
	LPP1HigherRateCalculationAmount *vatreturn.Money `json:"latePaymentPenalty1HigherRateCalculationAmount,omitempty"`
	LPP1HigherRatePercentage        *Decimal         `json:"latePaymentPenalty1HigherRatePercentage,omitempty"`
	LPP2Days                        string           `json:"latePaymentPenalty2Days,omitempty"`
	LPP2Percentage                  *Decimal         `json:"latePaymentPenalty2Percentage,omitempty"`

	PenaltyChargeCreationDate Date `json:"penaltyChargeCreationDate,omitzero"`
	CommunicationsDate        Date `json:"communicationsDate,omitzero"`
	// PenaltyChargeReference is the key for FinancialDetails; absent while the penalty accrues.
	PenaltyChargeReference        string              `json:"penaltyChargeReference,omitempty"`
	PenaltyChargeDueDate          Date                `json:"penaltyChargeDueDate,omitzero"`
	AppealInformation             []AppealInformation `json:"appealInformation,omitempty"`
	PrincipalChargeDocNumber      string              `json:"principalChargeDocNumber"`
	PrincipalChargeBillingFrom    Date                `json:"principalChargeBillingFrom,omitzero"`
	PrincipalChargeBillingTo      Date                `json:"principalChargeBillingTo,omitzero"`
	PrincipalChargeDueDate        Date                `json:"principalChargeDueDate,omitzero"`
	PrincipalChargeLatestClearing Date                `json:"principalChargeLatestClearing,omitzero"`
	TimeToPay                     []TimeToPay         `json:"timeToPay,omitempty"`
}

// TimeToPay is an agreed payment arrangement.
type TimeToPay struct {
	TimeToPayStartDate Date `json:"timeToPayStartDate,omitzero"`
	TimeToPayEndDate   Date `json:"timeToPayEndDate,omitzero"`
}

// Penalties returns the late-submission and late-payment penalties of vrn.
//
// GET /organisations/vat/{vrn}/penalties. Scope: read:vat.
func (c *Client) Penalties(ctx context.Context, vrn string) (*Penalties, *Response, error) {
	var p Penalties
	resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, "penalties"), idempotent: true}, &p)
	if err != nil {
		return nil, resp, err
	}
	return &p, resp, nil
}

// FinancialDetails is the accounting behind one penalty charge. Its amounts are Decimals: HMRC
// may send more than two decimals here (interest especially).
type FinancialDetails struct {
	Totalisations   *FinancialTotalisations `json:"totalisations,omitempty"`
	DocumentDetails []DocumentDetails       `json:"documentDetails,omitempty"`
}

// FinancialTotalisations sums the account.
type FinancialTotalisations struct {
	TotalOverdue                      *Decimal                           `json:"totalOverdue,omitempty"`
	TotalNotYetDue                    *Decimal                           `json:"totalNotYetDue,omitempty"`
	TotalBalance                      *Decimal                           `json:"totalBalance,omitempty"`
	TotalCredit                       *Decimal                           `json:"totalCredit,omitempty"`
	TotalCleared                      *Decimal                           `json:"totalCleared,omitempty"`
	AdditionalReceivableTotalisations *AdditionalReceivableTotalisations `json:"additionalReceivableTotalisations,omitempty"`
}

// AdditionalReceivableTotalisations sums interest.
type AdditionalReceivableTotalisations struct {
	TotalAccountPostedInterest   *Decimal `json:"totalAccountPostedInterest,omitempty"`
	TotalAccountAccruingInterest *Decimal `json:"totalAccountAccruingInterest,omitempty"`
}

// DocumentDetails is one accounting document.
type DocumentDetails struct {
	PostingDate               Date            `json:"postingDate,omitzero"`
	IssueDate                 Date            `json:"issueDate,omitzero"`
	DocumentTotalAmount       *Decimal        `json:"documentTotalAmount,omitempty"`
	DocumentClearedAmount     *Decimal        `json:"documentClearedAmount,omitempty"`
	DocumentOutstandingAmount *Decimal        `json:"documentOutstandingAmount,omitempty"`
	DocumentInterestTotals    *InterestTotals `json:"documentInterestTotals,omitempty"`
	LineItemDetails           []LineItem      `json:"lineItemDetails,omitempty"`
}

// InterestTotals sums interest on a document.
type InterestTotals struct {
	InterestPostedAmount   *Decimal `json:"interestPostedAmount,omitempty"`
	InterestAccruingAmount *Decimal `json:"interestAccruingAmount,omitempty"`
}

// LineItem is one line of a document.
type LineItem struct {
	ChargeDescription       string            `json:"chargeDescription,omitempty"`
	PeriodFromDate          Date              `json:"periodFromDate,omitzero"`
	PeriodToDate            Date              `json:"periodToDate,omitzero"`
	NetDueDate              Date              `json:"netDueDate,omitzero"`
	Amount                  *Decimal          `json:"amount,omitempty"`
	LineItemInterestDetails *LineItemInterest `json:"lineItemInterestDetails,omitempty"`
}

// LineItemInterest is the interest on a line.
type LineItemInterest struct {
	InterestStartDate      Date     `json:"interestStartDate,omitzero"`
	CurrentInterestRate    *Decimal `json:"currentInterestRate,omitempty"` // a rate, in per cent
	InterestPostedAmount   *Decimal `json:"interestPostedAmount,omitempty"`
	InterestAccruingAmount *Decimal `json:"interestAccruingAmount,omitempty"`
}

// msgGatewayNoResource is the API platform's message for a path that matches no resource.
const msgGatewayNoResource = "A resource with the name in the request can not be found in the API"

// FinancialDetails returns the financial details of a penalty charge, chargeRef being a
// chargeReference or penaltyChargeReference from Penalties (e.g. "XP123456789012").
//
// GET /organisations/vat/{vrn}/financial-details/{penaltyChargeReference}. Scope: read:vat.
func (c *Client) FinancialDetails(ctx context.Context, vrn, chargeRef string) (*FinancialDetails, *Response, error) {
	var fd FinancialDetails
	resp, err := c.do(ctx, call{method: http.MethodGet, path: vatPath(vrn, "financial-details", chargeRef), idempotent: true}, &fd)
	if err != nil {
		var ae *APIError
		// vat-api's 404 (FinancialDataHttpParser.scala, HIP code 018 "No Data Identified") says
		// there is no such charge; the gateway's own 404 for a wrong address words it otherwise.
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound && ae.Code == CodeMatchingResourceNotFound &&
			ae.Message != msgGatewayNoResource {
			ae.advice = "HMRC holds no charge with this reference for this VAT registration: copy the reference from `vat penalties`"
		}
		return nil, resp, err
	}
	return &fd, resp, nil
}
