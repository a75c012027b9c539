package xlsxlite

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// Calc evaluates the formula in sheet!ref with pkg/workbook/formula and returns the result as
// text: an exact decimal for numbers, "TRUE"/"FALSE", an Excel error code such as "#DIV/0!", or
// a string. A cell without a formula yields its stored value. Formulas outside the supported
// subset fail with an error matching formula.ErrUnsupported (it has an Unsupported method).
//
// Results are remembered for the File's life, so computing nine boxes that filter the same
// ledger columns streams the ledger once.
func (f *File) Calc(ctx context.Context, sheet, ref string) (string, error) {
	v, err := f.CalcValue(ctx, sheet, ref)
	if err != nil {
		return "", err
	}
	return v.Text(), nil
}

// CalcValue is Calc with the result's type kept.
func (f *File) CalcValue(ctx context.Context, sheet, ref string) (formula.Value, error) {
	col, row, ok := formula.ParseCell(ref)
	if !ok {
		return formula.Value{}, fmt.Errorf("%w: %q", ErrBadRef, ref)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	idx, err := f.sheetIndex(sheet)
	if err != nil {
		return formula.Value{}, err
	}
	if f.eval == nil {
		f.eval = formula.NewEvaluator(source{f})
		f.eval.Date1904 = f.date1904
	}
	if err := f.prefetch(ctx, idx, col, row); err != nil {
		return formula.Value{}, err
	}
	v, err := f.eval.EvalCell(ctx, f.sheets[idx].name, col, row)
	if err != nil {
		return formula.Value{}, fmt.Errorf("%s!%s: %w", formula.QuoteSheet(f.sheets[idx].name), ref, err)
	}
	return v, nil
}

// source adapts File to formula.Source. Its methods run with f.mu held by Calc.
type source struct{ f *File }

func (s source) Cell(ctx context.Context, sheet string, col, row int) (formula.Cell, error) {
	idx, err := s.f.sheetIndex(sheet)
	if err != nil {
		return formula.Cell{}, err
	}
	sd, err := s.f.sheet(ctx, idx)
	if err != nil {
		return formula.Cell{}, err
	}
	// On a large sheet, formulas usually come in columns (VAT = ROUND(net*0.2,2) on every ledger
	// row): a streaming lookup per reference would be quadratic, so the column is loaded once.
	if !sd.full && sd.cols[col] == nil {
		if err := s.f.loadColumns(ctx, idx, sd, map[int]bool{col: true}); err != nil {
			return formula.Cell{}, err
		}
	}
	st, err := s.f.lookup(ctx, idx, col, row)
	return sd.cell(st, s.f.date1904), err
}

func (s source) Scan(ctx context.Context, area formula.Ref, fn func(col, row int, c formula.Cell) error) error {
	idx, err := s.f.sheetIndex(area.Sheet)
	if err != nil {
		return err
	}
	sd, err := s.f.sheet(ctx, idx)
	if err != nil {
		return err
	}
	if !sd.full {
		missing := map[int]bool{}
		for c := area.C1; c <= area.C2; c++ {
			if sd.cols[c] == nil {
				missing[c] = true
			}
		}
		if len(missing) > 0 {
			if err := s.f.loadColumns(ctx, idx, sd, missing); err != nil {
				return err
			}
		}
	}
	cols := make([]int, 0, len(sd.cols))
	for c := range sd.cols {
		if c >= area.C1 && c <= area.C2 {
			cols = append(cols, c)
		}
	}
	sort.Ints(cols)
	for _, c := range cols {
		col := sd.cols[c]
		i := sort.Search(len(col.rows), func(i int) bool { return int(col.rows[i]) >= area.R1 })
		for ; i < len(col.rows) && int(col.rows[i]) <= area.R2; i++ {
			if err := fn(c, int(col.rows[i]), sd.cell(col.cells[i], s.f.date1904)); err != nil {
				return err
			}
		}
	}
	return nil
}

// SizeHint counts the loaded cells in area so the evaluator can size its buffer once.
func (s source) SizeHint(area formula.Ref) int {
	idx, err := s.f.sheetIndex(area.Sheet)
	if err != nil {
		return 0
	}
	sd := s.f.data[idx]
	if sd == nil {
		return 0
	}
	n := 0
	for c, col := range sd.cols {
		if c < area.C1 || c > area.C2 {
			continue
		}
		lo := sort.Search(len(col.rows), func(i int) bool { return int(col.rows[i]) >= area.R1 })
		hi := sort.Search(len(col.rows), func(i int) bool { return int(col.rows[i]) > area.R2 })
		n += hi - lo
	}
	return n
}

func (s source) Name(name, sheet string) (string, bool) {
	var global string
	found := false
	// Every cell reference in a formula that could also be a name (C2, Box1) is looked up here,
	// once per evaluated cell, so the names are indexed rather than scanned.
	for _, i := range s.f.nameIndex[strings.ToLower(name)] {
		n := s.f.names[i]
		if n.Scope == "" {
			global, found = n.RefersTo, true
		} else if strings.EqualFold(n.Scope, sheet) {
			return n.RefersTo, true
		}
	}
	return global, found
}

// maxPlanCells bounds the dependency walk that plans which ledger columns to stream.
const maxPlanCells = 10_000

// prefetch walks the formulas the target cell depends on (through cells on small sheets and
// defined names), plus the cells every defined name points at, and collects the columns of large
// sheets that their ranges read; it then streams each large sheet once for all of them. Without
// this, each box's SUMIFS would stream the ledger again for the one column it adds.
func (f *File) prefetch(ctx context.Context, idx, col, row int) error {
	type cellKey struct{ idx, col, row int }
	src := source{f}
	need := map[int]map[int]bool{}
	large := map[int]bool{}
	isLarge := func(i int) bool {
		if v, ok := large[i]; ok {
			return v
		}
		size, err := f.sheetPartSize(i)
		large[i] = err == nil && size > f.smallSheet
		return large[i]
	}
	seen := map[cellKey]bool{}
	seenNames := map[string]bool{}
	queue := []cellKey{{idx, col, row}}
	var addExpr func(x *formula.Expr, sheetIdx int)
	addExpr = func(x *formula.Expr, sheetIdx int) {
		for _, r := range x.Refs() {
			ri := sheetIdx
			if r.Sheet != "" {
				i, err := f.sheetIndex(r.Sheet)
				if err != nil {
					continue
				}
				ri = i
			}
			if isLarge(ri) {
				if r.IsCell() || r.C2-r.C1 > 256 {
					continue // single cells are found by a short streaming lookup when evaluated
				}
				if need[ri] == nil {
					need[ri] = map[int]bool{}
				}
				for c := r.C1; c <= r.C2; c++ {
					need[ri][c] = true
				}
				continue
			}
			if r.IsCell() {
				queue = append(queue, cellKey{ri, r.C1, r.R1})
				continue
			}
			// A small sheet is loaded whole, so this scan reads no more of the file; a failure
			// here resurfaces, with its context, when the formula is evaluated.
			_ = src.Scan(ctx, formula.Ref{Sheet: f.sheets[ri].name, C1: r.C1, R1: r.R1, C2: r.C2, R2: r.R2}, func(c, rr int, cell formula.Cell) error {
				if cell.Formula != "" && len(queue) < maxPlanCells {
					queue = append(queue, cellKey{ri, c, rr})
				}
				return nil
			})
		}
		for _, n := range x.Names() {
			scope := f.sheets[sheetIdx].name
			if n.Sheet != "" {
				scope = n.Sheet
			}
			key := strings.ToLower(scope + "!" + n.Name)
			if seenNames[key] {
				continue
			}
			seenNames[key] = true
			rt, ok := src.Name(n.Name, scope)
			if !ok {
				continue
			}
			if nx, err := formula.Parse(rt); err == nil {
				addExpr(nx, sheetIdx)
			}
		}
	}
	// The cells every defined name points at are roots too: the nine boxes are asked for one by
	// one, and planning them together is what makes one pass enough. Only single cells count:
	// a named range over the ledger is loaded if and when a formula uses it.
	for _, n := range f.names {
		if strings.HasPrefix(strings.ToLower(n.Name), "_xlnm.") {
			continue
		}
		nx, err := formula.Parse(n.RefersTo)
		if err != nil {
			continue
		}
		for _, r := range nx.Refs() {
			if !r.IsCell() || r.Sheet == "" {
				continue
			}
			if i, err := f.sheetIndex(r.Sheet); err == nil {
				queue = append(queue, cellKey{i, r.C1, r.R1})
			}
		}
	}
	for visited := 0; len(queue) > 0 && visited < maxPlanCells; visited++ {
		k := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[k] {
			continue
		}
		seen[k] = true
		if isLarge(k.idx) && k != (cellKey{idx, col, row}) {
			continue
		}
		st, err := f.lookup(ctx, k.idx, k.col, k.row)
		if err != nil || st.formula == 0 {
			continue
		}
		if x, err := formula.Parse(f.data[k.idx].formula(st)); err == nil {
			addExpr(x, k.idx)
		}
	}
	for i, cols := range need {
		sd, err := f.sheet(ctx, i)
		if err != nil {
			return err
		}
		missing := map[int]bool{}
		for c := range cols {
			if sd.cols[c] == nil {
				missing[c] = true
			}
		}
		if len(missing) > 0 {
			if err := f.loadColumns(ctx, i, sd, missing); err != nil {
				return err
			}
		}
	}
	return nil
}

// HiddenRows implements formula.HiddenRowSource. Rows are known once the sheet has been read
// in full, which scanning any of its ranges does.
func (s source) HiddenRows(sheet string, r1, r2 int) (bool, bool) {
	idx, err := s.f.sheetIndex(sheet)
	if err != nil {
		return false, false
	}
	h, ok := s.f.hiddenRows[idx]
	if !ok {
		return false, false
	}
	for r := range h {
		if r >= r1 && r <= r2 {
			return true, true
		}
	}
	return false, true
}

// VolatileUses lists the volatile functions (OFFSET, INDIRECT) that Calc has computed so far,
// with the formula cells that use them.
func (f *File) VolatileUses() []formula.VolatileUse {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.eval == nil {
		return nil
	}
	return append([]formula.VolatileUse(nil), f.eval.VolatileUses()...)
}
