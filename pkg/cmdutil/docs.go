package cmdutil

import (
	"encoding/json"
	"strconv"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// ReturnJSON is the nine boxes under HMRC's field names, as every command's JSON shows a return:
// boxes 1 to 5 as numbers with two decimals, boxes 6 to 9 as whole pounds.
type ReturnJSON struct {
	VATDueSales                  vatreturn.Money `json:"vatDueSales"`
	VATDueAcquisitions           vatreturn.Money `json:"vatDueAcquisitions"`
	TotalVATDue                  vatreturn.Money `json:"totalVatDue"`
	VATReclaimedCurrPeriod       vatreturn.Money `json:"vatReclaimedCurrPeriod"`
	NetVATDue                    vatreturn.Money `json:"netVatDue"`
	TotalValueSalesExVAT         Pounds          `json:"totalValueSalesExVAT"`
	TotalValuePurchasesExVAT     Pounds          `json:"totalValuePurchasesExVAT"`
	TotalValueGoodsSuppliedExVAT Pounds          `json:"totalValueGoodsSuppliedExVAT"`
	TotalAcquisitionsExVAT       Pounds          `json:"totalAcquisitionsExVAT"`
}

// ReturnOf is r as ReturnJSON.
func ReturnOf(r vatreturn.Return) ReturnJSON {
	return ReturnJSON{r.VATDueSales, r.VATDueAcquisitions, r.TotalVATDue, r.VATReclaimedCurrPeriod, r.NetVATDue,
		Pounds(r.TotalValueSalesExVAT), Pounds(r.TotalValuePurchasesExVAT), Pounds(r.TotalValueGoodsSuppliedExVAT), Pounds(r.TotalAcquisitionsExVAT)}
}

// Pounds is a box HMRC takes in whole pounds (6 to 9). It is written as an integer, as HMRC
// does; a recorded value with pence (which vat would never send) is written exactly, with them.
type Pounds vatreturn.Money

// MarshalJSON writes whole pounds as an integer.
func (p Pounds) MarshalJSON() ([]byte, error) {
	m := vatreturn.Money(p)
	if m.IsWholePounds() {
		return []byte(strconv.FormatInt(m.WholePounds(), 10)), nil
	}
	return m.MarshalJSON()
}

// UnmarshalJSON reads the amount exactly.
func (p *Pounds) UnmarshalJSON(b []byte) error { return (*vatreturn.Money)(p).UnmarshalJSON(b) }

// BoxValues are the nine boxes as plain numbers for CSV: "1234.56", never "£1,234.56", so a
// spreadsheet reads each as a number.
func BoxValues(r vatreturn.Return) []string {
	out := make([]string, len(vatreturn.Boxes))
	for i, info := range vatreturn.Boxes {
		out[i] = PlainMoney(r.Box(info.Number), info.WholePounds)
	}
	return out
}

// PlainMoney is an amount as a plain number: two decimals, or whole pounds as an integer.
func PlainMoney(m vatreturn.Money, wholePounds bool) string {
	if wholePounds && m.IsWholePounds() {
		return strconv.FormatInt(m.WholePounds(), 10)
	}
	return m.String()
}

// BoxFields are HMRC's names of the nine boxes, in order, for CSV headers.
func BoxFields() []string {
	out := make([]string, len(vatreturn.Boxes))
	for i, info := range vatreturn.Boxes {
		out[i] = info.Field
	}
	return out
}

// BoxAmount is box n's figure as a JSON number, by the rule every document follows: boxes 1
// to 5 with two decimals, boxes 6 to 9 as whole pounds.
func BoxAmount(n int, m vatreturn.Money) *json.Number {
	v := json.Number(PlainMoney(m, vatreturn.Boxes[n-1].WholePounds))
	return &v
}
