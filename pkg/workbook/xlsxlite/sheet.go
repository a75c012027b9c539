package xlsxlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// CellType says what kind of value a cell holds. The values mirror pkg/workbook's CellType.
type CellType string

// Cell types. A formula cell has the type of its cached result; a formula cell with no cached
// value (written by code) is CellEmpty with HasCached false and its Formula set.
const (
	CellEmpty  CellType = "empty"
	CellNumber CellType = "number" // includes date-formatted serial numbers
	CellString CellType = "string" // shared, inline or formula strings
	CellBool   CellType = "bool"
	CellError  CellType = "error"
	CellDate   CellType = "date" // t="d": ISO 8601 text in Cached
)

// CellValue is one cell as stored. Field names mirror pkg/workbook's CellValue.
type CellValue struct {
	Type      CellType
	Cached    string // raw stored text: numbers as written, strings resolved, "TRUE"/"FALSE", "#DIV/0!"
	Formula   string // without '='; shared formulas expanded; "" when none
	HasCached bool
}

// smallSheet is the uncompressed size up to which a worksheet is loaded whole on first touch;
// above it, cells are found by streaming and only requested columns are kept.
const smallSheet int64 = 8 << 20

// maxCellToken bounds one tag or text run in a worksheet (Excel caps cell text at 32,767
// characters and formulas at 8,192).
const maxCellToken = 4 << 20

// stored is one cell kept in memory: 24 bytes, since a large sheet keeps one per ledger row and
// column read. The formula text lives once in the sheet's formula table.
type stored struct {
	text    string
	formula int32 // index+1 into sheetData.formulas, 0 for none
	kind    formula.Kind
	date    bool
	array   bool // array (CSE) formula
	table   bool // data-table formula
}

func (s stored) value(sd *sheetData) CellValue {
	v := CellValue{Formula: sd.formula(s), Cached: s.text, HasCached: s.kind != formula.KindEmpty}
	switch s.kind {
	case formula.KindNumber:
		v.Type = CellNumber
	case formula.KindString:
		v.Type = CellString
		if s.date {
			v.Type = CellDate
		}
	case formula.KindBool:
		v.Type = CellBool
	case formula.KindError:
		v.Type = CellError
	default:
		v.Type = CellEmpty
	}
	return v
}

type column struct {
	rows  []int32
	cells []stored
}

func (c *column) find(row int) (stored, bool) {
	i := sort.Search(len(c.rows), func(i int) bool { return int(c.rows[i]) >= row })
	if i < len(c.rows) && int(c.rows[i]) == row {
		return c.cells[i], true
	}
	return stored{}, false
}

// sheetData is what has been loaded of one worksheet.
type sheetData struct {
	full     bool              // every cell is loaded
	cols     map[int]*column   // loaded columns (all of them when full)
	points   map[[2]int]stored // single cells found by a streaming lookup
	formulas []string
}

func (sd *sheetData) formula(s stored) string {
	if s.formula == 0 {
		return ""
	}
	return sd.formulas[s.formula-1]
}

// cell returns the formula.Cell view of a stored cell. A t="d" date is a serial number to
// formulas, as it is to Excel.
func (sd *sheetData) cell(s stored, date1904 bool) formula.Cell {
	c := formula.Cell{Kind: s.kind, Text: s.text, Formula: sd.formula(s), Array: s.array, DataTable: s.table}
	if s.date {
		if serial, ok := formula.ParseDate(s.text); ok {
			if date1904 {
				serial -= 1462
			}
			c.Kind, c.Text = formula.KindNumber, strconv.FormatInt(serial, 10)
		}
	}
	return c
}

func (f *File) sheetPartSize(idx int) (int64, error) {
	sh := f.sheets[idx]
	if sh.part == "" {
		return 0, fmt.Errorf("%w: %q is not a worksheet", ErrNoSheet, sh.name)
	}
	zf := f.parts[lower(sh.part)]
	if zf == nil {
		return 0, fmt.Errorf("%w: sheet %q has no part %s", ErrCorrupt, sh.name, sh.part)
	}
	return int64(zf.UncompressedSize64), nil
}

// sheet returns the loaded data of a sheet, loading a small sheet whole on first use.
func (f *File) sheet(ctx context.Context, idx int) (*sheetData, error) {
	if sd := f.data[idx]; sd != nil {
		return sd, nil
	}
	size, err := f.sheetPartSize(idx)
	if err != nil {
		return nil, err
	}
	sd := &sheetData{cols: map[int]*column{}, points: map[[2]int]stored{}}
	if size <= f.smallSheet {
		if err := f.loadColumns(ctx, idx, sd, nil); err != nil {
			return nil, err
		}
		sd.full = true
	}
	f.data[idx] = sd
	return sd, nil
}

// lookup returns one cell, streaming a large sheet only as far as the cell's row.
func (f *File) lookup(ctx context.Context, idx, col, row int) (stored, error) {
	sd, err := f.sheet(ctx, idx)
	if err != nil {
		return stored{}, err
	}
	if c := sd.cols[col]; c != nil {
		st, _ := c.find(row)
		return st, nil
	}
	if sd.full {
		return stored{}, nil
	}
	if st, ok := sd.points[[2]int{col, row}]; ok {
		return st, nil
	}
	var found stored
	err = f.scanSheet(ctx, idx, row, func(c, r int) bool { return c == col && r == row }, nil, func(rec *cellRec) error {
		st, err := f.toStored(sd, rec)
		found = st
		return err
	})
	if err != nil {
		return stored{}, err
	}
	if len(sd.points) < 100_000 {
		sd.points[[2]int{col, row}] = found
	}
	return found, nil
}

// loadColumns streams a sheet once and keeps the cells of the given columns (all when cols is
// nil).
func (f *File) loadColumns(ctx context.Context, idx int, sd *sheetData, cols map[int]bool) error {
	want := func(c, _ int) bool { return cols[c] }
	if cols == nil {
		want = func(int, int) bool { return true }
	}
	for c := range cols {
		if sd.cols[c] == nil {
			sd.cols[c] = &column{}
		}
	}
	sorted := true
	pools := map[int]map[string]string{}
	pool := func(c int) map[string]string {
		p := pools[c]
		if p == nil {
			p = make(map[string]string)
			pools[c] = p
		}
		return p
	}
	err := f.scanSheet(ctx, idx, 0, want, pool, func(rec *cellRec) error {
		st, err := f.toStored(sd, rec)
		if err != nil {
			return err
		}
		f.cellsHeld++
		if f.cellsHeld > f.limits.MaxCells {
			return &LimitError{Part: f.sheets[idx].part, What: "cells loaded", Size: int64(f.cellsHeld), Limit: int64(f.limits.MaxCells)}
		}
		c := sd.cols[rec.col]
		if c == nil {
			c = &column{}
			sd.cols[rec.col] = c
		}
		if n := len(c.rows); n > 0 && int(c.rows[n-1]) >= rec.row {
			sorted = false
		}
		c.rows = append(c.rows, int32(rec.row))
		c.cells = append(c.cells, st)
		return nil
	})
	if err != nil {
		return err
	}
	if !sorted {
		for _, c := range sd.cols {
			sort.Sort(byRow{c})
		}
	}
	return nil
}

type byRow struct{ *column }

func (b byRow) Len() int           { return len(b.rows) }
func (b byRow) Less(i, j int) bool { return b.rows[i] < b.rows[j] }
func (b byRow) Swap(i, j int) {
	b.rows[i], b.rows[j] = b.rows[j], b.rows[i]
	b.cells[i], b.cells[j] = b.cells[j], b.cells[i]
}

// cellRec is one <c> element as read from a worksheet.
type cellRec struct {
	col, row int
	typ      string
	v        string
	hasV     bool
	inline   string
	isInline bool
	f        string
	hasF     bool
	sharedSI int // ≥ 0 for a cell that uses a shared formula written on another cell
	masters  map[int]master
	array    bool // an array (CSE) formula
	table    bool // a data-table formula
}

// master is the anchor cell of a shared formula; the other cells shift its references.
type master struct {
	formula  string
	col, row int
}

// toStored resolves shared strings and shared formulas of a cell record.
func (f *File) toStored(sd *sheetData, rec *cellRec) (stored, error) {
	st := stored{array: rec.array, table: rec.table}
	text := rec.f
	if rec.sharedSI >= 0 {
		m, ok := rec.masters[rec.sharedSI]
		if !ok {
			return stored{}, fmt.Errorf("%w: %s uses shared formula %d before its anchor", ErrCorrupt, formula.CellName(rec.col, rec.row), rec.sharedSI)
		}
		shifted, err := formula.Shift(m.formula, rec.row-m.row, rec.col-m.col)
		if err != nil {
			// The anchor's formula did not parse; keep it unshifted so that Calc reports the
			// syntax problem rather than the reader failing.
			shifted = m.formula
		}
		text = shifted
	}
	if text != "" {
		sd.formulas = append(sd.formulas, text)
		st.formula = int32(len(sd.formulas))
	}
	switch rec.typ {
	case "s":
		if !rec.hasV {
			break
		}
		i, err := strconv.Atoi(rec.v)
		if err != nil || f.sst == nil {
			return stored{}, fmt.Errorf("%w: %s: bad shared string reference %q", ErrCorrupt, formula.CellName(rec.col, rec.row), rec.v)
		}
		s, err := f.sst.get(i)
		if err != nil {
			return stored{}, err
		}
		st.kind, st.text = formula.KindString, s
	case "inlineStr":
		if rec.isInline {
			st.kind, st.text = formula.KindString, rec.inline
		} else if rec.hasV {
			st.kind, st.text = formula.KindString, rec.v
		}
	case "str":
		if rec.hasV {
			st.kind, st.text = formula.KindString, rec.v
		}
	case "b":
		if rec.hasV && rec.v != "" {
			st.kind, st.text = formula.KindBool, "FALSE"
			if rec.v == "1" || rec.v == "true" || rec.v == "TRUE" {
				st.text = "TRUE"
			}
		}
	case "e":
		if rec.hasV && rec.v != "" {
			st.kind, st.text = formula.KindError, rec.v
		}
	case "d":
		if rec.hasV && rec.v != "" {
			st.kind, st.text, st.date = formula.KindString, rec.v, true
		}
	default: // "n" or absent
		if rec.hasV && rec.v != "" {
			st.kind, st.text = formula.KindNumber, rec.v
		}
	}
	return st, nil
}

var errStop = errors.New("stop scan")

// scanSheet streams a worksheet's <sheetData>, calling fn for each cell that want accepts (by
// column and row). With stopAfter > 0 it stops at the first row beyond stopAfter.
func (f *File) scanSheet(ctx context.Context, idx, stopAfter int, want func(col, row int) bool, pool func(col int) map[string]string, fn func(*cellRec) error) error {
	sh := f.sheets[idx]
	if sh.part == "" {
		return fmt.Errorf("%w: %q is not a worksheet", ErrNoSheet, sh.name)
	}
	rc, err := f.open(sh.part, f.limits.MaxPartSize)
	if err != nil {
		return err
	}
	defer rc.Close()
	var hidden map[int]bool
	if stopAfter == 0 {
		f.fullScans[idx]++
		hidden = map[int]bool{}
		defer func() {
			if f.hiddenRows == nil {
				f.hiddenRows = map[int]map[int]bool{}
			}
			f.hiddenRows[idx] = hidden
		}()
	}
	size, _ := f.sheetPartSize(idx)
	s := newXMLScannerSize(rc, maxCellToken, size)
	masters := map[int]master{}
	var rec cellRec // reused: one allocation per scan, not per cell
	row, col, rows := 0, 0, 0
	inData := false
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: sheet %q: %w", ErrCorrupt, sh.name, err)
		}
		switch s.kind {
		case tokEnd:
			if string(s.name) == "sheetData" {
				return nil
			}
			continue
		case tokStart:
		default:
			continue
		}
		switch string(s.name) {
		case "sheetData":
			inData = !s.selfClose
		case "row":
			if !inData {
				continue
			}
			r, ok := atoi(s.attrRaw("r"))
			if !ok {
				r = row + 1
			}
			if r <= 0 || r > formula.MaxRow {
				return fmt.Errorf("%w: sheet %q: row number %d", ErrCorrupt, sh.name, r)
			}
			row, col = r, 0
			if stopAfter > 0 && row > stopAfter {
				return nil
			}
			if hidden != nil {
				if h := s.attrRaw("hidden"); string(h) == "1" || string(h) == "true" {
					hidden[row] = true
				}
			}
			rows++
			if rows&4095 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		case "c":
			if !inData {
				continue
			}
			rec = cellRec{sharedSI: -1, masters: masters}
			if ref := s.attrRaw("r"); len(ref) > 0 {
				c, r, ok := formula.ParseCell(string(ref))
				if !ok {
					return fmt.Errorf("%w: sheet %q: bad cell reference %q", ErrCorrupt, sh.name, ref)
				}
				col, row = c, r
			} else {
				col++
				if col > formula.MaxCol || row == 0 {
					return fmt.Errorf("%w: sheet %q: cell outside the sheet", ErrCorrupt, sh.name)
				}
			}
			rec.col, rec.row = col, row
			keep := want(col, row)
			s.pool = nil
			if keep {
				rec.typ = cellType(s.attrRaw("t"))
				if pool != nil {
					s.pool = pool(col)
				}
			}
			if err := readCell(s, &rec, keep); err != nil {
				return fmt.Errorf("%w: sheet %q cell %s: %w", ErrCorrupt, sh.name, formula.CellName(col, row), err)
			}
			if keep {
				if err := fn(&rec); err != nil {
					if errors.Is(err, errStop) {
						return nil
					}
					return err
				}
			}
		}
	}
}

// cellType returns the t attribute as a constant string, avoiding an allocation per cell.
func cellType(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "n":
		return "n"
	case "s":
		return "s"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(b)
}

func (s *xmlScanner) attrRaw(name string) []byte {
	v, _ := s.attr(name)
	return v
}

// readCell reads the children of the <c> just started. Text is decoded only for kept cells,
// but shared-formula anchors are always recorded, since a kept cell may depend on one.
func readCell(s *xmlScanner, rec *cellRec, keep bool) error {
	if s.selfClose {
		return nil
	}
	for {
		if err := s.next(); err != nil {
			return unexpected(err)
		}
		switch s.kind {
		case tokEnd:
			if string(s.name) == "c" {
				return nil
			}
		case tokStart:
			switch string(s.name) {
			case "f":
				ft := string(s.attrRaw("t"))
				shared := ft == "shared"
				rec.array = ft == "array"
				rec.table = ft == "dataTable"
				si := -1
				if shared {
					if n, ok := atoi(s.attrRaw("si")); ok {
						si = n
					}
				}
				text, err := s.elementText()
				if err != nil {
					return err
				}
				switch {
				case text != "":
					rec.f, rec.hasF = text, true
					if si >= 0 {
						rec.masters[si] = master{formula: text, col: rec.col, row: rec.row}
					}
				case si >= 0:
					rec.sharedSI, rec.hasF = si, true
				}
			case "v":
				if !keep {
					if err := s.skipElement(); err != nil {
						return err
					}
					continue
				}
				text, err := s.elementText()
				if err != nil {
					return err
				}
				rec.v, rec.hasV = text, true
			case "is":
				if !keep {
					if err := s.skipElement(); err != nil {
						return err
					}
					continue
				}
				text, err := s.collectText()
				if err != nil {
					return err
				}
				rec.inline, rec.isInline = text, true
			default:
				if err := s.skipElement(); err != nil {
					return err
				}
			}
		}
	}
}

// elementText returns the decoded text of a simple element just started (<v>, <f>).
func (s *xmlScanner) elementText() (string, error) {
	if s.selfClose {
		return "", nil
	}
	var out string
	for {
		if err := s.next(); err != nil {
			return "", unexpected(err)
		}
		switch s.kind {
		case tokText:
			out += s.textString()
		case tokEnd:
			return out, nil
		case tokStart:
			if err := s.skipElement(); err != nil {
				return "", err
			}
		}
	}
}

func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Cell returns one cell by sheet name and A1 reference. A cell that does not exist is CellEmpty;
// an unknown sheet is an error wrapping ErrNoSheet.
func (f *File) Cell(sheet, ref string) (CellValue, error) {
	col, row, ok := formula.ParseCell(ref)
	if !ok {
		return CellValue{}, fmt.Errorf("%w: %q", ErrBadRef, ref)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	idx, err := f.sheetIndex(sheet)
	if err != nil {
		return CellValue{}, err
	}
	st, err := f.lookup(context.Background(), idx, col, row)
	if err != nil {
		return CellValue{}, err
	}
	return st.value(f.data[idx]), nil
}
