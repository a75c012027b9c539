package formula

import (
	"strconv"
	"strings"
)

// Sheet limits of the OOXML format; references beyond them are not references at all.
const (
	MaxCol = 16384   // XFD
	MaxRow = 1048576 // rows per sheet
)

// Ref is a reference to one cell or a rectangular area, possibly on another sheet. Rows and
// columns are 1-based. Whole-column references (A:C) have R1 = 1 and R2 = MaxRow; whole-row
// references (1:3) have C1 = 1 and C2 = MaxCol.
type Ref struct {
	Sheet          string // "" means the sheet of the formula
	C1, R1, C2, R2 int
	// Abs flags record which parts carried '$', because shared formulas shift only relative parts.
	AbsC1, AbsR1, AbsC2, AbsR2 bool
	// Shape records how the reference was written, so Shift can write it back the same way.
	Shape RefShape
}

// RefShape is how a reference was written.
type RefShape uint8

// Reference shapes.
const (
	ShapeCell RefShape = iota // A1
	ShapeArea                 // A1:B2
	ShapeCols                 // A:B
	ShapeRows                 // 1:2
)

// IsCell reports whether r is a single cell.
func (r Ref) IsCell() bool { return r.C1 == r.C2 && r.R1 == r.R2 }

// ColName turns a 1-based column number into letters (1 → A, 28 → AB).
func ColName(c int) string {
	var b [4]byte
	i := len(b)
	for c > 0 && i > 0 {
		c--
		i--
		b[i] = byte('A' + c%26)
		c /= 26
	}
	return string(b[i:])
}

// CellName formats a 1-based column and row as A1 text.
func CellName(col, row int) string { return ColName(col) + strconv.Itoa(row) }

// parseCol reads leading column letters; it returns the column and the bytes consumed, or 0.
func parseCol(s string) (int, int) {
	c, i := 0, 0
	for i < len(s) && i < 3 {
		ch := s[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		c = c*26 + int(ch-'a'+1)
		i++
	}
	if i == 0 || c > MaxCol {
		return 0, 0
	}
	if i < len(s) && isLetter(s[i]) {
		return 0, 0
	}
	return c, i
}

// parseRow reads a whole string of digits as a row number, or returns 0.
func parseRow(s string) int {
	if s == "" || len(s) > 7 || s[0] == '0' {
		return 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	if n > MaxRow {
		return 0
	}
	return n
}

func isLetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }

// ParseCell reads an A1 reference such as "C7" or "$C$7" into a column and row.
func ParseCell(s string) (col, row int, ok bool) {
	col, row, _, _, ok = parseCellAbs(s)
	return
}

func parseCellAbs(s string) (col, row int, absC, absR, ok bool) {
	if strings.HasPrefix(s, "$") {
		absC, s = true, s[1:]
	}
	col, n := parseCol(s)
	if n == 0 {
		return 0, 0, false, false, false
	}
	s = s[n:]
	if strings.HasPrefix(s, "$") {
		absR, s = true, s[1:]
	}
	row = parseRow(s)
	if row == 0 {
		return 0, 0, false, false, false
	}
	return col, row, absC, absR, true
}

func parseColAbs(s string) (col int, abs, ok bool) {
	if strings.HasPrefix(s, "$") {
		abs, s = true, s[1:]
	}
	c, n := parseCol(s)
	if n == 0 || n != len(s) {
		return 0, false, false
	}
	return c, abs, true
}

func parseRowAbs(s string) (row int, abs, ok bool) {
	if strings.HasPrefix(s, "$") {
		abs, s = true, s[1:]
	}
	r := parseRow(s)
	return r, abs, r != 0
}

// parseLocalRef reads the part of a reference after any sheet prefix: A1, A1:B2, A:B or 1:2.
func parseLocalRef(s string) (Ref, bool) {
	a, b, isRange := strings.Cut(s, ":")
	if !isRange {
		c, r, ac, ar, ok := parseCellAbs(a)
		if !ok {
			return Ref{}, false
		}
		return Ref{C1: c, R1: r, C2: c, R2: r, AbsC1: ac, AbsR1: ar, AbsC2: ac, AbsR2: ar, Shape: ShapeCell}, true
	}
	if c1, r1, ac1, ar1, ok := parseCellAbs(a); ok {
		c2, r2, ac2, ar2, ok := parseCellAbs(b)
		if !ok {
			return Ref{}, false
		}
		ref := Ref{C1: c1, R1: r1, C2: c2, R2: r2, AbsC1: ac1, AbsR1: ar1, AbsC2: ac2, AbsR2: ar2, Shape: ShapeArea}
		return ref.normalised(), true
	}
	if c1, ac1, ok := parseColAbs(a); ok {
		c2, ac2, ok := parseColAbs(b)
		if !ok {
			return Ref{}, false
		}
		ref := Ref{C1: c1, R1: 1, C2: c2, R2: MaxRow, AbsC1: ac1, AbsC2: ac2, Shape: ShapeCols}
		return ref.normalised(), true
	}
	if r1, ar1, ok := parseRowAbs(a); ok {
		r2, ar2, ok := parseRowAbs(b)
		if !ok {
			return Ref{}, false
		}
		ref := Ref{C1: 1, R1: r1, C2: MaxCol, R2: r2, AbsR1: ar1, AbsR2: ar2, Shape: ShapeRows}
		return ref.normalised(), true
	}
	return Ref{}, false
}

// normalised orders the corners so that C1 <= C2 and R1 <= R2, as Excel does for B2:A1.
func (r Ref) normalised() Ref {
	if r.C1 > r.C2 {
		r.C1, r.C2, r.AbsC1, r.AbsC2 = r.C2, r.C1, r.AbsC2, r.AbsC1
	}
	if r.R1 > r.R2 {
		r.R1, r.R2, r.AbsR1, r.AbsR2 = r.R2, r.R1, r.AbsR2, r.AbsR1
	}
	return r
}

// String writes the reference back in A1 notation, quoting the sheet name when needed.
func (r Ref) String() string {
	var b strings.Builder
	if r.Sheet != "" {
		b.WriteString(QuoteSheet(r.Sheet))
		b.WriteByte('!')
	}
	dollar := func(abs bool) {
		if abs {
			b.WriteByte('$')
		}
	}
	switch r.Shape {
	case ShapeCols:
		dollar(r.AbsC1)
		b.WriteString(ColName(r.C1))
		b.WriteByte(':')
		dollar(r.AbsC2)
		b.WriteString(ColName(r.C2))
	case ShapeRows:
		dollar(r.AbsR1)
		b.WriteString(strconv.Itoa(r.R1))
		b.WriteByte(':')
		dollar(r.AbsR2)
		b.WriteString(strconv.Itoa(r.R2))
	default:
		dollar(r.AbsC1)
		b.WriteString(ColName(r.C1))
		dollar(r.AbsR1)
		b.WriteString(strconv.Itoa(r.R1))
		if r.Shape == ShapeArea {
			b.WriteByte(':')
			dollar(r.AbsC2)
			b.WriteString(ColName(r.C2))
			dollar(r.AbsR2)
			b.WriteString(strconv.Itoa(r.R2))
		}
	}
	return b.String()
}

// QuoteSheet quotes a sheet name for use in a formula when it is not a plain identifier.
func QuoteSheet(name string) string {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(isLetter(c) || c == '_' || c == '.' || (i > 0 && c >= '0' && c <= '9')) {
			plain = false
			break
		}
	}
	// A name that reads as a cell reference (e.g. "A1") or boolean must be quoted too.
	if plain {
		if _, _, ok := ParseCell(name); ok {
			plain = false
		}
		if strings.EqualFold(name, "TRUE") || strings.EqualFold(name, "FALSE") {
			plain = false
		}
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// shift moves the relative parts of r by dRow and dCol; ok is false when it leaves the sheet.
func (r Ref) shift(dRow, dCol int) (Ref, bool) {
	mv := func(v int, abs bool, d, limit int) (int, bool) {
		if abs {
			return v, true
		}
		v += d
		return v, v >= 1 && v <= limit
	}
	var ok1, ok2, ok3, ok4 bool
	switch r.Shape {
	case ShapeCols:
		r.C1, ok1 = mv(r.C1, r.AbsC1, dCol, MaxCol)
		r.C2, ok2 = mv(r.C2, r.AbsC2, dCol, MaxCol)
		ok3, ok4 = true, true
	case ShapeRows:
		r.R1, ok1 = mv(r.R1, r.AbsR1, dRow, MaxRow)
		r.R2, ok2 = mv(r.R2, r.AbsR2, dRow, MaxRow)
		ok3, ok4 = true, true
	default:
		r.C1, ok1 = mv(r.C1, r.AbsC1, dCol, MaxCol)
		r.R1, ok2 = mv(r.R1, r.AbsR1, dRow, MaxRow)
		r.C2, ok3 = mv(r.C2, r.AbsC2, dCol, MaxCol)
		r.R2, ok4 = mv(r.R2, r.AbsR2, dRow, MaxRow)
	}
	return r, ok1 && ok2 && ok3 && ok4
}
