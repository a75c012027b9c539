package formula

import (
	"fmt"
	"strings"
)

// Table is an Excel table (ListObject) as its table part describes it.
type Table struct {
	Name       string
	Sheet      string
	Area       Ref // the whole table: header row, data rows and totals row
	HeaderRows int // 0 or 1
	TotalsRows int // 0 or 1
	Columns    []string
}

// TableSource is implemented by a Source that can read the workbook's tables; without it a
// structured reference is refused as unsupported.
type TableSource interface {
	Table(name string) (Table, bool)
	// TableAt returns the table containing a cell, for references such as [@Net].
	TableAt(sheet string, col, row int) (Table, bool)
}

// ParseArea reads a cell or range reference without a sheet (A1, $A$1:$D$10).
func ParseArea(s string) (Ref, bool) { return parseLocalRef(s) }

// tableNode is a structured reference: Table1[Net], Table1[[#Totals],[Net]], [@Net].
type tableNode struct {
	table string // "" for a reference inside the table itself
	spec  string // the text between the outer brackets
}

// lexTableSpec reads the bracketed specifier starting at src[i] == '[', returning the text
// inside the outer brackets and the index after them. A ' escapes the next character.
func lexTableSpec(src string, i int) (string, int, error) {
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '\'':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return src[i+1 : j], j + 1, nil
			}
		}
	}
	return "", 0, synErr(src, i, "unterminated structured reference")
}

// tableItems splits a specifier into its special items (#Data, #Totals, #This Row …) and its
// column range; a lone item such as Net, @Net or #Totals has no inner brackets.
func tableItems(spec string) (specials []string, col1, col2 string, err error) {
	if t := strings.TrimSpace(spec); strings.HasPrefix(t, "[") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "@") || t == "" {
		spec = t
	}
	if !strings.HasPrefix(spec, "[") {
		switch {
		case strings.HasPrefix(spec, "#"):
			return []string{spec}, "", "", nil
		case strings.HasPrefix(spec, "@"):
			c := spec[1:]
			if t := strings.TrimSpace(c); strings.HasPrefix(t, "[") {
				c = strings.TrimSuffix(strings.TrimPrefix(t, "["), "]")
			}
			return []string{"#This Row"}, unescapeColumn(c), unescapeColumn(c), nil
		case spec == "":
			return nil, "", "", nil
		}
		return nil, unescapeColumn(spec), unescapeColumn(spec), nil
	}
	// [item],[item] or [Col1]:[Col2], possibly after specials.
	var parts []string
	for i := 0; i < len(spec); {
		switch spec[i] {
		case ' ', ',':
			i++
			continue
		case ':':
			parts = append(parts, ":")
			i++
			continue
		case '[':
			inner, n, e := lexTableSpec(spec, i)
			if e != nil {
				return nil, "", "", e
			}
			parts = append(parts, "["+inner)
			i = n
			continue
		}
		return nil, "", "", unsupported(fmt.Sprintf("structured reference [%s]", spec))
	}
	for k := 0; k < len(parts); k++ {
		p := parts[k]
		if p == ":" {
			continue
		}
		// Spaces inside an item's brackets are part of a column name ("Field 4 "); only special
		// items are trimmed.
		item := p[1:]
		if t := strings.TrimSpace(item); strings.HasPrefix(t, "#") {
			specials = append(specials, t)
			continue
		}
		if col1 == "" {
			col1, col2 = unescapeColumn(item), unescapeColumn(item)
			continue
		}
		if k > 0 && parts[k-1] == ":" {
			col2 = unescapeColumn(item)
			continue
		}
		return nil, "", "", unsupported(fmt.Sprintf("structured reference [%s]", spec))
	}
	return specials, col1, col2, nil
}

func unescapeColumn(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// resolveTable turns a structured reference into the area it denotes, as Excel defines them:
// https://support.microsoft.com/en-us/office/using-structured-references-with-excel-tables-f5ed2452-2337-4f71-bed3-c8ae6d2b276e
// Without a special item a reference means the data rows; #This Row (or @) means the row of the
// formula's own cell.
func (e *Evaluator) resolveTable(n *tableNode, sheet string) (Ref, Value, error) {
	ts, ok := e.src.(TableSource)
	if !ok {
		return Ref{}, Value{}, unsupported("structured references to Excel tables")
	}
	var t Table
	if n.table == "" {
		t, ok = ts.TableAt(sheet, e.curCol, e.curRow)
		if !ok {
			return Ref{}, Value{}, unsupported("a structured reference outside any table")
		}
	} else if t, ok = ts.Table(n.table); !ok {
		return Ref{}, ErrorValue(ErrRef), nil // the table was deleted or renamed outside Excel
	}
	specials, col1, col2, err := tableItems(n.spec)
	if err != nil {
		return Ref{}, Value{}, err
	}
	r := t.Area
	r.Shape = ShapeArea
	dataR1, dataR2 := t.Area.R1+t.HeaderRows, t.Area.R2-t.TotalsRows
	r.R1, r.R2 = dataR1, dataR2
	if len(specials) > 0 {
		first := true
		for _, sp := range specials {
			var lo, hi int
			switch strings.ToLower(strings.Join(strings.Fields(sp), " ")) {
			case "#all":
				lo, hi = t.Area.R1, t.Area.R2
			case "#data":
				lo, hi = dataR1, dataR2
			case "#headers":
				if t.HeaderRows == 0 {
					return Ref{}, ErrorValue(ErrRef), nil
				}
				lo, hi = t.Area.R1, t.Area.R1
			case "#totals":
				if t.TotalsRows == 0 {
					return Ref{}, ErrorValue(ErrRef), nil
				}
				lo, hi = t.Area.R2, t.Area.R2
			case "#this row":
				if !strings.EqualFold(sheet, t.Sheet) || e.curRow < dataR1 || e.curRow > dataR2 {
					return Ref{}, ErrorValue(ErrValue), nil
				}
				lo, hi = e.curRow, e.curRow
			default:
				return Ref{}, Value{}, unsupported("structured reference item " + sp)
			}
			if first {
				r.R1, r.R2, first = lo, hi, false
				continue
			}
			// Excel allows only adjacent combinations such as [#Headers],[#Data].
			r.R1, r.R2 = min(r.R1, lo), max(r.R2, hi)
		}
	}
	if col1 != "" {
		c1, c2 := -1, -1
		for i, name := range t.Columns {
			if strings.EqualFold(name, col1) {
				c1 = t.Area.C1 + i
			}
			if strings.EqualFold(name, col2) {
				c2 = t.Area.C1 + i
			}
		}
		if c1 < 0 || c2 < 0 {
			return Ref{}, ErrorValue(ErrRef), nil
		}
		r.C1, r.C2 = min(c1, c2), max(c1, c2)
	}
	if r.R1 > r.R2 {
		return Ref{}, ErrorValue(ErrRef), nil // an empty table's data
	}
	if r.R1 == r.R2 && r.C1 == r.C2 {
		r.Shape = ShapeCell
	}
	return r, Value{}, nil
}
