package vatreturn

// Return holds the nine boxes of a VAT return. Field names follow HMRC's JSON names so that
// every layer speaks of the same thing; the wire encoding itself belongs to pkg/hmrc.
//
// Its JSON form is the nine boxes under HMRC's field names, each an exact decimal number: the
// shape HMRC's view-return answers with and the journal stores. (Submitting needs HMRC's stricter
// form, boxes 6 to 9 as integers: pkg/hmrc writes that itself.)
type Return struct {
	VATDueSales                  Money `json:"vatDueSales"`                  // box 1
	VATDueAcquisitions           Money `json:"vatDueAcquisitions"`           // box 2
	TotalVATDue                  Money `json:"totalVatDue"`                  // box 3
	VATReclaimedCurrPeriod       Money `json:"vatReclaimedCurrPeriod"`       // box 4
	NetVATDue                    Money `json:"netVatDue"`                    // box 5
	TotalValueSalesExVAT         Money `json:"totalValueSalesExVAT"`         // box 6, whole pounds
	TotalValuePurchasesExVAT     Money `json:"totalValuePurchasesExVAT"`     // box 7, whole pounds
	TotalValueGoodsSuppliedExVAT Money `json:"totalValueGoodsSuppliedExVAT"` // box 8, whole pounds
	TotalAcquisitionsExVAT       Money `json:"totalAcquisitionsExVAT"`       // box 9, whole pounds
}

// BoxInfo describes one box: its number, HMRC's field name, what it means and its limits.
type BoxInfo struct {
	Number      int
	Field       string
	Description string
	WholePounds bool
	Min, Max    Money
}

const (
	maxBig   = Money(999999999999999) // 9,999,999,999,999.99
	maxNet   = Money(9999999999999)   // 99,999,999,999.99
	maxWhole = Money(999999999999900) // 9,999,999,999,999
)

// Boxes lists the nine boxes in order; Boxes[n-1] is box n.
var Boxes = [9]BoxInfo{
	{1, "vatDueSales", "VAT due on sales and other outputs", false, -maxBig, maxBig},
	{2, "vatDueAcquisitions", "VAT due on acquisitions from EU member states (NI)", false, -maxBig, maxBig},
	{3, "totalVatDue", "Total VAT due (box 1 + box 2)", false, -maxBig, maxBig},
	{4, "vatReclaimedCurrPeriod", "VAT reclaimed on purchases and other inputs", false, -maxBig, maxBig},
	{5, "netVatDue", "Net VAT to pay to HMRC or reclaim (difference between boxes 3 and 4)", false, 0, maxNet},
	{6, "totalValueSalesExVAT", "Total value of sales and all other outputs excluding VAT", true, -maxWhole, maxWhole},
	{7, "totalValuePurchasesExVAT", "Total value of purchases and all other inputs excluding VAT", true, -maxWhole, maxWhole},
	{8, "totalValueGoodsSuppliedExVAT", "Total value of goods supplied to EU member states excluding VAT (NI)", true, -maxWhole, maxWhole},
	{9, "totalAcquisitionsExVAT", "Total acquisitions of goods from EU member states excluding VAT (NI)", true, -maxWhole, maxWhole},
}

// Box returns box n (1 to 9).
func (r *Return) Box(n int) Money { return *r.ptr(n) }

// SetBox sets box n (1 to 9).
func (r *Return) SetBox(n int, m Money) { *r.ptr(n) = m }

func (r *Return) ptr(n int) *Money {
	switch n {
	case 1:
		return &r.VATDueSales
	case 2:
		return &r.VATDueAcquisitions
	case 3:
		return &r.TotalVATDue
	case 4:
		return &r.VATReclaimedCurrPeriod
	case 5:
		return &r.NetVATDue
	case 6:
		return &r.TotalValueSalesExVAT
	case 7:
		return &r.TotalValuePurchasesExVAT
	case 8:
		return &r.TotalValueGoodsSuppliedExVAT
	case 9:
		return &r.TotalAcquisitionsExVAT
	}
	panic("vatreturn: box number out of range")
}
