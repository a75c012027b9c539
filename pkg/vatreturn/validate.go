package vatreturn

import (
	"fmt"
	"strings"
)

// Problem codes, named after the HMRC error codes the same mistake would earn, so a user who
// later meets HMRC's message recognises it.
const (
	CodeInvalidAmount = "INVALID_MONETARY_AMOUNT" // out of range or too many decimals
	CodeTotalValue    = "VAT_TOTAL_VALUE"         // box 3 ≠ box 1 + box 2
	CodeNetValue      = "VAT_NET_VALUE"           // box 5 ≠ |box 3 − box 4|
)

// Problem is one breach of HMRC's rules, tied to the box it concerns.
type Problem struct {
	Box     int    // 1 to 9
	Field   string // HMRC field name, e.g. "totalVatDue"
	Code    string // one of the Code constants
	Message string // what is wrong, in words a user can act on
}

// Error describes the problem with the box number, HMRC field and description.
func (p Problem) Error() string {
	desc := ""
	if p.Box >= 1 && p.Box <= 9 {
		desc = " " + Boxes[p.Box-1].Description
	}
	return fmt.Sprintf("box %d (%s,%s): %s", p.Box, p.Field, desc, p.Message)
}

// Problems is every rule a return breaks; Validate collects them all so a user fixes the
// workbook once rather than once per problem.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Validate applies HMRC's rules for a 9-box return: each box in range, boxes 6 to 9 in whole
// pounds, box 5 never negative, box 3 = box 1 + box 2 and box 5 = |box 3 − box 4|, all exact.
// It returns nil when the return is acceptable; test the Problems value itself (ps != nil or
// len(ps) > 0), since a nil Problems stored in an error interface is not a nil error — Err does
// that conversion safely. Money cannot hold sub-penny amounts, so the two-decimal rule is
// enforced where amounts are parsed (ParseMoney, Decimal.Money).
func (r Return) Validate() Problems {
	var ps Problems
	add := func(n int, code, format string, args ...any) {
		ps = append(ps, Problem{Box: n, Field: Boxes[n-1].Field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	for _, b := range Boxes {
		v := r.Box(b.Number)
		switch {
		case b.Number == 5 && v < 0:
			add(5, CodeInvalidAmount, "%s is negative; box 5 is always sent as a positive amount (HMRC works out whether it is owed or repayable)", v)
		case v < b.Min || v > b.Max:
			add(b.Number, CodeInvalidAmount, "%s is outside the allowed range %s to %s", v, limit(b, b.Min), limit(b, b.Max))
		case b.WholePounds && !v.IsWholePounds():
			add(b.Number, CodeInvalidAmount, "%s has pence; box %d must be whole pounds (leave the pence out)", v, b.Number)
		}
	}
	if sum := r.VATDueSales + r.VATDueAcquisitions; r.TotalVATDue != sum {
		add(3, CodeTotalValue, "%s is not box 1 + box 2 (%s + %s = %s)", r.TotalVATDue, r.VATDueSales, r.VATDueAcquisitions, sum)
	}
	if diff := (r.TotalVATDue - r.VATReclaimedCurrPeriod).Abs(); r.NetVATDue != diff {
		add(5, CodeNetValue, "%s is not the difference between box 3 and box 4 (|%s − %s| = %s)", r.NetVATDue, r.TotalVATDue, r.VATReclaimedCurrPeriod, diff)
	}
	return ps
}

// Err returns the problems as an error, or a true nil error when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func limit(b BoxInfo, m Money) string {
	if b.WholePounds {
		return fmt.Sprint(m.WholePounds())
	}
	return m.String()
}

// Change records one value that rounding altered, so the user sees every adjustment made on
// their behalf before anything is sent.
type Change struct {
	Box  int
	From Decimal // the exact value as read
	To   Money
}

// String says what was rounded, e.g. "box 6: 1234.56 rounded down to 1234 (whole pounds)".
func (c Change) String() string {
	if c.Box >= 6 {
		return fmt.Sprintf("box %d: %s rounded down to %d (whole pounds, pence left out)", c.Box, c.From, c.To.WholePounds())
	}
	return fmt.Sprintf("box %d: %s rounded to %s (nearest penny)", c.Box, c.From, c.To)
}

// RoundBox brings an exact value into the form box n needs: boxes 1 to 5 to the nearest penny,
// boxes 6 to 9 down to whole pounds as HMRC's guidance says. changed reports whether the value moved.
func RoundBox(n int, d Decimal) (m Money, changed bool, err error) {
	if n >= 6 {
		m, err = d.TruncatePounds()
	} else {
		m, err = d.RoundPenny()
	}
	if err != nil {
		return 0, false, err
	}
	return m, DecimalFromMoney(m).Cmp(d) != 0, nil
}
