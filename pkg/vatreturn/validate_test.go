package vatreturn

import (
	"errors"
	"strings"
	"testing"
)

func valid() Return {
	return Return{
		VATDueSales: 123456, VATDueAcquisitions: 100, TotalVATDue: 123556,
		VATReclaimedCurrPeriod: 200000, NetVATDue: 76444,
		TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 1000000,
		TotalValueGoodsSuppliedExVAT: 0, TotalAcquisitionsExVAT: 500,
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Return)
		boxes []int
		codes []string
		words []string
	}{
		{"valid", func(*Return) {}, nil, nil, nil},
		{"box 3 wrong", func(r *Return) { r.TotalVATDue++; r.NetVATDue-- }, []int{3}, []string{CodeTotalValue}, []string{"box 1 + box 2", "1234.56 + 1.00 = 1235.56"}},
		{"box 5 wrong", func(r *Return) { r.NetVATDue = 1 }, []int{5}, []string{CodeNetValue}, []string{"|1235.56 − 2000.00| = 764.44"}},
		{"box 5 negative", func(r *Return) { r.NetVATDue = -76444 }, []int{5, 5}, []string{CodeInvalidAmount, CodeNetValue}, []string{"negative", "netVatDue"}},
		{"pence in 6 and 9", func(r *Return) { r.TotalValueSalesExVAT += 1; r.TotalAcquisitionsExVAT = 550 }, []int{6, 9}, []string{CodeInvalidAmount, CodeInvalidAmount}, []string{"whole pounds", "totalValueSalesExVAT", "totalAcquisitionsExVAT"}},
		{"box 1 out of range", func(r *Return) {
			r.VATDueSales = maxBig + 1
			r.TotalVATDue = r.VATDueSales + r.VATDueAcquisitions
			r.NetVATDue = r.TotalVATDue - r.VATReclaimedCurrPeriod
		}, []int{1, 3, 5}, []string{CodeInvalidAmount, CodeInvalidAmount, CodeInvalidAmount}, []string{"outside the allowed range -9999999999999.99 to 9999999999999.99", "0.00 to 99999999999.99"}},
		{"box 7 range shows pounds", func(r *Return) { r.TotalValuePurchasesExVAT = -maxWhole - 100 }, []int{7}, []string{CodeInvalidAmount}, []string{"-9999999999999 to 9999999999999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := valid()
			tt.edit(&r)
			ps := r.Validate()
			if len(ps) != len(tt.boxes) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.boxes), ps)
			}
			for i, p := range ps {
				if p.Box != tt.boxes[i] || p.Code != tt.codes[i] || p.Field != Boxes[p.Box-1].Field {
					t.Errorf("problem %d = %+v, want box %d code %s", i, p, tt.boxes[i], tt.codes[i])
				}
			}
			if len(ps) == 0 {
				return
			}
			msg := ps.Error()
			for _, w := range tt.words {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if !strings.Contains(msg, Boxes[ps[0].Box-1].Description) {
				t.Errorf("message %q lacks the box description", msg)
			}
		})
	}
}

func TestProblemsErr(t *testing.T) {
	t.Parallel()
	if err := valid().Validate().Err(); err != nil {
		t.Errorf("Err() of no problems = %v, want a nil error", err)
	}
	r := valid()
	r.NetVATDue = 0
	var ps Problems
	if err := r.Validate().Err(); !errors.As(err, &ps) || len(ps) != 1 || ps[0].Box != 5 {
		t.Errorf("Err() = %v, want Problems with box 5", err)
	}
}
