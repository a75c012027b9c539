package csvlink

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// MaxSize bounds the file: a return is a few hundred bytes, and even years of periods in one
// file are a few kilobytes, so anything near this is not a VAT return.
const MaxSize = 8 << 20

// maxColumns bounds the fields of one line.
const maxColumns = 64

// Layout is how the file arranges the boxes.
type Layout string

const (
	// LayoutBoxRows has one row per box: label, value.
	LayoutBoxRows Layout = "box-rows"
	// LayoutPeriodRows has a header row and one row per period with the boxes as columns.
	LayoutPeriodRows Layout = "period-rows"
)

// Options select what is read.
type Options struct {
	// PeriodEnd picks the row of a file with one row per period. Zero is allowed only when the
	// file holds a single period.
	PeriodEnd time.Time
}

// LayoutError is a file whose layout vat does not read, naming the place to fix it.
type LayoutError struct {
	Path    string
	Row     int // line number, 0 for the whole file
	Col     int // 1-based column, 0 for the whole row
	Message string
}

func (e *LayoutError) Error() string {
	var b strings.Builder
	switch {
	case e.Row > 0 && e.Col > 0:
		fmt.Fprintf(&b, "row %d, column %s (cell %s): ", e.Row, ColumnName(e.Col), CellName(e.Col, e.Row))
	case e.Row > 0:
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	b.WriteString(e.Message)
	return b.String()
}

// DefinedName mirrors pkg/workbook's DefinedName.
type DefinedName struct {
	Name     string
	RefersTo string
	Scope    string
}

// Cell types, mirroring pkg/workbook's CellType strings. Every field is text; pkg/workbook
// decides what reads as an amount.
const (
	TypeEmpty  = "empty"
	TypeString = "string"
)

// CellValue mirrors pkg/workbook's CellValue.
type CellValue struct {
	Type      string
	Cached    string
	Formula   string
	HasCached bool
}

// File is a CSV digital link read and checked.
type File struct {
	sheet  string
	layout Layout
	rows   map[int][]string // line number → fields
	names  []DefinedName
	// Row is the line the return was read from in the period layout (0 in the box layout).
	row int
}

// Open reads the file and checks its layout; any problem with the layout is a *LayoutError.
func Open(path string, opts Options) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(path, data, opts)
}

// Parse is Open for contents already read; path names the file in messages and evidence.
func Parse(path string, data []byte, opts Options) (*File, error) {
	lerr := func(row, col int, format string, args ...any) error {
		return &LayoutError{Path: path, Row: row, Col: col, Message: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxSize {
		return nil, lerr(0, 0, "the file is larger than %d MB, far more than a VAT return; is it the right file?", MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, lerr(0, 0, "the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")
		}
		data = dec
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, lerr(0, 0, "the file holds binary data, not comma-separated text")
	}
	f := &File{sheet: filepath.Base(path), rows: map[int][]string{}}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, lerr(pe.StartLine, pe.Column, "the line is not valid CSV: %v", pe.Err)
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) > maxColumns {
			return nil, lerr(line, maxColumns+1, "the line has %d fields; a VAT return needs at most %d", len(rec), maxColumns)
		}
		blank := true
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			blank = blank && rec[i] == ""
		}
		if blank {
			continue
		}
		f.rows[line] = rec
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return nil, lerr(0, 0, "the file has no rows; write one row per box (vatDueSales,1234.56) or a header row with PeriodEnd and the boxes as columns")
	}
	header := f.rows[lines[0]]
	for _, h := range header {
		if what, _ := classify(h); what == metaPeriodEnd {
			return f, f.periodRows(path, lines, opts)
		}
	}
	return f, f.boxRows(path, lines)
}

// delimiter is ',' unless the first line has none and has a semicolon or tab instead, as
// European-locale and "tab-delimited" exports do.
func delimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.IndexByte(first, ',') >= 0:
		return ','
	case bytes.IndexByte(first, ';') >= 0:
		return ';'
	case bytes.IndexByte(first, '\t') >= 0:
		return '\t'
	}
	return ','
}

// What a label or heading stands for: a box number 1-9, or one of these.
const (
	unknown         = 0
	metaPeriodStart = -1
	metaPeriodEnd   = -2
	metaVRN         = -3
	headerBox       = -4 // "box" in a box-rows header
)

var labels = func() map[string]int {
	m := map[string]int{
		"periodstart": metaPeriodStart, "start": metaPeriodStart, "periodstartdate": metaPeriodStart,
		"periodend": metaPeriodEnd, "end": metaPeriodEnd, "periodenddate": metaPeriodEnd,
		"vrn": metaVRN, "vatregistrationnumber": metaVRN,
		// mcb30/hmrc's column names.
		"vatsales": 1, "vatacquisitions": 2, "vatreclaimed": 4, "totalsales": 6,
		"totalpurchases": 7, "totalsupplies": 8, "totalacquisitions": 9,
	}
	for n := 1; n <= 9; n++ {
		for _, s := range []string{strconv.Itoa(n), fmt.Sprintf("box%d", n), fmt.Sprintf("vatbox%d", n), vatreturn.Boxes[n-1].Field} {
			m[normalise(s)] = n
		}
	}
	return m
}()

func normalise(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != ' ' && r != '_' && r != '-' && r != '.' && r != '\u00a0' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// classify says what a label stands for and the defined name pkg/workbook will look it up by:
// the label itself when it is one of the names workbooks use, otherwise the canonical name.
func classify(label string) (what int, name string) {
	what = labels[normalise(label)]
	switch {
	case what >= 1:
		field := vatreturn.Boxes[what-1].Field
		for _, n := range []string{fmt.Sprintf("Box%d", what), fmt.Sprintf("VAT_Box%d", what), fmt.Sprintf("VATBox%d", what), field} {
			if strings.EqualFold(label, n) {
				return what, label
			}
		}
		return what, field
	case what == metaPeriodStart:
		return what, "PeriodStart"
	case what == metaPeriodEnd:
		return what, "PeriodEnd"
	case what == metaVRN:
		return what, "VRN"
	}
	return unknown, ""
}

const accepted = "Box1…Box9, the HMRC field name (vatDueSales … totalAcquisitionsExVAT), PeriodStart, PeriodEnd or VRN"

func (f *File) boxRows(path string, lines []int) error {
	f.layout = LayoutBoxRows
	lerr := func(row, col int, format string, args ...any) error {
		return &LayoutError{Path: path, Row: row, Col: col, Message: fmt.Sprintf(format, args...)}
	}
	seen := map[int]bool{}
	for i, line := range lines {
		rec := f.rows[line]
		if i == 0 {
			if a := normalise(rec[0]); a == "box" || a == "field" || a == "name" || a == "label" {
				continue // header row
			}
		}
		what, name := classify(rec[0])
		if what == unknown {
			if rec[0] == "" {
				return lerr(line, 1, "the row has a value but no label in column A; write %s there", accepted)
			}
			hint := ""
			if i == 0 && len(rec) > 2 {
				hint = "; for one row per period, the header needs a period-end column (PeriodEnd or end)"
			}
			return lerr(line, 1, "%s is not a box; a row starts with %s%s", strconv.Quote(rec[0]), accepted, hint)
		}
		for c := 2; c < len(rec); c++ {
			if rec[c] != "" {
				return lerr(line, c+1, "unexpected field %s: a row holds a label in column A and its value in column B, nothing more (put amounts with thousands separators in quotes: \"1,234.56\")", strconv.Quote(rec[c]))
			}
		}
		seen[what] = true
		f.names = append(f.names, DefinedName{Name: name, RefersTo: f.ref(2, line)})
	}
	return f.missing(path, lines[0], func(n int) string {
		return fmt.Sprintf("no row for box %d (%s); add the row %s,0 if there is nothing to declare", n, vatreturn.Boxes[n-1].Field, vatreturn.Boxes[n-1].Field)
	}, seen)
}

func (f *File) missing(path string, row int, msg func(int) string, seen map[int]bool) error {
	var probs []string
	for _, n := range []int{1, 2, 4, 6, 7, 8, 9} {
		if !seen[n] {
			probs = append(probs, msg(n))
		}
	}
	if len(probs) > 0 {
		return &LayoutError{Path: path, Row: row, Message: strings.Join(probs, "; ")}
	}
	return nil
}

func (f *File) periodRows(path string, lines []int, opts Options) error {
	f.layout = LayoutPeriodRows
	lerr := func(row, col int, format string, args ...any) error {
		return &LayoutError{Path: path, Row: row, Col: col, Message: fmt.Sprintf(format, args...)}
	}
	headLine := lines[0]
	header := f.rows[headLine]
	type column struct {
		col  int
		name string
	}
	cols := map[int]column{}
	endCol := 0
	for c, h := range header {
		what, name := classify(h)
		switch {
		case h == "":
			continue
		case what == unknown:
			return lerr(headLine, c+1, "unknown column heading %s; headings are %s (mcb30/hmrc's names such as vat_sales also work)", strconv.Quote(h), accepted)
		}
		if prev, dup := cols[what]; dup {
			return lerr(headLine, c+1, "column %s repeats column %s (%s); keep one", ColumnName(c+1), ColumnName(prev.col), strconv.Quote(header[prev.col-1]))
		}
		cols[what] = column{c + 1, name}
		if what == metaPeriodEnd {
			endCol = c + 1
		}
	}
	seen := map[int]bool{}
	for what := range cols {
		seen[what] = true
	}
	if err := f.missing(path, headLine, func(n int) string {
		return fmt.Sprintf("no column for box %d (%s); add one headed %s (0 when there is nothing to declare)", n, vatreturn.Boxes[n-1].Field, vatreturn.Boxes[n-1].Field)
	}, seen); err != nil {
		return err
	}
	// Every data row must parse as a period so that choosing one is never a guess.
	type period struct {
		line int
		end  time.Time
	}
	var periods []period
	for _, line := range lines[1:] {
		rec := f.rows[line]
		for c := len(header); c < len(rec); c++ {
			if rec[c] != "" {
				return lerr(line, c+1, "field %s has no column heading; add a heading or remove it (put amounts with thousands separators in quotes: \"1,234.56\")", strconv.Quote(rec[c]))
			}
		}
		for c := range min(len(header), len(rec)) {
			if header[c] == "" && rec[c] != "" {
				return lerr(line, c+1, "field %s has no column heading; add a heading or remove it", strconv.Quote(rec[c]))
			}
		}
		raw := ""
		if endCol <= len(rec) {
			raw = rec[endCol-1]
		}
		end, ok := ParseDate(raw)
		if !ok {
			return lerr(line, endCol, "the period end %s is not a date; write it as 2026-03-31", strconv.Quote(raw))
		}
		for _, p := range periods {
			if p.end.Equal(end) {
				return lerr(line, endCol, "a second row for the period ending %s (the first is row %d); keep one", end.Format(time.DateOnly), p.line)
			}
		}
		periods = append(periods, period{line, end})
	}
	ends := make([]string, len(periods))
	for i, p := range periods {
		ends[i] = p.end.Format(time.DateOnly)
	}
	switch {
	case len(periods) == 0:
		return lerr(headLine, 0, "the file has a header row but no period below it")
	case !opts.PeriodEnd.IsZero():
		want := opts.PeriodEnd.Format(time.DateOnly)
		for _, p := range periods {
			if p.end.Format(time.DateOnly) == want {
				f.row = p.line
			}
		}
		if f.row == 0 {
			return lerr(0, 0, "no row for the period ending %s; the file has periods ending %s", want, strings.Join(ends, ", "))
		}
	case len(periods) > 1:
		return lerr(0, 0, "the file has %d periods (ending %s); choose one by its period end", len(periods), strings.Join(ends, ", "))
	default:
		f.row = periods[0].line
	}
	for _, c := range cols {
		f.names = append(f.names, DefinedName{Name: c.name, RefersTo: f.ref(c.col, f.row)})
	}
	return nil
}

// dateLayouts are the ways a period end is written in UK exports.
var dateLayouts = []string{time.DateOnly, "02/01/2006", "2/1/2006", "2 January 2006", "2 Jan 2006", "02-01-2006", "2006/01/02"}

// ParseDate reads a period end as written in the file.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ref is a cell of this file in the form pkg/workbook parses: 'name.csv'!B3.
func (f *File) ref(col, row int) string {
	return "'" + strings.ReplaceAll(f.sheet, "'", "''") + "'!" + CellName(col, row)
}

// ColumnName is the spreadsheet letter of a 1-based column: 1 → A, 27 → AA.
func ColumnName(col int) string {
	s := ""
	for col > 0 {
		col--
		s = string(rune('A'+col%26)) + s
		col /= 26
	}
	return s
}

// CellName is the A1 reference of a 1-based column and row.
func CellName(col, row int) string { return ColumnName(col) + strconv.Itoa(row) }

// Layout reports which layout the file uses.
func (f *File) Layout() Layout { return f.layout }

// Row is the line the return was read from in the period layout, 0 in the box layout.
func (f *File) Row() int { return f.row }

// DefinedNames returns one name per box and optional field found, pointing at its value cell.
func (f *File) DefinedNames() []DefinedName { return append([]DefinedName(nil), f.names...) }

// SheetNames returns the file's one "sheet": its base name.
func (f *File) SheetNames() []string { return []string{f.sheet} }

// Cell returns a field by A1 reference; fields beyond the end of a line are empty.
func (f *File) Cell(sheet, ref string) (CellValue, error) {
	if sheet != f.sheet {
		return CellValue{}, fmt.Errorf("no sheet %q in a CSV file; its only sheet is %q", sheet, f.sheet)
	}
	col, row, ok := splitCell(ref)
	if !ok {
		return CellValue{}, fmt.Errorf("%q is not a cell reference", ref)
	}
	rec := f.rows[row]
	if col > len(rec) || rec[col-1] == "" {
		return CellValue{Type: TypeEmpty}, nil
	}
	return CellValue{Type: TypeString, Cached: rec[col-1], HasCached: true}, nil
}

// Close is a no-op: the file was read whole by Open.
func (f *File) Close() error { return nil }

func splitCell(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && i < 4 && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		col = col*26 + int(s[i]|0x20-'a'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(s) {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || n < 1 {
		return 0, 0, false
	}
	return col, n, true
}
