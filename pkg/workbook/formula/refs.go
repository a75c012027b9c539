package formula

import (
	"context"
	"strings"
)

// VolatileUse is a volatile function that was computed, and the formula cell that used it.
type VolatileUse struct {
	Func        string
	Sheet, Cell string
}

// VolatileUses lists the volatile functions computed so far (OFFSET, INDIRECT), once per cell.
// They recompute on every change in Excel; vat computes them from the cells as saved, and a
// caller may want to say so.
func (e *Evaluator) VolatileUses() []VolatileUse { return e.volatiles }

func (e *Evaluator) noteVolatile(fn, sheet string) {
	u := VolatileUse{Func: fn, Sheet: sheet, Cell: CellName(max(e.curCol, 1), max(e.curRow, 1))}
	if e.curRow == 0 {
		u.Cell = ""
	}
	for _, v := range e.volatiles {
		if v == u {
			return
		}
	}
	if len(e.volatiles) < 100 {
		e.volatiles = append(e.volatiles, u)
	}
}

// offset and indirect compute the functions that return a reference rather than a value, as
// dynamic ranges over a growing ledger use them
// (https://support.microsoft.com/en-us/office/offset-function-c8de19ae-dd79-4b9b-a14e-b4d906d11b66,
// https://support.microsoft.com/en-us/office/indirect-function-474b3a3a-8a26-4be9-90d3-8c9e3a3a0e7c).
func (e *Evaluator) offset(ctx context.Context, sheet string, c *call) (operand, error) {
	base, err := e.eval(ctx, sheet, c.args[0])
	if err != nil {
		return operand{}, err
	}
	if !base.isRef {
		if base.v.Kind == KindError {
			return operand{v: base.v}, nil
		}
		return operand{v: ErrorValue(ErrValue)}, nil
	}
	r := base.area
	nums := []int64{0, 0, int64(r.R2 - r.R1 + 1), int64(r.C2 - r.C1 + 1)}
	for i, a := range c.args[1:] {
		if _, missing := a.(*missingArg); missing {
			continue
		}
		v, err := e.scalarNode(ctx, sheet, a)
		if err != nil {
			return operand{}, err
		}
		x, bad := toNumber(v)
		if bad.Kind == KindError {
			return operand{v: bad}, nil
		}
		t := trunc(x)
		if !t.IsInt64() {
			return operand{v: ErrorValue(ErrRef)}, nil
		}
		nums[i] = t.Int64()
	}
	if nums[2] <= 0 || nums[3] <= 0 {
		// Excel documents height and width as positive; what it does otherwise is not
		// something to guess.
		return operand{}, unsupported("OFFSET with a height or width below 1")
	}
	r1, c1 := int64(r.R1)+nums[0], int64(r.C1)+nums[1]
	r2, c2 := r1+nums[2]-1, c1+nums[3]-1
	if r1 < 1 || c1 < 1 || r2 > MaxRow || c2 > MaxCol {
		return operand{v: ErrorValue(ErrRef)}, nil
	}
	shape := ShapeArea
	if r1 == r2 && c1 == c2 {
		shape = ShapeCell
	}
	return operand{area: Ref{Sheet: r.Sheet, R1: int(r1), C1: int(c1), R2: int(r2), C2: int(c2), Shape: shape}, isRef: true}, nil
}

func (e *Evaluator) indirect(ctx context.Context, sheet string, c *call) (operand, error) {
	if len(c.args) == 2 {
		v, err := e.scalarNode(ctx, sheet, c.args[1])
		if err != nil {
			return operand{}, err
		}
		if b, bad := toBool(v); bad.Kind == KindError || !b {
			return operand{}, unsupported("INDIRECT with R1C1 references")
		}
	}
	v, err := e.scalarNode(ctx, sheet, c.args[0])
	if err != nil || v.Kind == KindError {
		return operand{v: v}, err
	}
	text := strings.TrimSpace(v.Text())
	x, err := Parse(text)
	if err != nil || text == "" {
		// Text that is no reference is Excel's #REF!, a value, not a failure to evaluate.
		return operand{v: ErrorValue(ErrRef)}, nil //nolint:nilerr // see above
	}
	switch x.root.(type) {
	case *refNode, *nameNode, *tableNode:
	default:
		return operand{v: ErrorValue(ErrRef)}, nil
	}
	o, err := e.eval(ctx, sheet, x.root)
	if err != nil {
		return operand{}, err
	}
	if !o.isRef {
		return operand{v: ErrorValue(ErrRef)}, nil
	}
	return o, nil
}
