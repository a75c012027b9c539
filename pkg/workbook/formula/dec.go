package formula

import (
	"math"
	"math/big"
	"math/bits"
)

// dec is m × 10^-s with an int64 mantissa: what nearly every number stored in a cell fits.
// Range functions compare and add these without allocating, which is what lets SUMIFS run over a
// 200,000-row ledger in tens of milliseconds; anything that does not fit falls back to big.Rat.
type dec struct {
	m int64
	s int32
}

const maxDecScale = 40

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// parseDec reads the number formats written in <v>: sign, digits, fraction, exponent.
func parseDec(t string) (dec, bool) {
	i, neg := 0, false
	if i < len(t) && (t[i] == '-' || t[i] == '+') {
		neg = t[i] == '-'
		i++
	}
	var m uint64
	var s int32
	digits, sawDigit, sawDot := 0, false, false
	for ; i < len(t); i++ {
		c := t[i]
		if c == '.' {
			if sawDot {
				return dec{}, false
			}
			sawDot = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		sawDigit = true
		if m == 0 && c == '0' {
			if sawDot {
				s++
			}
			continue
		}
		digits++
		if digits > 18 {
			return dec{}, false
		}
		m = m*10 + uint64(c-'0')
		if sawDot {
			s++
		}
	}
	if !sawDigit {
		return dec{}, false
	}
	if i < len(t) {
		if t[i] != 'e' && t[i] != 'E' {
			return dec{}, false
		}
		i++
		eneg := false
		if i < len(t) && (t[i] == '-' || t[i] == '+') {
			eneg = t[i] == '-'
			i++
		}
		if i == len(t) || len(t)-i > 3 {
			return dec{}, false
		}
		e := int32(0)
		for ; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return dec{}, false
			}
			e = e*10 + int32(t[i]-'0')
		}
		if eneg {
			s += e
		} else {
			s -= e
		}
	}
	// A negative scale (1E+5) is folded into the mantissa while it fits.
	for s < 0 {
		if m > math.MaxInt64/10 {
			return dec{}, false
		}
		m *= 10
		s++
	}
	if s > maxDecScale || m > math.MaxInt64 {
		return dec{}, false
	}
	v := int64(m)
	if neg {
		v = -v
	}
	return dec{m: v, s: s}, true
}

func (d dec) rat() *big.Rat {
	r := new(big.Rat).SetInt64(d.m)
	if d.s == 0 {
		return r
	}
	den := new(big.Int).Exp(bigTen, big.NewInt(int64(d.s)), nil)
	return r.Quo(r, new(big.Rat).SetInt(den))
}

// scaleTo returns d's mantissa at scale s (≥ d.s), or false on overflow.
func (d dec) scaleTo(s int32) (int64, bool) {
	diff := s - d.s
	if diff == 0 {
		return d.m, true
	}
	if diff < 0 || diff > 18 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(abs64(d.m)), uint64(pow10[diff]))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if d.m < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// cmpDec compares a and b; ok is false when aligning their scales would overflow.
func cmpDec(a, b dec) (c int, ok bool) {
	s := max(a.s, b.s)
	x, ok1 := a.scaleTo(s)
	y, ok2 := b.scaleTo(s)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

func ratToDec(r *big.Rat) (dec, bool) {
	n, exact := r.FloatPrec()
	if !exact || n > maxDecScale {
		return dec{}, false
	}
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)))
	if !x.IsInt() || !x.Num().IsInt64() {
		return dec{}, false
	}
	return dec{m: x.Num().Int64(), s: int32(n)}, true
}
