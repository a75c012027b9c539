package formula

import (
	"math/big"
	"strings"
	"unicode/utf8"
)

// criterion is a parsed SUMIF/SUMIFS condition such as 5, ">=45383", "<>sales" or "ab*".
type criterion struct {
	op   string // "=", "<>", "<", ">", "<=", ">="
	kind Kind   // what the operand is: number, string, bool, error, or empty ("" / "=" / "<>")
	num  *big.Rat
	d    dec // num as a dec, when hasD
	hasD bool
	str  string // lower-cased text, or an error code
	bool bool
	wild bool // str holds * or ? wildcards
}

func parseCriterion(v Value, dateShift int64) criterion {
	c := parseCriterionValue(v, dateShift)
	if c.kind == KindNumber {
		c.d, c.hasD = ratToDec(c.num)
	}
	return c
}

// matchEntry is match for a range entry, without materialising a Value in the common cases
// (a number against a numeric criterion, text against text).
func (c criterion) matchEntry(en *entry) bool {
	if en.val == nil {
		switch {
		case en.kind == KindEmpty:
			return c.match(Value{})
		case en.kind == KindNumber && en.hasD && c.kind == KindNumber && c.hasD:
			if r, ok := cmpDec(en.d, c.d); ok {
				return cmpOp(c.op, r)
			}
		case en.kind == KindString:
			return c.match(Value{Kind: KindString, Str: en.text})
		}
	}
	return c.match(en.value())
}

func parseCriterionValue(v Value, dateShift int64) criterion {
	switch v.Kind {
	case KindNumber:
		return criterion{op: "=", kind: KindNumber, num: v.Num}
	case KindBool:
		return criterion{op: "=", kind: KindBool, bool: v.Bool}
	case KindEmpty:
		// Excel treats a criterion taken from an empty cell as 0.
		return criterion{op: "=", kind: KindNumber, num: new(big.Rat)}
	}
	s := v.Str
	op := "="
	for _, p := range []string{">=", "<=", "<>", "=", ">", "<"} {
		if strings.HasPrefix(s, p) {
			op, s = p, s[len(p):]
			break
		}
	}
	c := criterion{op: op}
	switch {
	case s == "":
		c.kind = KindEmpty
	case equalFold(s, "TRUE") || equalFold(s, "FALSE"):
		c.kind, c.bool = KindBool, equalFold(s, "TRUE")
	case strings.HasPrefix(s, "#"):
		c.kind, c.str = KindError, strings.ToUpper(s)
	default:
		if r, ok := ParseNumber(strings.TrimSpace(s)); ok {
			c.kind, c.num = KindNumber, r
		} else if serial, ok := parseDateText(strings.TrimSpace(s)); ok {
			c.kind, c.num = KindNumber, big.NewRat(serial-dateShift, 1)
		} else if serial, ok := parseUKDate(strings.TrimSpace(s)); ok {
			// A UK-locale Excel reads ">=30/09/2026" (often a PeriodEnd typed as text and joined
			// with ">=") as a date, so the criterion compares dates, not text.
			c.kind, c.num = KindNumber, big.NewRat(serial-dateShift, 1)
		} else {
			c.kind, c.str = KindString, strings.ToLower(s)
			c.wild = (op == "=" || op == "<>") && strings.ContainsAny(s, "*?")
		}
	}
	return c
}

func (c criterion) match(v Value) bool {
	switch c.kind {
	case KindEmpty:
		empty := v.Kind == KindEmpty || (v.Kind == KindString && v.Str == "")
		switch c.op {
		case "=":
			return empty
		case "<>":
			return !empty
		}
		return false
	case KindNumber:
		var x *big.Rat
		switch v.Kind {
		case KindNumber:
			x = v.Num
		case KindString:
			if c.op == "=" || c.op == "<>" {
				x, _ = ParseNumber(strings.TrimSpace(v.Str))
			}
		}
		if x == nil {
			return c.op == "<>"
		}
		return cmpOp(c.op, x.Cmp(c.num))
	case KindBool:
		if v.Kind != KindBool {
			return c.op == "<>"
		}
		return cmpOp(c.op, compare(v, Bool(c.bool)))
	case KindError:
		if v.Kind != KindError {
			return c.op == "<>"
		}
		return cmpOp(c.op, strings.Compare(v.Str, c.str))
	}
	// Text criteria only ever match text cells, except "<>" which matches everything else too.
	if v.Kind != KindString {
		return c.op == "<>"
	}
	if c.wild {
		m := wildMatch(c.str, strings.ToLower(v.Str))
		return m == (c.op == "=")
	}
	if c.op == "=" || c.op == "<>" {
		return strings.EqualFold(v.Str, c.str) == (c.op == "=")
	}
	return cmpOp(c.op, strings.Compare(strings.ToLower(v.Str), c.str))
}

func cmpOp(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case ">=":
		return c >= 0
	}
	return false
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// wildMatch matches Excel wildcards: * any run, ? one character, ~ escapes the next one.
// It is iterative with one backtrack point, so it runs in O(len(p)·len(s)) at worst.
func wildMatch(p, s string) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			pc, pn := utf8.DecodeRuneInString(p[pi:])
			switch {
			case pc == '*':
				starP, starS = pi+pn, si
				pi += pn
				continue
			case pc == '?':
				_, sn := utf8.DecodeRuneInString(s[si:])
				pi += pn
				si += sn
				continue
			default:
				lit, ln := pc, pn
				if pc == '~' && pi+pn < len(p) {
					lit, ln = utf8.DecodeRuneInString(p[pi+pn:])
					ln += pn
				}
				sc, sn := utf8.DecodeRuneInString(s[si:])
				if sc == lit {
					pi += ln
					si += sn
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, sn := utf8.DecodeRuneInString(s[starS:])
		starS += sn
		pi, si = starP, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// sum adds exact numbers quickly: ledger values share a handful of denominators (2, 5, 10,
// 100…), so numerators are summed per denominator and combined once at the end, instead of
// normalising a big.Rat on every addition.
type sum struct {
	byScale [maxDecScale + 1]int64
	byDen   map[uint64]*big.Int
	other   *big.Rat
}

// addDec adds without allocating; a bucket about to overflow is moved into other first.
func (s *sum) addDec(d dec) {
	v := s.byScale[d.s]
	t := v + d.m
	if (v > 0 && d.m > 0 && t < 0) || (v < 0 && d.m < 0 && t >= 0) {
		s.other.Add(s.other, dec{m: v, s: d.s}.rat())
		t = d.m
	}
	s.byScale[d.s] = t
}

func newSum() *sum { return &sum{byDen: make(map[uint64]*big.Int), other: new(big.Rat)} }

func (s *sum) add(x *big.Rat) {
	if d := x.Denom(); d.IsUint64() && len(s.byDen) < 64 {
		k := d.Uint64()
		n := s.byDen[k]
		if n == nil {
			n = new(big.Int)
			s.byDen[k] = n
		}
		n.Add(n, x.Num())
		return
	}
	s.other.Add(s.other, x)
}

func (s *sum) result() *big.Rat {
	z := new(big.Rat).Set(s.other)
	for sc, v := range s.byScale {
		if v != 0 {
			z.Add(z, dec{m: v, s: int32(sc)}.rat())
		}
	}
	for d, n := range s.byDen {
		z.Add(z, new(big.Rat).SetFrac(n, new(big.Int).SetUint64(d)))
	}
	return z
}
