package vatreturn

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number of any precision, as read from a workbook before it is
// known to fit in pence. A cell may legitimately hold 12.345 (a VAT calculation not yet rounded);
// keeping the exact value lets --round say precisely what it changed instead of hiding a float.
// The zero value is 0.
type Decimal struct {
	r *big.Rat // nil means zero; never mutated after construction
}

// maxDecimalText bounds the text ParseDecimal accepts so that input cannot drive an unbounded
// allocation; a spreadsheet number never needs more than a few dozen characters.
const maxDecimalText = 64

// maxExponent bounds exponents for the same reason: 1E999999999 would otherwise build a huge integer.
const maxExponent = 400

// ErrNotDecimal reports text that is not a plain decimal number.
var ErrNotDecimal = errors.New("not a number")

// ParseDecimal reads a decimal such as "-12.345", "50244367.170000002" or "1.5E-3" exactly.
// It accepts an optional sign, digits with at most one point and an optional exponent, which is
// how spreadsheet files store numbers. It accepts no separators or currency signs.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, fmt.Errorf("empty amount: %w", ErrNotDecimal)
	}
	if len(s) > maxDecimalText {
		return Decimal{}, fmt.Errorf("number longer than %d characters: %w", maxDecimalText, ErrNotDecimal)
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > maxExponent || e < -maxExponent {
			return Decimal{}, fmt.Errorf("%q: %w", s, ErrNotDecimal)
		}
		exp = e
	}
	neg := false
	switch {
	case strings.HasPrefix(mant, "-"):
		neg, mant = true, mant[1:]
	case strings.HasPrefix(mant, "+"):
		mant = mant[1:]
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrNotDecimal)
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return Decimal{}, fmt.Errorf("%q: %w", s, ErrNotDecimal)
			}
		}
	}
	coef, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrNotDecimal)
	}
	if neg {
		coef.Neg(coef)
	}
	scale := len(frac) - exp
	r := new(big.Rat).SetInt(coef)
	if scale > 0 {
		r.Quo(r, new(big.Rat).SetInt(pow10(scale)))
	} else if scale < 0 {
		r.Mul(r, new(big.Rat).SetInt(pow10(-scale)))
	}
	return Decimal{r: r}, nil
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// DecimalFromMoney converts pence to a Decimal.
func DecimalFromMoney(m Money) Decimal {
	return Decimal{r: big.NewRat(int64(m), 100)}
}

func (d Decimal) rat() *big.Rat {
	if d.r == nil {
		return new(big.Rat)
	}
	return d.r
}

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.rat().Sign() }

// Cmp compares d and e: -1 if d < e, 0 if equal, +1 if d > e.
func (d Decimal) Cmp(e Decimal) int { return d.rat().Cmp(e.rat()) }

// Add returns d + e.
func (d Decimal) Add(e Decimal) Decimal { return Decimal{r: new(big.Rat).Add(d.rat(), e.rat())} }

// Sub returns d - e.
func (d Decimal) Sub(e Decimal) Decimal { return Decimal{r: new(big.Rat).Sub(d.rat(), e.rat())} }

// Abs returns |d|.
func (d Decimal) Abs() Decimal { return Decimal{r: new(big.Rat).Abs(d.rat())} }

// String writes the exact value with as many decimals as it needs, e.g. "12.345" or "-3".
func (d Decimal) String() string {
	r := d.rat()
	// Every Decimal is built from decimal text or pence, so its denominator is 2^a·5^b and the
	// expansion terminates; find the needed places instead of guessing a precision.
	den := new(big.Int).Set(r.Denom())
	places := 0
	ten := big.NewInt(10)
	for den.Cmp(big.NewInt(1)) != 0 && places < 2*maxExponent+maxDecimalText {
		g := new(big.Int).GCD(nil, nil, den, ten)
		if g.Cmp(big.NewInt(1)) == 0 {
			break
		}
		den.Quo(den, g)
		places++
	}
	return r.FloatString(places)
}

// Money returns the value in pence when it has at most two decimal places, else ErrPrecision.
func (d Decimal) Money() (Money, error) {
	r := new(big.Rat).Mul(d.rat(), big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, ErrPrecision
	}
	return moneyFromInt(r.Num())
}

func moneyFromInt(n *big.Int) (Money, error) {
	if !n.IsInt64() {
		return 0, errors.New("amount too large")
	}
	return Money(n.Int64()), nil
}

// RoundPenny rounds to the nearest penny, halves away from zero (0.005 → 0.01, -0.005 → -0.01),
// the usual commercial rounding HMRC accepts for VAT amounts.
func (d Decimal) RoundPenny() (Money, error) {
	r := new(big.Rat).Mul(d.rat(), big.NewRat(100, 1))
	num := new(big.Int).Abs(r.Num())
	q, rem := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return moneyFromInt(q)
}

// TruncatePounds drops the pence (and anything below), toward zero: HMRC's guidance for boxes 6
// to 9 is to leave the pence out, not to round them.
func (d Decimal) TruncatePounds() (Money, error) {
	r := d.rat()
	q := new(big.Int).Quo(r.Num(), r.Denom()) // Quo truncates toward zero
	return moneyFromInt(q.Mul(q, big.NewInt(100)))
}
