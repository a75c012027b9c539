package ods

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// The OpenDocument namespaces the reader looks at.
const (
	nsTable   = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsOffice  = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsText    = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsCalcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
)

// MimeType is what the mimetype entry of an OpenDocument spreadsheet holds.
const MimeType = "application/vnd.oasis.opendocument.spreadsheet"

// Grid bounds: LibreOffice allows 16,384 columns and 1,048,576 rows; references beyond them
// are not cells.
const (
	maxCol = 16384
	maxRow = 1048576
	// maxText bounds the text kept from one cell; amounts and dates are short.
	maxText = 32 << 10
)

// DefinedName is one named range or named expression. Field names mirror pkg/workbook's.
type DefinedName struct {
	Name     string
	RefersTo string // in Excel's notation without '=', e.g. `'VAT Return'!$C$7`
	Scope    string // "" for the whole document, otherwise the sheet the name belongs to
}

// CellType values mirror pkg/workbook's CellType strings.
const (
	TypeEmpty  = "empty"
	TypeNumber = "number"
	TypeString = "string"
	TypeBool   = "bool"
	TypeError  = "error"
	TypeDate   = "date"
)

// CellValue is one cell as stored. Field names mirror pkg/workbook's.
type CellValue struct {
	Type      string
	Cached    string // the saved value: office:value for numbers, ISO date, TRUE/FALSE, text
	Formula   string // in Excel's notation without '=', or ""
	HasCached bool   // false for a formula cell with no saved value
}

// File is an open spreadsheet. Its methods are safe for concurrent use.
type File struct {
	mu     sync.Mutex
	zr     *zip.Reader
	closer io.Closer
	limits xlsxlite.Limits
	// content is content.xml's entry; every scan opens it afresh.
	content *zip.File
	sheets  []string
	names   []DefinedName
	// cells holds every cell fetched so far, by sheet and A1 reference.
	cells map[cellKey]CellValue
	// scans counts passes over content.xml; tests hold the reader to its promise of two.
	scans int
}

type cellKey struct {
	sheet    string
	row, col int
}

// Open opens an .ods file and reads its sheet names and names; cells are read when first asked
// for. Zero Limits fields take xlsxlite's defaults.
func Open(path string, limits xlsxlite.Limits) (*File, error) {
	limits = limits.WithDefaults()
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	f, err := newFile(&zr.Reader, limits)
	if err != nil {
		zr.Close()
		return nil, err
	}
	f.closer = zr
	return f, nil
}

// OpenReader is Open for a spreadsheet already in memory or another io.ReaderAt.
func OpenReader(r io.ReaderAt, size int64, limits xlsxlite.Limits) (*File, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return newFile(zr, limits.WithDefaults())
}

func newFile(zr *zip.Reader, limits xlsxlite.Limits) (*File, error) {
	f := &File{zr: zr, limits: limits, cells: map[cellKey]CellValue{}}
	if err := f.init(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *File) init() error {
	var total int64
	parts := map[string]*zip.File{}
	for _, zf := range f.zr.File {
		size := int64(zf.UncompressedSize64)
		if zf.UncompressedSize64 > 1<<62 {
			size = 1 << 62
		}
		if size > f.limits.MaxPartSize {
			return &xlsxlite.LimitError{Part: zf.Name, What: "uncompressed size", Size: size, Limit: f.limits.MaxPartSize}
		}
		if size > 1<<20 && (zf.CompressedSize64 == 0 || size/int64(zf.CompressedSize64) > f.limits.MaxRatio) {
			ratio := size
			if zf.CompressedSize64 > 0 {
				ratio = size / int64(zf.CompressedSize64)
			}
			return &xlsxlite.LimitError{Part: zf.Name, What: "compression ratio", Size: ratio, Limit: f.limits.MaxRatio}
		}
		total += size
		if total > f.limits.MaxTotalSize {
			return &xlsxlite.LimitError{What: "total uncompressed size", Size: total, Limit: f.limits.MaxTotalSize}
		}
		parts[zf.Name] = zf
	}
	mt, ok := parts["mimetype"]
	if !ok {
		return ErrNotODS
	}
	mime, err := readAll(mt, 256)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(mime)) != MimeType {
		return ErrNotODS
	}
	if m, ok := parts["META-INF/manifest.xml"]; ok {
		b, err := readAll(m, f.limits.MaxMetaSize)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "encryption-data") {
			return ErrEncrypted
		}
	}
	f.content = parts["content.xml"]
	if f.content == nil {
		return fmt.Errorf("%w: no content.xml", ErrCorrupt)
	}
	return f.scanNames()
}

// readAll reads a whole small part, failing beyond limit bytes whatever the directory declares.
func readAll(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := open(zf, limit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// open reads a part within limit bytes, as xlsxlite reads its parts.
func open(zf *zip.File, limit int64) (io.ReadCloser, error) { return xlsxlite.OpenBounded(zf, limit) }

// DefinedNames returns every named range and named expression, sheet-local ones with Scope set.
func (f *File) DefinedNames() []DefinedName { return append([]DefinedName(nil), f.names...) }

// SheetNames returns the sheet names in document order.
func (f *File) SheetNames() []string { return append([]string(nil), f.sheets...) }

// Close releases the file.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Cell returns one cell by sheet name (exact, as in SheetNames) and A1 reference without '$'.
// The first call reads every cell that a name refers to in one pass, so resolving all the boxes
// costs one scan of the sheets; a cell no name refers to costs a scan of its own.
func (f *File) Cell(sheet, ref string) (CellValue, error) {
	col, row, ok := splitCell(ref)
	if !ok {
		return CellValue{}, fmt.Errorf("%w: %q", ErrBadRef, ref)
	}
	known := false
	for _, s := range f.sheets {
		known = known || s == sheet
	}
	if !known {
		return CellValue{}, fmt.Errorf("%w: %q", ErrNoSheet, sheet)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	key := cellKey{sheet, row, col}
	if v, ok := f.cells[key]; ok {
		return v, nil
	}
	want := map[cellKey]bool{key: true}
	if f.scans == 1 {
		for _, k := range f.namedCells() {
			if _, have := f.cells[k]; !have {
				want[k] = true
			}
		}
	}
	if err := f.scanCells(want); err != nil {
		return CellValue{}, err
	}
	return f.cells[key], nil
}

// namedCells lists the single cells that names refer to, so one scan serves them all.
func (f *File) namedCells() []cellKey {
	var out []cellKey
	for _, d := range f.names {
		sheet, cell, ok := simpleRef(d.RefersTo)
		if !ok {
			continue
		}
		for _, s := range f.sheets {
			if strings.EqualFold(s, sheet) {
				if col, row, ok := splitCell(cell); ok {
					out = append(out, cellKey{s, row, col})
				}
			}
		}
	}
	return out
}

// simpleRef reads "'Sheet'!$C$7" or "Sheet!C7"; anything else is not a single cell.
func simpleRef(r string) (sheet, cell string, ok bool) {
	if strings.HasPrefix(r, "'") {
		j := skipQuoted(r, 0, '\'')
		if j >= len(r) || r[j] != '!' {
			return "", "", false
		}
		return strings.ReplaceAll(r[1:j-1], "''", "'"), strings.ReplaceAll(r[j+1:], "$", ""), true
	}
	sheet, cell, ok = strings.Cut(r, "!")
	return sheet, strings.ReplaceAll(cell, "$", ""), ok
}

// splitCell reads an A1 reference into 1-based column and row numbers.
func splitCell(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && i < 4 && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		col = col*26 + int(s[i]|0x20-'a'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(s) || s[i] == '0' || len(s)-i > 7 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || n < 1 {
		return 0, 0, false
	}
	return col, n, col <= maxCol && n <= maxRow
}

// maxToken bounds one tag or text run of content.xml; cells hold amounts and short labels.
const maxToken = 4 << 20

// Default namespace prefixes; scan replaces them with the ones the document declares.
var defaultPrefixes = map[string]string{nsTable: "table", nsOffice: "office", nsText: "text", nsCalcext: "calcext"}

// scan is one pass over content.xml.
type scan struct {
	sc *xlsxlite.Scanner
	// q maps a namespace to the "prefix:" it has in this document.
	q map[string]string
}

// open starts a pass over content.xml.
func (f *File) scan() (*scan, io.Closer, error) {
	rc, err := open(f.content, f.limits.MaxPartSize)
	if err != nil {
		return nil, nil, err
	}
	f.scans++
	s := &scan{sc: xlsxlite.NewScanner(rc, maxToken), q: map[string]string{}}
	for ns, p := range defaultPrefixes {
		s.q[ns] = p + ":"
	}
	return s, rc, nil
}

// next reads a token; at the document's first start tag it learns the prefixes it declares,
// so a producer that binds the table namespace to another prefix is read correctly.
func (s *scan) next(root *bool) error {
	err := s.sc.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return err
		}
		return tokenErr(err)
	}
	if !*root && s.sc.Kind() == xlsxlite.TokenStart {
		*root = true
		s.sc.EachAttr(func(name, value []byte) bool {
			if p, ok := strings.CutPrefix(string(name), "xmlns:"); ok {
				if _, known := defaultPrefixes[string(value)]; known {
					s.q[string(value)] = p + ":"
				}
			}
			return true
		})
	}
	return nil
}

func (s *scan) attr(ns, local string) (string, bool) { return s.sc.Attr(s.q[ns] + local) }

func (s *scan) skip() error {
	if err := s.sc.Skip(); err != nil {
		return tokenErr(err)
	}
	return nil
}

// tokenErr turns a reading failure into ErrCorrupt unless it is a limit being hit.
func tokenErr(err error) error {
	var le *xlsxlite.LimitError
	if errors.As(err, &le) {
		return le
	}
	if errors.Is(err, ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: content.xml: %w", ErrCorrupt, err)
}

// repeat reads a number-*-repeated attribute, clamped so that hostile counts cannot overflow.
func (s *scan) repeat(local string) int {
	v, ok := s.attr(nsTable, local)
	if !ok {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxRow+1)
}

// scanNames reads the sheet names and every named range and expression, skipping rows.
func (f *File) scanNames() error {
	s, c, err := f.scan()
	if err != nil {
		return err
	}
	defer c.Close()
	var sheet string // the table being read, for sheet-local names
	depth, tableDepth := 0, -1
	seen := map[string]bool{}
	root := false
	for {
		if err := s.next(&root); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		switch s.sc.Kind() {
		case xlsxlite.TokenStart:
			switch string(s.sc.Name()) {
			case "table":
				if tableDepth >= 0 {
					break // a table nested in a cell is not a sheet
				}
				name, _ := s.attr(nsTable, "name")
				if seen[name] {
					return fmt.Errorf("%w: two sheets named %q", ErrCorrupt, name)
				}
				seen[name] = true
				f.sheets = append(f.sheets, name)
				if !s.sc.SelfClosing() {
					sheet, tableDepth = name, depth+1
				}
			case "table-row", "table-rows", "table-row-group", "table-header-rows", "table-column", "table-columns", "table-column-group", "table-header-columns", "shapes":
				if err := s.skip(); err != nil {
					return err
				}
				continue
			case "named-range", "named-expression":
				name, _ := s.attr(nsTable, "name")
				var expr string
				if string(s.sc.Name()) == "named-range" {
					a, _ := s.attr(nsTable, "cell-range-address")
					expr = RangeAddress(a)
				} else {
					a, _ := s.attr(nsTable, "expression")
					expr = ExcelFormula(a)
				}
				scope := ""
				if tableDepth >= 0 {
					scope = sheet
				}
				f.names = append(f.names, DefinedName{Name: name, RefersTo: expr, Scope: scope})
			}
			if !s.sc.SelfClosing() {
				depth++
			}
		case xlsxlite.TokenEnd:
			if depth == tableDepth {
				tableDepth = -1
			}
			depth--
		}
	}
	if len(f.sheets) == 0 {
		return fmt.Errorf("%w: the spreadsheet has no sheets", ErrCorrupt)
	}
	return nil
}

// scanCells reads the wanted cells in one pass; a wanted cell that the file does not hold is
// recorded as empty, so it is not looked for again.
func (f *File) scanCells(want map[cellKey]bool) error {
	bySheet := map[string][]cellKey{}
	for k := range want {
		bySheet[k.sheet] = append(bySheet[k.sheet], k)
	}
	s, c, err := f.scan()
	if err != nil {
		return err
	}
	defer c.Close()
	var (
		targets  []cellKey
		row, col int // 1-based position of the next row and cell
		rowRep   int
		root     bool
	)
	found := map[cellKey]CellValue{}
	for {
		if err := s.next(&root); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		if s.sc.Kind() == xlsxlite.TokenEnd {
			if string(s.sc.Name()) == "table-row" {
				row += rowRep
			}
			continue
		}
		if s.sc.Kind() != xlsxlite.TokenStart {
			continue
		}
		switch string(s.sc.Name()) {
		case "table":
			name, _ := s.attr(nsTable, "name")
			targets, row, rowRep = bySheet[name], 1, 0
			if len(targets) == 0 {
				if err := s.skip(); err != nil {
					return err
				}
			}
		case "table-column", "table-columns", "table-column-group", "table-header-columns", "named-expressions", "shapes":
			if err := s.skip(); err != nil {
				return err
			}
		case "table-row":
			rowRep, col = s.repeat("number-rows-repeated"), 1
			if s.sc.SelfClosing() {
				row += rowRep
			} else if !anyRow(targets, row, rowRep) {
				if err := s.skip(); err != nil {
					return err
				}
				row += rowRep
			}
		case "table-cell", "covered-table-cell":
			colRep := s.repeat("number-columns-repeated")
			var hits []cellKey
			for _, k := range targets {
				if k.row >= row && k.row < row+rowRep && k.col >= col && k.col < col+colRep {
					hits = append(hits, k)
				}
			}
			col += colRep
			if len(hits) == 0 {
				if err := s.skip(); err != nil {
					return err
				}
				continue
			}
			v, err := s.readCell()
			if err != nil {
				return err
			}
			for _, k := range hits {
				found[k] = v
			}
		}
	}
	for k := range want {
		v, ok := found[k]
		if !ok {
			v = CellValue{Type: TypeEmpty}
		}
		f.cells[k] = v
	}
	return nil
}

func anyRow(targets []cellKey, row, rep int) bool {
	for _, k := range targets {
		if k.row >= row && k.row < row+rep {
			return true
		}
	}
	return false
}

// readCell reads the cell whose start tag is current, to its end.
func (s *scan) readCell() (CellValue, error) {
	var v CellValue
	if fm, ok := s.attr(nsTable, "formula"); ok {
		v.Formula = ExcelFormula(fm)
	}
	vt, _ := s.attr(nsOffice, "value-type")
	calc, _ := s.attr(nsCalcext, "value-type")
	num, hasNum := s.attr(nsOffice, "value")
	date, _ := s.attr(nsOffice, "date-value")
	boolean, _ := s.attr(nsOffice, "boolean-value")
	str, hasStr := s.attr(nsOffice, "string-value")
	text, err := s.cellText()
	if err != nil {
		return v, err
	}
	v.HasCached = vt != ""
	switch vt {
	case "":
		v.Type = TypeEmpty
	case "float", "percentage", "currency":
		if hasNum {
			v.Type, v.Cached = TypeNumber, strings.TrimSpace(num)
		} else {
			v.Type, v.Cached = TypeString, text
		}
	case "date":
		v.Type, v.Cached = TypeDate, strings.TrimSpace(date)
	case "boolean":
		v.Type, v.Cached = TypeBool, "FALSE"
		if b, err := strconv.ParseBool(strings.TrimSpace(boolean)); err == nil && b {
			v.Cached = "TRUE"
		}
	default: // string, time, and anything newer: the text as shown
		v.Type, v.Cached = TypeString, text
		if hasStr && vt == "string" {
			v.Cached = str
		}
		if calc == "error" {
			v.Type, v.Cached = TypeError, strings.TrimSpace(text)
		}
	}
	return v, nil
}

// cellText collects the cell's paragraphs as LibreOffice shows them: paragraphs on separate
// lines, text:s as spaces, text:tab as a tab. Annotations (comments) are not cell text.
func (s *scan) cellText() (string, error) {
	if s.sc.SelfClosing() {
		return "", nil
	}
	var b strings.Builder
	paras, depth := 0, 0
	for {
		if err := s.sc.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return "", tokenErr(err)
		}
		switch s.sc.Kind() {
		case xlsxlite.TokenStart:
			switch string(s.sc.Name()) {
			case "annotation":
				if err := s.skip(); err != nil {
					return "", err
				}
				continue
			case "p":
				if paras > 0 {
					b.WriteByte('\n')
				}
				paras++
			case "s":
				n := 1
				if c, ok := s.attr(nsText, "c"); ok {
					if k, err := strconv.Atoi(c); err == nil && k > 0 {
						n = min(k, maxText)
					}
				}
				b.WriteString(strings.Repeat(" ", n))
			case "tab":
				b.WriteByte('\t')
			case "line-break":
				b.WriteByte('\n')
			}
			if !s.sc.SelfClosing() {
				depth++
			}
		case xlsxlite.TokenText:
			if depth > 0 {
				b.WriteString(s.sc.Text())
			}
		case xlsxlite.TokenEnd:
			if depth == 0 {
				out := b.String()
				if len(out) > maxText {
					out = out[:maxText]
				}
				return out, nil
			}
			depth--
		}
		if b.Len() > 2*maxText {
			return "", fmt.Errorf("%w: a cell holds more than %d bytes of text", ErrCorrupt, maxText)
		}
	}
}
