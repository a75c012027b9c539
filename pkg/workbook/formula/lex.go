package formula

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tkEOF tokKind = iota
	tkNumber
	tkString
	tkBool
	tkError
	tkRef
	tkName // a defined name, possibly sheet-qualified
	tkFunc // a function name; the '(' is consumed with it
	tkOp
	tkLParen
	tkRParen
	tkComma
	tkTable // a structured reference: text is the table name ("" for this table), sheet the specifier
)

type token struct {
	kind       tokKind
	text       string // operator, function name (upper case), number/string/error text, name
	sheet      string // sheet qualifier of a ref or name
	ref        Ref
	start, end int // byte offsets in the source, for Shift
}

// maxFormulaLen bounds the input: Excel itself caps formulas at 8,192 characters.
const maxFormulaLen = 16384

var errorCodes = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}

// lex splits a formula (without its leading '=') into tokens.
func lex(src string) ([]token, error) {
	if len(src) > maxFormulaLen {
		return nil, &SyntaxError{Formula: "", Pos: 0, Msg: fmt.Sprintf("formula longer than %d bytes", maxFormulaLen)}
	}
	// Formulas average about one token per two bytes; sizing once avoids most regrowth, which
	// matters when a ledger column holds a formula on each of 200,000 rows.
	toks := make([]token, 0, len(src)/2+2)
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case c == '(':
			toks = append(toks, token{kind: tkLParen, start: i, end: i + 1})
			i++
			continue
		case c == ')':
			toks = append(toks, token{kind: tkRParen, start: i, end: i + 1})
			i++
			continue
		case c == ',':
			toks = append(toks, token{kind: tkComma, start: i, end: i + 1})
			i++
			continue
		case c == '"':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(src) {
					return nil, synErr(src, i, "unterminated string")
				}
				if src[j] == '"' {
					if j+1 < len(src) && src[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			toks = append(toks, token{kind: tkString, text: b.String(), start: i, end: j + 1})
			i = j + 1
			continue
		case c == '#':
			matched := false
			for _, code := range errorCodes {
				if len(src)-i >= len(code) && strings.EqualFold(src[i:i+len(code)], code) {
					toks = append(toks, token{kind: tkError, text: code, start: i, end: i + len(code)})
					i += len(code)
					matched = true
					break
				}
			}
			if !matched {
				return nil, synErr(src, i, "unknown error value")
			}
			continue
		case strings.ContainsRune("+-*/^&%", rune(c)):
			toks = append(toks, token{kind: tkOp, text: string(c), start: i, end: i + 1})
			i++
			continue
		case c == '=' || c == '<' || c == '>':
			op := string(c)
			if i+1 < len(src) && (c == '<' && (src[i+1] == '=' || src[i+1] == '>') || c == '>' && src[i+1] == '=') {
				op = src[i : i+2]
			}
			toks = append(toks, token{kind: tkOp, text: op, start: i, end: i + len(op)})
			i += len(op)
			continue
		case c == '{':
			return nil, unsupported("array constants")
		case c == '[':
			spec, n, err := lexTableSpec(src, i)
			if err != nil {
				return nil, err
			}
			// [1]Sheet1!A1 and [Book.xlsx]Sheet1!A1 point at another workbook.
			if k := n; k < len(src) && (isIdentStart(src, k) || src[k] == '\'') {
				return nil, unsupported("external workbook references")
			}
			toks = append(toks, token{kind: tkTable, sheet: spec, start: i, end: n})
			i = n
			continue
		case c == '@':
			return nil, unsupported("the implicit intersection operator @")
		case c == '\'':
			t, n, err := lexQuotedSheet(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = n
			continue
		case c >= '0' && c <= '9' || c == '.':
			// A row range such as 1:3 starts like a number.
			if t, n, ok := lexRowRange(src, i); ok {
				toks = append(toks, t)
				i = n
				continue
			}
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					for k < len(src) && src[k] >= '0' && src[k] <= '9' {
						k++
					}
					j = k
				}
			}
			if strings.Count(src[i:j], ".") > 1 || src[i:j] == "." {
				return nil, synErr(src, i, "malformed number")
			}
			toks = append(toks, token{kind: tkNumber, text: src[i:j], start: i, end: j})
			i = j
			continue
		case isIdentStart(src, i) || c == '$':
			t, n, err := lexWord(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = n
			continue
		}
		return nil, synErr(src, i, fmt.Sprintf("unexpected character %q", rune(c)))
	}
	toks = append(toks, token{kind: tkEOF, start: len(src), end: len(src)})
	return toks, nil
}

func isIdentStart(s string, i int) bool {
	c := s[i]
	if isLetter(c) || c == '_' || c == '\\' {
		return true
	}
	return c >= utf8.RuneSelf
}

func isIdentChar(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '\\' || c == '?' || c == '$' || c >= utf8.RuneSelf
}

// lexRowRange recognises 1:3 or 1:$3 at i.
func lexRowRange(src string, i int) (token, int, bool) {
	j := i
	for j < len(src) && (isIdentChar(src[j]) || src[j] == ':') {
		j++
	}
	text := src[i:j]
	if !strings.Contains(text, ":") {
		return token{}, 0, false
	}
	r, ok := parseLocalRef(text)
	if !ok || r.Shape != ShapeRows {
		return token{}, 0, false
	}
	return token{kind: tkRef, ref: r, start: i, end: j}, j, true
}

func lexQuotedSheet(src string, i int) (token, int, error) {
	j := i + 1
	var b strings.Builder
	for {
		if j >= len(src) {
			return token{}, 0, synErr(src, i, "unterminated quoted sheet name")
		}
		if src[j] == '\'' {
			if j+1 < len(src) && src[j+1] == '\'' {
				b.WriteByte('\'')
				j += 2
				continue
			}
			break
		}
		b.WriteByte(src[j])
		j++
	}
	j++
	if j >= len(src) || src[j] != '!' {
		return token{}, 0, synErr(src, i, "quoted sheet name without '!'")
	}
	sheet := b.String()
	if strings.Contains(sheet, ":") {
		return token{}, 0, unsupported("3-D references across sheets")
	}
	if sheet == "" {
		return token{}, 0, synErr(src, i, "empty sheet name")
	}
	return lexAfterSheet(src, i, j+1, sheet)
}

// lexAfterSheet reads the reference or name that follows "Sheet!".
func lexAfterSheet(src string, start, i int, sheet string) (token, int, error) {
	j := i
	for j < len(src) && (isIdentChar(src[j]) || src[j] == ':') {
		j++
	}
	text := src[i:j]
	if strings.EqualFold(text, "#REF!") || (j < len(src) && src[j] == '#') {
		return token{}, 0, synErr(src, start, "reference to a deleted cell")
	}
	if r, ok := parseLocalRef(text); ok {
		r.Sheet = sheet
		return token{kind: tkRef, ref: r, sheet: sheet, start: start, end: j}, j, nil
	}
	if text != "" && !strings.ContainsAny(text, ":$") && isIdentStart(text, 0) {
		return token{kind: tkName, text: text, sheet: sheet, start: start, end: j}, j, nil
	}
	return token{}, 0, synErr(src, start, fmt.Sprintf("bad reference %q", src[start:j]))
}

func lexWord(src string, i int) (token, int, error) {
	j := i
	for j < len(src) && isIdentChar(src[j]) {
		j++
	}
	word := src[i:j]
	if j < len(src) && src[j] == '!' {
		if strings.Contains(word, "$") {
			return token{}, 0, synErr(src, i, "bad sheet name")
		}
		return lexAfterSheet(src, i, j+1, word)
	}
	if j < len(src) && src[j] == '[' && !strings.Contains(word, "$") {
		spec, n, err := lexTableSpec(src, j)
		if err != nil {
			return token{}, 0, err
		}
		return token{kind: tkTable, text: word, sheet: spec, start: i, end: n}, n, nil
	}
	if j < len(src) && src[j] == '(' && !strings.Contains(word, "$") {
		name := strings.ToUpper(word)
		name = strings.TrimPrefix(name, "_XLFN.")
		name = strings.TrimPrefix(name, "_XLWS.")
		return token{kind: tkFunc, text: name, start: i, end: j + 1}, j + 1, nil
	}
	// Ranges: A1:B2, A:B, $A$1:$B$9.
	if j < len(src) && src[j] == ':' {
		k := j + 1
		for k < len(src) && isIdentChar(src[k]) {
			k++
		}
		if r, ok := parseLocalRef(src[i:k]); ok {
			return token{kind: tkRef, ref: r, start: i, end: k}, k, nil
		}
		return token{}, 0, unsupported(fmt.Sprintf("range operator in %q", src[i:k]))
	}
	if strings.EqualFold(word, "TRUE") || strings.EqualFold(word, "FALSE") {
		return token{kind: tkBool, text: strings.ToUpper(word), start: i, end: j}, j, nil
	}
	if r, ok := parseLocalRef(word); ok && r.Shape == ShapeCell {
		// Keep the text too: a defined name that happens to look like a cell (Box1) wins, as in excelize.
		return token{kind: tkRef, ref: r, text: word, start: i, end: j}, j, nil
	}
	if strings.Contains(word, "$") {
		return token{}, 0, synErr(src, i, fmt.Sprintf("bad reference %q", word))
	}
	return token{kind: tkName, text: word, start: i, end: j}, j, nil
}
