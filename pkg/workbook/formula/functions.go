package formula

import (
	"context"
	"fmt"
)

// function is what the evaluator knows about one spreadsheet function. The table below is the
// one place a function is added; the package doc's list is checked against it by a test.
type function struct {
	// minArgs and maxArgs bound the argument count. With pairs, only minArgs, minArgs+2, … are
	// taken: the arguments end in (range, criterion) pairs, as in SUMIFS and COUNTIFS.
	minArgs, maxArgs int
	pairs            bool
	// countErr names the refused feature for a wrong count where it is not "NAME with N
	// arguments"; the lookup functions have said it their own way since they were added.
	countErr string
	// lazy functions get their argument nodes unevaluated and check the count before any is
	// computed: IF and IFERROR compute only the branch they need, SUMPRODUCT computes arrays,
	// OFFSET and INDIRECT need a reference rather than its value.
	lazy bool
	// volatile functions are recomputed by Excel on every change, so a result computed from the
	// saved cells may differ from what Excel showed; callers warn, or refuse when there is no
	// value (TODAY, NOW, RAND…).
	volatile bool
	// elementwise functions take one value per argument; inside SUMPRODUCT or an array formula
	// Excel applies them to each element of an array argument, as in SUMPRODUCT(ROUND(C2:C6*20%,2)).
	elementwise bool
	// value computes the function; args is nil when lazy. Nil when the function is refused or
	// its result is a reference.
	value func(e *Evaluator, ctx context.Context, sheet string, c *call, args []operand) (Value, error)
	// ref computes a function whose result is a reference (OFFSET, INDIRECT).
	ref func(e *Evaluator, ctx context.Context, sheet string, c *call) (operand, error)
	// array computes an aggregate over array arguments, as in {=SUM(IF(B2:B6="Sales",D2:D6))}.
	array func(e *Evaluator, ctx context.Context, sheet string, c *call) (Value, error)
}

// functions is filled in init because its entries call back into the evaluator, which reads
// the table: a package-level initializer would be an initialization cycle.
var functions map[string]*function

func init() {
	const many = 255 // Excel's limit on arguments, which the parser enforces
	functions = map[string]*function{
		"IF":          {minArgs: 2, maxArgs: 3, lazy: true, elementwise: true, value: (*Evaluator).fnIf},
		"IFERROR":     {minArgs: 2, maxArgs: 2, lazy: true, elementwise: true, value: (*Evaluator).fnIfError},
		"SUMPRODUCT":  {minArgs: 1, maxArgs: many, lazy: true, value: (*Evaluator).fnSumProduct},
		"SUBTOTAL":    {minArgs: 2, maxArgs: many, value: (*Evaluator).subtotal},
		"AGGREGATE":   {minArgs: 2, maxArgs: many, value: (*Evaluator).subtotal},
		"SUM":         {minArgs: 1, maxArgs: many, value: (*Evaluator).fnAggregate, array: (*Evaluator).arrayAggregate},
		"MIN":         {minArgs: 1, maxArgs: many, value: (*Evaluator).fnAggregate, array: (*Evaluator).arrayAggregate},
		"MAX":         {minArgs: 1, maxArgs: many, value: (*Evaluator).fnAggregate, array: (*Evaluator).arrayAggregate},
		"SUMIF":       {minArgs: 2, maxArgs: 3, value: (*Evaluator).fnSumIf},
		"SUMIFS":      {minArgs: 3, maxArgs: many, pairs: true, value: (*Evaluator).fnSumIfs},
		"ROUND":       {minArgs: 2, maxArgs: 2, elementwise: true, value: (*Evaluator).fnRound},
		"ROUNDDOWN":   {minArgs: 2, maxArgs: 2, elementwise: true, value: (*Evaluator).fnRound},
		"ROUNDUP":     {minArgs: 2, maxArgs: 2, elementwise: true, value: (*Evaluator).fnRound},
		"TRUNC":       {minArgs: 1, maxArgs: 2, elementwise: true, value: (*Evaluator).fnTrunc},
		"YEAR":        {minArgs: 1, maxArgs: 1, elementwise: true, value: datePart(func(y, _, _ int) int { return y })},
		"MONTH":       {minArgs: 1, maxArgs: 1, elementwise: true, value: datePart(func(_, m, _ int) int { return m })},
		"DAY":         {minArgs: 1, maxArgs: 1, elementwise: true, value: datePart(func(_, _, d int) int { return d })},
		"EDATE":       {minArgs: 2, maxArgs: 2, elementwise: true, value: (*Evaluator).fnEDate},
		"EOMONTH":     {minArgs: 2, maxArgs: 2, elementwise: true, value: (*Evaluator).fnEDate},
		"DATE":        {minArgs: 3, maxArgs: 3, elementwise: true, value: (*Evaluator).fnDate},
		"COUNT":       {minArgs: 1, maxArgs: many, value: (*Evaluator).fnCounts, array: (*Evaluator).arrayAggregate},
		"COUNTA":      {minArgs: 1, maxArgs: many, value: (*Evaluator).fnCounts},
		"AVERAGE":     {minArgs: 1, maxArgs: many, value: (*Evaluator).fnCounts, array: (*Evaluator).arrayAggregate},
		"COUNTIF":     {minArgs: 2, maxArgs: 2, value: (*Evaluator).fnCountIfs},
		"COUNTIFS":    {minArgs: 2, maxArgs: many, pairs: true, value: (*Evaluator).fnCountIfs},
		"MATCH":       {minArgs: 2, maxArgs: 3, countErr: "MATCH with that many arguments", value: (*Evaluator).fnMatch},
		"VLOOKUP":     {minArgs: 3, maxArgs: 4, countErr: "VLOOKUP with that many arguments", value: (*Evaluator).fnVLookup},
		"INDEX":       {minArgs: 2, maxArgs: 3, countErr: indexForm, value: (*Evaluator).fnIndex},
		"ABS":         {minArgs: 1, maxArgs: 1, elementwise: true, value: (*Evaluator).fnAbsInt},
		"INT":         {minArgs: 1, maxArgs: 1, elementwise: true, value: (*Evaluator).fnAbsInt},
		"AND":         {minArgs: 1, maxArgs: many, value: (*Evaluator).fnLogical},
		"OR":          {minArgs: 1, maxArgs: many, value: (*Evaluator).fnLogical},
		"NOT":         {minArgs: 1, maxArgs: 1, elementwise: true, value: (*Evaluator).fnNot},
		"TRUE":        {minArgs: 0, maxArgs: 0, value: (*Evaluator).fnTrueFalse},
		"FALSE":       {minArgs: 0, maxArgs: 0, value: (*Evaluator).fnTrueFalse},
		"OFFSET":      {minArgs: 3, maxArgs: 5, lazy: true, volatile: true, ref: (*Evaluator).offset},
		"INDIRECT":    {minArgs: 1, maxArgs: 2, lazy: true, volatile: true, ref: (*Evaluator).indirect},
		"TODAY":       {volatile: true},
		"NOW":         {volatile: true},
		"RAND":        {volatile: true},
		"RANDBETWEEN": {volatile: true},
		"RANDARRAY":   {volatile: true},
		"CELL":        {volatile: true},
		"INFO":        {volatile: true},
	}
}

// countError is the refusal for a call with a number of arguments f does not take.
func (f *function) countError(c *call, n int) error {
	extra := n - f.minArgs
	if extra >= 0 && n <= f.maxArgs && (!f.pairs || extra%2 == 0) {
		return nil
	}
	if f.countErr != "" {
		return unsupported(f.countErr)
	}
	return unsupported(fmt.Sprintf("%s with %d arguments", c.name, n))
}

// call computes a function whose result is a value.
func (e *Evaluator) call(ctx context.Context, sheet string, c *call) (Value, error) {
	f := functions[c.name]
	if f == nil || f.value == nil {
		return Value{}, e.refuse(ctx, sheet, c, f)
	}
	if f.lazy {
		if err := f.countError(c, len(c.args)); err != nil {
			return Value{}, err
		}
		return f.value(e, ctx, sheet, c, nil)
	}
	args, err := e.evalArgs(ctx, sheet, c.args)
	if err != nil {
		return Value{}, err
	}
	// Counted after the arguments are computed, so that a refusal inside them (a volatile
	// TODAY) is the one the user sees.
	if err := f.countError(c, len(args)); err != nil {
		return Value{}, err
	}
	return f.value(e, ctx, sheet, c, args)
}

// refCall computes a function whose result is a reference. A volatile one is noted even when
// its arguments are then refused, so that the caller can say the box depends on it.
func (e *Evaluator) refCall(ctx context.Context, sheet string, c *call, f *function) (operand, error) {
	if f.volatile {
		e.noteVolatile(c.name, sheet)
	}
	if err := f.countError(c, len(c.args)); err != nil {
		return operand{}, err
	}
	return f.ref(e, ctx, sheet, c)
}

// refuse reports a function this package does not compute, after computing its arguments:
// what is refused first is what the user sees first.
func (e *Evaluator) refuse(ctx context.Context, sheet string, c *call, f *function) error {
	if _, err := e.evalArgs(ctx, sheet, c.args); err != nil {
		return err
	}
	if f != nil && f.volatile {
		return &UnsupportedError{Feature: "function " + c.name, Volatile: true}
	}
	return unsupported("function " + c.name)
}

func (e *Evaluator) evalArgs(ctx context.Context, sheet string, nodes []node) ([]operand, error) {
	args := make([]operand, len(nodes))
	for i, a := range nodes {
		o, err := e.eval(ctx, sheet, a)
		if err != nil {
			return nil, err
		}
		args[i] = o
	}
	return args, nil
}
