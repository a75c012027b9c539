package formula

import (
	"context"
	"fmt"
	"math/big"
)

// countIfs counts the positions of equally shaped areas where every criterion holds. Positions
// with no cell at all count when every criterion accepts an empty cell (COUNTIF(A:A,"") is about
// a million), which is what Excel does.
func (e *Evaluator) countIfs(ctx context.Context, areas []Ref, crits []Value) (Value, error) {
	h, w := areas[0].R2-areas[0].R1, areas[0].C2-areas[0].C1
	for _, a := range areas[1:] {
		if a.R2-a.R1 != h || a.C2-a.C1 != w {
			return ErrorValue(ErrValue), nil
		}
	}
	conds := make([]criterion, len(crits))
	emptyOK := true
	for i, c := range crits {
		if c.Kind == KindError {
			return c, nil
		}
		conds[i] = parseCriterion(c, e.dateShift())
		emptyOK = emptyOK && conds[i].match(Value{})
	}
	cols := make([][]entry, len(areas))
	for i, a := range areas {
		var err error
		if cols[i], err = e.collect(ctx, a); err != nil {
			return Value{}, err
		}
	}
	// Walk the union of occupied positions in offset order.
	idx := make([]int, len(areas))
	var count, occupied int64
	var empty entry
	for {
		next := int64(-1)
		for i, es := range cols {
			if idx[i] < len(es) && (next < 0 || es[idx[i]].off < next) {
				next = es[idx[i]].off
			}
		}
		if next < 0 {
			break
		}
		occupied++
		ok := true
		for i, es := range cols {
			en := &empty
			if idx[i] < len(es) && es[idx[i]].off == next {
				en = &es[idx[i]]
				idx[i]++
			}
			if ok && !conds[i].matchEntry(en) {
				ok = false
			}
		}
		if ok {
			count++
		}
	}
	if emptyOK {
		count += int64(h+1)*int64(w+1) - occupied
	}
	return Number(big.NewRat(count, 1)), nil
}

// counts implements COUNT (numbers), COUNTA (anything not empty) and AVERAGE (mean of numbers).
// Typed arguments count as Excel counts them: numbers and numeric text for COUNT and AVERAGE,
// any value for COUNTA; inside ranges only numbers (or non-empty cells) count.
func (e *Evaluator) counts(ctx context.Context, fn string, args []operand) (Value, error) {
	var n int64
	acc := newSum()
	for _, a := range args {
		if !a.isRef {
			v := a.v
			switch {
			case fn == "COUNTA":
				if v.Kind != KindEmpty {
					n++
				}
			case v.Kind == KindEmpty:
			default:
				x, bad := toNumber(v)
				if bad.Kind == KindError {
					if fn == "AVERAGE" {
						return bad, nil
					}
					continue
				}
				n++
				acc.add(x)
			}
			continue
		}
		es, err := e.collect(ctx, a.area)
		if err != nil {
			return Value{}, err
		}
		for i := range es {
			en := &es[i]
			switch {
			case fn == "COUNTA":
				n++
			case en.kind == KindNumber:
				n++
				if en.hasD {
					acc.addDec(en.d)
				} else {
					acc.add(en.value().Num)
				}
			case en.kind == KindError && fn == "AVERAGE":
				return en.value(), nil
			}
		}
	}
	switch fn {
	case "AVERAGE":
		if n == 0 {
			return ErrorValue(ErrDiv0), nil
		}
		return Number(new(big.Rat).Quo(acc.result(), big.NewRat(n, 1))), nil
	case "COUNT", "COUNTA":
		return Number(big.NewRat(n, 1)), nil
	}
	return Value{}, unsupported(fmt.Sprintf("function %s", fn))
}
