package workbook

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Reasons a reference cannot be used as a box's cell; each becomes a CellError message.
var (
	errRefDeleted  = errors.New("refers to #REF! (the cell it pointed at was deleted); redefine the name to point at one cell")
	errRefExternal = errors.New("refers to another workbook; the boxes must be in this workbook")
	errRefRange    = errors.New("refers to a range of cells; it must refer to exactly one cell")
	errRefFormula  = errors.New("refers to a formula or constant, not a cell; point the name at the cell that holds the amount")
	errRefNoSheet  = errors.New("has no sheet name; write it as Sheet!A1")
	errRefSyntax   = errors.New("is not a cell reference")
)

// Excel's grid limits: XFD columns, 1,048,576 rows.
const (
	maxCol = 16384
	maxRow = 1048576
)

// ParseRef is parseRef for other packages (the demo fills the template's named cells with it).
func ParseRef(s string) (sheet, cell string, err error) { return parseRef(s) }

// parseRef reads a RefersTo formula or a --map reference naming exactly one cell, such as
// `'It”s'!$A$1` or `=Sheet1!C7`, and returns the sheet (unquoted) and the cell without '$'.
// excelize resolves no names itself, so this is where every malformed definition is caught and
// explained rather than silently read as an empty value.
func parseRef(s string) (sheet, cell string, err error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "="))
	if strings.Contains(strings.ToUpper(s), "#REF!") {
		return "", "", errRefDeleted
	}
	if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "'[") {
		return "", "", errRefExternal
	}
	var rest string
	switch {
	case strings.HasPrefix(s, "'"):
		var b strings.Builder
		i := 1
		closed := false
		for i < len(s) {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i += 2
					continue
				}
				closed = true
				i++
				break
			}
			b.WriteByte(s[i])
			i++
		}
		if !closed || i >= len(s) || s[i] != '!' {
			return "", "", errRefSyntax
		}
		sheet, rest = b.String(), s[i+1:]
		if strings.ContainsAny(sheet, "[]") {
			return "", "", errRefExternal
		}
	default:
		bang := strings.IndexByte(s, '!')
		if bang < 0 {
			return "", "", classifyBare(s)
		}
		sheet, rest = s[:bang], s[bang+1:]
		if strings.ContainsAny(sheet, "[]") {
			return "", "", errRefExternal
		}
		if !plainSheetName(sheet) {
			return "", "", errRefFormula
		}
	}
	if sheet == "" {
		return "", "", errRefSyntax
	}
	rest = strings.ReplaceAll(rest, "$", "")
	if strings.Contains(rest, ":") {
		a, b, _ := strings.Cut(rest, ":")
		if looksLikeCell(a) && looksLikeCell(b) || isColumnOrRow(a) && isColumnOrRow(b) {
			return "", "", errRefRange
		}
		return "", "", errRefFormula
	}
	if !looksLikeCell(rest) {
		if strings.ContainsAny(rest, "+-*/^&(),<>= ") {
			return "", "", errRefFormula
		}
		return "", "", errRefSyntax
	}
	return sheet, strings.ToUpper(rest), nil
}

// classifyBare explains a reference with no sheet: a constant, a formula, or a lone cell.
func classifyBare(s string) error {
	if s == "" {
		return errRefSyntax
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil || strings.ContainsAny(s, "+-*/^&(),<>=\"") {
		return errRefFormula
	}
	if looksLikeCell(strings.ReplaceAll(s, "$", "")) {
		return errRefNoSheet
	}
	return errRefSyntax
}

func plainSheetName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || r == '\\' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return true
}

// looksLikeCell reports whether s is an A1 reference within Excel's grid (no '$').
func looksLikeCell(s string) bool {
	_, _, ok := splitCell(s)
	return ok
}

func splitCell(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && i < 4 && isLetter(s[i]) {
		col = col*26 + int(upper(s[i])-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(s) || s[i] == '0' {
		return 0, 0, false
	}
	for j := i; j < len(s); j++ {
		if s[j] < '0' || s[j] > '9' || j-i > 7 {
			return 0, 0, false
		}
		row = row*10 + int(s[j]-'0')
	}
	return col, row, col <= maxCol && row <= maxRow
}

func isColumnOrRow(s string) bool {
	if s == "" {
		return false
	}
	letters, digits := true, true
	for i := 0; i < len(s); i++ {
		letters = letters && isLetter(s[i])
		digits = digits && s[i] >= '0' && s[i] <= '9'
	}
	return letters && len(s) <= 3 || digits && len(s) <= 7
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// refError wraps a parse failure with the text that failed, for messages.
func refError(refersTo string, err error) string {
	return fmt.Sprintf("%s %v", strconv.Quote(strings.TrimPrefix(strings.TrimSpace(refersTo), "=")), err)
}
