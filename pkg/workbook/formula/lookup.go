package formula

import (
	"context"
	"strings"
)

// lookupCompare compares values as the lookup functions do: numbers with numbers, text with text
// (case-insensitively), booleans with booleans, and never across types.
func lookupCompare(a, b Value) (int, bool) {
	if a.Kind != b.Kind {
		return 0, false
	}
	switch a.Kind {
	case KindNumber:
		return a.Num.Cmp(b.Num), true
	case KindString:
		return strings.Compare(strings.ToLower(a.Str), strings.ToLower(b.Str)), true
	case KindBool:
		return compare(a, b), true
	}
	return 0, false
}

// find returns the 0-based position within a one-dimensional area of the value matching v:
// exact (matchType 0, text may use wildcards), or for sorted data the last value ≤ v
// (matchType 1) or the last value ≥ v in descending data (matchType -1). Excel searches sorted
// data by bisection, whose answer on unsorted data depends on its exact steps; rather than guess,
// unsorted data in those modes is reported as unsupported.
func (e *Evaluator) find(ctx context.Context, area Ref, v Value, matchType int) (int, Value, error) {
	if v.Kind == KindEmpty || v.Kind == KindError {
		if v.Kind == KindError {
			return 0, v, nil
		}
		return 0, ErrorValue(ErrNA), nil
	}
	es, err := e.collect(ctx, area)
	if err != nil {
		return 0, Value{}, err
	}
	if matchType == 0 {
		var crit criterion
		wild := v.Kind == KindString && strings.ContainsAny(v.Str, "*?~")
		if wild {
			crit = criterion{op: "=", kind: KindString, str: strings.ToLower(v.Str), wild: true}
		}
		for i := range es {
			ev := es[i].value()
			if wild {
				if ev.Kind == KindString && crit.match(ev) {
					return int(es[i].off), Value{}, nil
				}
				continue
			}
			if c, ok := lookupCompare(ev, v); ok && c == 0 {
				return int(es[i].off), Value{}, nil
			}
		}
		return 0, ErrorValue(ErrNA), nil
	}
	found := -1
	var prev *Value
	for i := range es {
		ev := es[i].value()
		if ev.Kind != v.Kind {
			continue
		}
		if prev != nil {
			if c, _ := lookupCompare(ev, *prev); c*matchType < 0 {
				return 0, Value{}, unsupported("approximate lookup over unsorted data")
			}
		}
		prev = &ev
		c, _ := lookupCompare(ev, v)
		if c*matchType <= 0 {
			found = int(es[i].off)
		}
	}
	if found < 0 {
		return 0, ErrorValue(ErrNA), nil
	}
	return found, Value{}, nil
}

// lookupInt reads a lookup function's position or mode argument as a whole number.
func (e *Evaluator) lookupInt(ctx context.Context, sheet string, o operand) (int64, Value, error) {
	v, err := e.scalar(ctx, sheet, o)
	if err != nil {
		return 0, Value{}, err
	}
	x, bad := toNumber(v)
	if bad.Kind == KindError {
		return 0, bad, nil
	}
	n := trunc(x)
	if !n.IsInt64() {
		return 0, ErrorValue(ErrValue), nil
	}
	return n.Int64(), Value{}, nil
}

func (e *Evaluator) fnMatch(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	v, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	area := args[1].area
	if !args[1].isRef {
		return ErrorValue(ErrNA), nil
	}
	if area.C1 != area.C2 && area.R1 != area.R2 {
		return ErrorValue(ErrNA), nil
	}
	mt := int64(1)
	if len(args) == 3 {
		var bad Value
		if mt, bad, err = e.lookupInt(ctx, sheet, args[2]); err != nil || bad.Kind == KindError {
			return bad, err
		}
	}
	switch {
	case mt > 0:
		mt = 1
	case mt < 0:
		mt = -1
	}
	pos, bad, err := e.find(ctx, area, v, int(mt))
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	return Number(ratFromInt(pos + 1)), nil
}

func (e *Evaluator) fnVLookup(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	v, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	if !args[1].isRef {
		return ErrorValue(ErrNA), nil
	}
	table := args[1].area
	col, bad, err := e.lookupInt(ctx, sheet, args[2])
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	if col < 1 {
		return ErrorValue(ErrValue), nil
	}
	if col > int64(table.C2-table.C1+1) {
		return ErrorValue(ErrRef), nil
	}
	approx := true
	if len(args) == 4 {
		// An omitted fourth argument, VLOOKUP(v,t,2,), reads as FALSE, as in Excel.
		fv, err := e.scalar(ctx, sheet, args[3])
		if err != nil {
			return Value{}, err
		}
		if approx, bad = toBool(fv); bad.Kind == KindError {
			return bad, nil
		}
	}
	first := Ref{Sheet: table.Sheet, C1: table.C1, C2: table.C1, R1: table.R1, R2: table.R2, Shape: ShapeArea}
	mt := 0
	if approx {
		mt = 1
	}
	pos, bad, err := e.find(ctx, first, v, mt)
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	return e.valueAt(ctx, table.Sheet, table.C1+int(col)-1, table.R1+pos)
}

// indexForm is INDEX's refusal for a count or first argument it does not take.
const indexForm = "INDEX of that form"

func (e *Evaluator) fnIndex(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	if !args[0].isRef {
		return Value{}, unsupported(indexForm)
	}
	area := args[0].area
	r, bad, err := e.lookupInt(ctx, sheet, args[1])
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	c := int64(1)
	if len(args) == 3 {
		if c, bad, err = e.lookupInt(ctx, sheet, args[2]); err != nil || bad.Kind == KindError {
			return bad, err
		}
	} else if area.R1 == area.R2 {
		// INDEX(row, n) counts along the row.
		r, c = 1, r
	}
	if r == 0 || c == 0 {
		return Value{}, unsupported("INDEX of a whole row or column")
	}
	if r < 0 || c < 0 || r > int64(area.R2-area.R1+1) || c > int64(area.C2-area.C1+1) {
		return ErrorValue(ErrRef), nil
	}
	return e.valueAt(ctx, area.Sheet, area.C1+int(c)-1, area.R1+int(r)-1)
}

// valueAt is one cell's value where a function returns a cell rather than computes one; an
// empty cell reads as 0, as Excel shows it.
func (e *Evaluator) valueAt(ctx context.Context, sheet string, col, row int) (Value, error) {
	v, err := e.EvalCell(ctx, sheet, col, row)
	if err != nil {
		return Value{}, err
	}
	if v.Kind == KindEmpty {
		return Number(ratFromInt(0)), nil
	}
	return v, nil
}
