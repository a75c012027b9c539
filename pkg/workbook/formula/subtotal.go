package formula

import (
	"context"
	"fmt"
	"strings"
)

// HiddenRowSource is implemented by a Source that knows which rows are hidden. known is false
// when it cannot tell (the sheet has not been read in full), and the caller refuses.
type HiddenRowSource interface {
	HiddenRows(sheet string, r1, r2 int) (anyHidden, known bool)
}

// subtotal implements SUBTOTAL and AGGREGATE for the functions VAT workbooks use (AVERAGE,
// COUNT, COUNTA, MAX, MIN, SUM). Both skip cells that are themselves SUBTOTAL or AGGREGATE
// formulas, so that a grand total over a column of subtotals counts each row once:
// https://support.microsoft.com/en-us/office/subtotal-function-7b027003-f060-4ade-9040-e478765b9939
// https://support.microsoft.com/en-us/office/aggregate-function-43b9278e-6aa7-4f17-92b6-e19993fa26df
// Rows hidden by hand or by a filter change the result, and which rows are hidden is known
// only from the sheet's row records, so a range with hidden rows is refused rather than guessed.
func (e *Evaluator) subtotal(ctx context.Context, sheet string, c *call, args []operand) (Value, error) {
	fv, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	fnum, bad := toNumber(fv)
	if bad.Kind == KindError {
		return bad, nil
	}
	fi := floor(fnum)
	if !fi.IsInt64() {
		return ErrorValue(ErrValue), nil
	}
	n := fi.Int64()
	refs := args[1:]
	skipNested, skipErrors, hiddenMatters := true, false, true
	if c.name == "AGGREGATE" {
		if len(args) < 3 {
			return Value{}, unsupported("AGGREGATE with fewer than 3 arguments")
		}
		ov, err := e.scalar(ctx, sheet, args[1])
		if err != nil {
			return Value{}, err
		}
		opt, bad := toNumber(ov)
		if bad.Kind == KindError {
			return bad, nil
		}
		oi := floor(opt)
		if !oi.IsInt64() || oi.Int64() < 0 || oi.Int64() > 7 {
			return ErrorValue(ErrValue), nil
		}
		o := oi.Int64()
		if o < 0 || o > 7 {
			return ErrorValue(ErrValue), nil
		}
		skipNested = o <= 3
		skipErrors = o == 2 || o == 3 || o == 6 || o == 7
		hiddenMatters = o == 1 || o == 3 || o == 5 || o == 7
		refs = args[2:]
	} else if n > 100 {
		n -= 100
	}
	var fn string
	switch n {
	case 1:
		fn = "AVERAGE"
	case 2:
		fn = "COUNT"
	case 3:
		fn = "COUNTA"
		if c.name == "AGGREGATE" {
			return Value{}, unsupported("AGGREGATE function 3")
		}
	case 4:
		fn = "MAX"
	case 5:
		fn = "MIN"
	case 9:
		fn = "SUM"
	default:
		return Value{}, unsupported(fmt.Sprintf("%s function %d", c.name, fi.Int64()))
	}
	s := newStats()
	for _, a := range refs {
		if !a.isRef {
			return Value{}, unsupported(c.name + " over values that are not references")
		}
		es, err := e.collect(ctx, a.area)
		if err != nil {
			return Value{}, err
		}
		if hiddenMatters {
			hs, ok := e.src.(HiddenRowSource)
			if !ok {
				return Value{}, unsupported(c.name + " where hidden rows are unknown")
			}
			anyHidden, known := hs.HiddenRows(a.area.Sheet, a.area.R1, a.area.R2)
			if !known {
				return Value{}, unsupported(c.name + " where hidden rows are unknown")
			}
			if anyHidden {
				return Value{}, unsupported(c.name + " over a range with hidden or filtered rows")
			}
		}
		var nested map[int64]bool
		if skipNested {
			nested = map[int64]bool{}
			width := int64(a.area.C2 - a.area.C1 + 1)
			err := e.src.Scan(ctx, a.area, func(col, row int, cell Cell) error {
				u := strings.ToUpper(cell.Formula)
				if strings.Contains(u, "SUBTOTAL(") || strings.Contains(u, "AGGREGATE(") {
					nested[int64(row-a.area.R1)*width+int64(col-a.area.C1)] = true
				}
				return nil
			})
			if err != nil {
				return Value{}, err
			}
		}
		for i := range es {
			en := &es[i]
			if nested[en.off] {
				continue
			}
			v := en.value()
			switch v.Kind {
			case KindError:
				if skipErrors {
					continue
				}
				return v, nil
			case KindNumber:
				s.add(v.Num)
			default:
				if fn == "COUNTA" {
					s.n++
				}
			}
		}
	}
	return s.result(fn), nil
}
