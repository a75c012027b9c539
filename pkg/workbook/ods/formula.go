package ods

import "strings"

// ExcelFormula translates an OpenFormula expression as stored in table:formula or
// table:expression ("of:=SUM([.C2:.C9];[$Ledger.B1])") into Excel's notation
// ("SUM(C2:C9,Ledger!B1)"), the form the rest of vat parses and shows. Text outside references
// is kept as written: expressions LibreOffice carried over from an .xlsx file
// ('VAT Return'!#REF!) are already in Excel's notation. A reference to another file becomes
// "[file]Sheet!A1", which pkg/workbook refuses as external.
func ExcelFormula(s string) string {
	s = strings.TrimSpace(s)
	if ns, rest, ok := strings.Cut(s, ":="); ok && !strings.ContainsAny(ns, "[]'\"(") {
		s = rest // namespace prefix such as "of:" or "msoxl:"
	}
	s = strings.TrimPrefix(s, "=")
	var b strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '"':
			j := skipQuoted(s, i, '"')
			b.WriteString(s[i:j])
			i = j
		case '[':
			j := closeBracket(s, i)
			if j < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(RangeAddress(s[i+1 : j]))
			i = j + 1
		case ';':
			b.WriteByte(',')
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// skipQuoted returns the index after the quoted run starting at s[i] (a doubled quote escapes).
func skipQuoted(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// closeBracket finds the ']' closing the '[' at s[i], skipping quoted sheet names.
func closeBracket(s string, i int) int {
	for j := i + 1; j < len(s); {
		switch s[j] {
		case '\'':
			j = skipQuoted(s, j, '\'')
		case ']':
			return j
		default:
			j++
		}
	}
	return -1
}

// RangeAddress translates one ODF cell or range address ("$'VAT Return'.$C$7",
// "$Sheet1.$A$1:.$C$15", ".C7") into Excel's notation ("'VAT Return'!$C$7", "Sheet1!$A$1:$C$15",
// "C7"). The sheet of a range's second corner is dropped when it is the first corner's or absent.
func RangeAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	parts := splitOutsideQuotes(addr, ':')
	var b strings.Builder
	firstSheet := ""
	for k, p := range parts {
		sheet, cell, external := splitAddress(p)
		if external != "" {
			return "[" + external + "]" + sheet + "!" + cell
		}
		if k > 0 {
			b.WriteByte(':')
		}
		if sheet != "" && (k == 0 || sheet != firstSheet) {
			b.WriteString(sheet)
			b.WriteByte('!')
		}
		if k == 0 {
			firstSheet = sheet
		}
		b.WriteString(cell)
	}
	return b.String()
}

// splitAddress splits "$'Sheet'.$C$7" into the sheet as Excel writes it ("'Sheet'", quoted when
// it was) and the cell ("$C$7"). external is the file of a reference into another document
// ("'file:///x.ods'#$Sheet1.A1").
func splitAddress(p string) (sheet, cell, external string) {
	p = strings.TrimPrefix(p, "$")
	if strings.HasPrefix(p, "'") {
		j := skipQuoted(p, 0, '\'')
		if j < len(p) && p[j] == '#' {
			external = p[1 : j-1]
			p = strings.TrimPrefix(p[j+1:], "$")
			if strings.HasPrefix(p, "'") {
				j = skipQuoted(p, 0, '\'')
			} else {
				j = strings.LastIndexByte(p, '.')
				if j < 0 {
					return "", p, external
				}
			}
		}
		sheet = p[:j]
		return sheet, strings.TrimPrefix(p[j:], "."), external
	}
	dot := strings.LastIndexByte(p, '.')
	if dot < 0 {
		return "", p, ""
	}
	sheet = p[:dot]
	if sheet != "" && !plainSheet(sheet) {
		sheet = "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	}
	return sheet, p[dot+1:], ""
}

func plainSheet(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return true
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '\'':
			i = skipQuoted(s, i, '\'')
		case sep:
			out = append(out, s[start:i])
			i++
			start = i
		default:
			i++
		}
	}
	return append(out, s[start:])
}
