package formula

import (
	"context"
	"fmt"
	"math/big"
)

// maxArray bounds one array in SUMPRODUCT: a whole-column reference is a million cells, and
// Excel users who write SUMPRODUCT over whole columns get the same slowness from Excel itself.
const maxArray = 2 << 20

// array is a rectangular block of values in row-major order; a 1×1 array broadcasts.
type array struct {
	rows, cols int
	vals       []Value
}

func scalarArray(v Value) array { return array{rows: 1, cols: 1, vals: []Value{v}} }

// arrayOf evaluates n element-wise, as Excel does inside SUMPRODUCT: ranges become arrays and
// operators apply to each element, broadcasting single values.
func (e *Evaluator) arrayOf(ctx context.Context, sheet string, n node) (array, error) {
	switch n := n.(type) {
	case *unaryOp:
		a, err := e.arrayOf(ctx, sheet, n.x)
		if err != nil {
			return array{}, err
		}
		out := array{rows: a.rows, cols: a.cols, vals: make([]Value, len(a.vals))}
		for i, v := range a.vals {
			if n.op == '+' {
				out.vals[i] = v
				continue
			}
			out.vals[i], err = binary("-", Number(ratZero), v)
			if err != nil {
				return array{}, err
			}
		}
		return out, nil
	case *percentOp:
		a, err := e.arrayOf(ctx, sheet, n.x)
		if err != nil {
			return array{}, err
		}
		for i, v := range a.vals {
			if a.vals[i], err = binary("/", v, Number(ratHundred)); err != nil {
				return array{}, err
			}
		}
		return a, nil
	case *binaryOp:
		l, err := e.arrayOf(ctx, sheet, n.l)
		if err != nil {
			return array{}, err
		}
		r, err := e.arrayOf(ctx, sheet, n.r)
		if err != nil {
			return array{}, err
		}
		return elementwise(n.op, l, r)
	case *call:
		f := functions[n.name]
		switch {
		case f == nil:
		case f.elementwise:
			return e.liftCall(ctx, sheet, n)
		case f.array != nil:
			// Array context reaches into aggregates too: ROUND(SUM(IF(…)),2) entered with
			// Ctrl+Shift+Enter sums an array.
			v, err := f.array(e, ctx, sheet, n)
			return scalarArray(v), err
		}
	}
	// Anything else (a literal, a name, a function such as SUM) is one value, broadcast; a
	// function given a range where it expects one value reports Unsupported from eval.
	o, err := e.eval(ctx, sheet, n)
	if err != nil {
		return array{}, err
	}
	if !o.isRef {
		return scalarArray(o.v), nil
	}
	return e.areaArray(ctx, o.area)
}

func (e *Evaluator) areaArray(ctx context.Context, area Ref) (array, error) {
	rows, cols := area.R2-area.R1+1, area.C2-area.C1+1
	if int64(rows)*int64(cols) > maxArray {
		return array{}, &LimitError{What: fmt.Sprintf("array of %d×%d cells", rows, cols)}
	}
	es, err := e.collect(ctx, area)
	if err != nil {
		return array{}, err
	}
	out := array{rows: rows, cols: cols, vals: make([]Value, rows*cols)}
	for i := range es {
		out.vals[es[i].off] = es[i].value()
	}
	return out, nil
}

func elementwise(op string, l, r array) (array, error) {
	rows, cols := l.rows, l.cols
	switch {
	case l.rows == 1 && l.cols == 1:
		rows, cols = r.rows, r.cols
	case r.rows == 1 && r.cols == 1:
	case l.rows != r.rows || l.cols != r.cols:
		return array{}, unsupported(fmt.Sprintf("arrays of different shapes (%d×%d and %d×%d)", l.rows, l.cols, r.rows, r.cols))
	}
	out := array{rows: rows, cols: cols, vals: make([]Value, rows*cols)}
	at := func(a array, i int) Value {
		if len(a.vals) == 1 {
			return a.vals[0]
		}
		return a.vals[i]
	}
	for i := range out.vals {
		v, err := binary(op, at(l, i), at(r, i))
		if err != nil {
			return array{}, err
		}
		out.vals[i] = v
	}
	return out, nil
}

// sumProduct multiplies its arrays element by element and adds the products. Entries that are
// not numbers (text, booleans, empty) count as 0, as in Excel; an error anywhere is the result.
func (e *Evaluator) sumProduct(ctx context.Context, sheet string, args []node) (Value, error) {
	arrays := make([]array, len(args))
	total := 0
	for i, a := range args {
		arr, err := e.arrayOf(ctx, sheet, a)
		if err != nil {
			return Value{}, err
		}
		// Each array is bounded; so is their sum, or 255 whole-column arguments would hold
		// gigabytes at once.
		if total += len(arr.vals); total > 2*maxArray {
			return Value{}, &LimitError{What: fmt.Sprintf("SUMPRODUCT over more than %d cells", 2*maxArray)}
		}
		if i > 0 && (arr.rows != arrays[0].rows || arr.cols != arrays[0].cols) {
			return ErrorValue(ErrValue), nil
		}
		arrays[i] = arr
	}
	acc := newSum()
	prod := new(big.Rat)
	for k := range arrays[0].vals {
		prod.SetInt64(1)
		for _, arr := range arrays {
			v := arr.vals[k]
			switch v.Kind {
			case KindError:
				return v, nil
			case KindNumber:
				prod.Mul(prod, v.Num)
			default:
				prod.SetInt64(0)
			}
		}
		if prod.Sign() != 0 {
			acc.add(prod) // add copies what it needs
		}
	}
	return Number(acc.result()), nil
}

// valNode is an already computed value standing in for an argument.
type valNode struct{ v Value }

// liftCall evaluates an element-wise function over array arguments: each argument becomes an
// array (a single value broadcasts), and the function is called once per element.
func (e *Evaluator) liftCall(ctx context.Context, sheet string, c *call) (array, error) {
	args := make([]array, len(c.args))
	rows, cols := 1, 1
	for i, a := range c.args {
		if _, missing := a.(*missingArg); missing {
			args[i] = scalarArray(Value{})
			continue
		}
		arr, err := e.arrayOf(ctx, sheet, a)
		if err != nil {
			return array{}, err
		}
		if arr.rows != 1 || arr.cols != 1 {
			if rows == 1 && cols == 1 {
				rows, cols = arr.rows, arr.cols
			} else if arr.rows != rows || arr.cols != cols {
				return array{}, unsupported(fmt.Sprintf("%s over arrays of different shapes", c.name))
			}
		}
		args[i] = arr
	}
	out := array{rows: rows, cols: cols, vals: make([]Value, rows*cols)}
	one := &call{name: c.name, args: make([]node, len(args))}
	for k := range out.vals {
		for i, a := range args {
			if len(a.vals) == 1 {
				one.args[i] = &valNode{a.vals[0]}
			} else {
				one.args[i] = &valNode{a.vals[k]}
			}
		}
		v, err := e.call(ctx, sheet, one)
		if err != nil {
			return array{}, err
		}
		out.vals[k] = v
	}
	return out, nil
}

// topArray evaluates a single-cell array (CSE) formula: the aggregate at its root takes its
// arguments as arrays, and any other formula shows the first element of its array, as Excel
// shows in the formula's top-left cell.
func (e *Evaluator) topArray(ctx context.Context, sheet string, x *Expr) (Value, error) {
	if c, ok := x.root.(*call); ok {
		if f := functions[c.name]; f != nil && f.array != nil {
			return f.array(e, ctx, sheet, c)
		}
	}
	arr, err := e.arrayOf(ctx, sheet, x.root)
	if err != nil {
		return Value{}, err
	}
	v := arr.vals[0]
	if v.Kind == KindEmpty {
		v = Number(new(big.Rat))
	}
	return v, nil
}

// arrayAggregate applies SUM, MIN, MAX, COUNT or AVERAGE to array arguments. As with ranges,
// only numbers count: the FALSE that IF gives for rows it filters out, text and blanks are
// skipped; an error anywhere is the result.
func (e *Evaluator) arrayAggregate(ctx context.Context, sheet string, c *call) (Value, error) {
	s := newStats()
	for _, a := range c.args {
		arr, err := e.arrayOf(ctx, sheet, a)
		if err != nil {
			return Value{}, err
		}
		for _, v := range arr.vals {
			switch v.Kind {
			case KindError:
				return v, nil
			case KindNumber:
				s.add(v.Num)
			}
		}
	}
	return s.result(c.name), nil
}

// stats gathers what SUM, MIN, MAX, COUNT, COUNTA and AVERAGE report over the values an array
// aggregate or SUBTOTAL visits, so that the two agree on empty input (0, or #DIV/0! for AVERAGE).
type stats struct {
	sum    *sum
	lo, hi *big.Rat
	n      int64 // numbers seen, and for COUNTA any other value too
}

func newStats() *stats { return &stats{sum: newSum()} }

func (s *stats) add(x *big.Rat) {
	s.sum.add(x)
	s.n++
	if s.lo == nil || x.Cmp(s.lo) < 0 {
		s.lo = x
	}
	if s.hi == nil || x.Cmp(s.hi) > 0 {
		s.hi = x
	}
}

func (s *stats) result(fn string) Value {
	switch fn {
	case "SUM":
		return Number(s.sum.result())
	case "COUNT", "COUNTA":
		return Number(big.NewRat(s.n, 1))
	case "MIN", "MAX":
		r := s.lo
		if fn == "MAX" {
			r = s.hi
		}
		if r == nil {
			r = new(big.Rat)
		}
		return Number(r)
	}
	if s.n == 0 {
		return ErrorValue(ErrDiv0)
	}
	return Number(new(big.Rat).Quo(s.sum.result(), big.NewRat(s.n, 1)))
}
