package xlsxlite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// loadTables reads every Excel table (ListObject) from the sheets' table parts, once: the
// structured references in formulas (Table1[Net], [@Net]) resolve against them. Called with
// f.mu held.
func (f *File) loadTables() error {
	if f.tables != nil {
		return nil
	}
	f.tables = map[string]formula.Table{}
	for _, sh := range f.sheets {
		if sh.part == "" {
			continue
		}
		dir, file := path.Split(sh.part)
		relsPart := path.Join(dir, "_rels", file+".rels")
		if !f.has(relsPart) {
			continue
		}
		rels, err := f.parseRels(relsPart, strings.TrimSuffix(dir, "/"))
		if err != nil {
			return err
		}
		for _, r := range rels {
			if !strings.HasSuffix(r.typ, "/table") || !f.has(r.target) {
				continue
			}
			t, err := f.readTable(r.target, sh.name)
			if err != nil {
				return err
			}
			f.tables[strings.ToLower(t.Name)] = t
		}
	}
	return nil
}

func (f *File) readTable(part, sheet string) (formula.Table, error) {
	b, err := f.readMeta(part)
	if err != nil {
		return formula.Table{}, err
	}
	s := newXMLScannerSize(bytes.NewReader(b), 1<<20, int64(len(b)))
	t := formula.Table{Sheet: sheet, HeaderRows: 1}
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return formula.Table{}, fmt.Errorf("%w: %s: %w", ErrCorrupt, part, err)
		}
		if s.kind != tokStart {
			continue
		}
		switch string(s.name) {
		case "table":
			t.Name = s.attrString("displayName")
			if t.Name == "" {
				t.Name = s.attrString("name")
			}
			r, ok := formula.ParseArea(s.attrString("ref"))
			if !ok {
				return formula.Table{}, fmt.Errorf("%w: %s: table range %q", ErrCorrupt, part, s.attrString("ref"))
			}
			t.Area = r
			if v := s.attrString("headerRowCount"); v != "" {
				t.HeaderRows, _ = strconv.Atoi(v)
			}
			if v := s.attrString("totalsRowCount"); v != "" {
				t.TotalsRows, _ = strconv.Atoi(v)
			}
		case "tableColumn":
			t.Columns = append(t.Columns, s.attrString("name"))
		}
	}
	if t.Name == "" || len(t.Columns) != t.Area.C2-t.Area.C1+1 {
		return formula.Table{}, fmt.Errorf("%w: %s: table without a name or with %d columns for range %s", ErrCorrupt, part, len(t.Columns), formula.CellName(t.Area.C1, t.Area.R1))
	}
	t.Area.Sheet = sheet
	return t, nil
}

// Table implements formula.TableSource.
func (s source) Table(name string) (formula.Table, bool) {
	if err := s.f.loadTables(); err != nil {
		return formula.Table{}, false
	}
	t, ok := s.f.tables[strings.ToLower(name)]
	return t, ok
}

// TableAt implements formula.TableSource: the table holding a cell, for references such as
// [@Net] that name no table.
func (s source) TableAt(sheet string, col, row int) (formula.Table, bool) {
	if err := s.f.loadTables(); err != nil {
		return formula.Table{}, false
	}
	for _, t := range s.f.tables {
		if strings.EqualFold(t.Sheet, sheet) && col >= t.Area.C1 && col <= t.Area.C2 && row >= t.Area.R1 && row <= t.Area.R2 {
			return t, true
		}
	}
	return formula.Table{}, false
}
