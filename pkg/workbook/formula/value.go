package formula

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind uint8

// Value kinds. KindEmpty is a cell with nothing in it.
const (
	KindEmpty Kind = iota
	KindNumber
	KindString
	KindBool
	KindError
)

// Value is the result of evaluating a formula or reading a cell.
type Value struct {
	Kind Kind
	Num  *big.Rat // KindNumber; never mutated once stored in a Value
	Str  string   // KindString text, or the error code ("#DIV/0!") for KindError
	Bool bool     // KindBool
}

// Number makes a number Value.
func Number(r *big.Rat) Value { return Value{Kind: KindNumber, Num: r} }

// String makes a text Value.
func String(s string) Value { return Value{Kind: KindString, Str: s} }

// Bool makes a boolean Value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// ErrorValue makes an Excel error Value such as "#DIV/0!".
func ErrorValue(code string) Value { return Value{Kind: KindError, Str: code} }

// Excel error values produced by evaluation.
const (
	ErrDiv0  = "#DIV/0!"
	ErrValue = "#VALUE!"
	ErrName  = "#NAME?"
	ErrNum   = "#NUM!"
	ErrRef   = "#REF!"
	ErrNA    = "#N/A"
)

// maxFractionDigits is how far Text expands a value whose decimal expansion does not end
// (1/3): far beyond a penny, so a caller checking for sub-penny precision still sees it.
const maxFractionDigits = 20

// Text formats v: numbers as exact decimals with no exponent ("1234.5", "-0.07"; a
// non-terminating fraction is rounded to 20 decimal places), booleans as "TRUE"/"FALSE", errors as
// their code, empty as "".
func (v Value) Text() string {
	switch v.Kind {
	case KindNumber:
		return DecimalText(v.Num)
	case KindString, KindError:
		return v.Str
	case KindBool:
		if v.Bool {
			return "TRUE"
		}
		return "FALSE"
	}
	return ""
}

// DecimalText formats r as an exact decimal when it has one, otherwise rounded to 20 places.
func DecimalText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	digits := maxFractionDigits
	if n, exact := r.FloatPrec(); exact {
		digits = n
	}
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// ParseNumber reads a number as written in a cell's <v> or a formula: an optional sign, digits,
// an optional fraction and an optional exponent. It is exact.
func ParseNumber(s string) (*big.Rat, bool) {
	if s == "" || len(s) > 400 {
		return nil, false
	}
	// big.Rat accepts forms Excel never writes ("1/3", "0x10"); reject them first.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return nil, false
		}
	}
	if exp := strings.IndexAny(s, "eE"); exp >= 0 {
		// Bound the exponent: "1e999999999" would allocate a huge integer.
		e := strings.TrimLeft(s[exp+1:], "+-")
		if len(e) > 3 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// excelDigits is the precision Excel keeps: it shows, compares and rounds numbers to 15
// significant digits, so a stored 8.199999999999999 is 8.2 to ROUNDDOWN there.
// https://learn.microsoft.com/en-us/office/troubleshoot/excel/floating-point-arithmetic-inaccurate-result
const excelDigits = 15

// sigDigits counts the significant digits of a number as written, up to any exponent.
func sigDigits(s string) int {
	n, started := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' || c == 'E' {
			break
		}
		if c < '0' || c > '9' {
			continue
		}
		if c != '0' {
			started = true
		}
		if started {
			n++
		}
	}
	return n
}

// parseStored reads a number stored in a cell the way Excel reads it: beyond 15 significant
// digits the text is binary noise (the 17 digits that round-trip a double) and is rounded away.
func parseStored(s string) (*big.Rat, bool) {
	if sigDigits(s) <= excelDigits {
		return ParseNumber(s)
	}
	if _, ok := ParseNumber(s); !ok {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return ParseNumber(s)
	}
	return ParseNumber(strconv.FormatFloat(f, 'g', excelDigits, 64))
}

var (
	ratZero    = new(big.Rat)
	ratOne     = big.NewRat(1, 1)
	ratHundred = big.NewRat(100, 1)
)
