package formula

import (
	"context"
	"math/big"
	"time"
)

// fnIf computes only the branch it needs, as Excel does.
func (e *Evaluator) fnIf(ctx context.Context, sheet string, c *call, _ []operand) (Value, error) {
	cond, err := e.scalarNode(ctx, sheet, c.args[0])
	if err != nil {
		return Value{}, err
	}
	b, bad := toBool(cond)
	if bad.Kind == KindError {
		return bad, nil
	}
	if b {
		return e.branch(ctx, sheet, c.args[1])
	}
	if len(c.args) == 2 {
		return Bool(false), nil
	}
	return e.branch(ctx, sheet, c.args[2])
}

// fnIfError computes the fallback only when it is needed, as Excel does.
func (e *Evaluator) fnIfError(ctx context.Context, sheet string, c *call, _ []operand) (Value, error) {
	v, err := e.scalarNode(ctx, sheet, c.args[0])
	if err != nil {
		return Value{}, err
	}
	if v.Kind == KindError {
		return e.branch(ctx, sheet, c.args[1])
	}
	return v, nil
}

func (e *Evaluator) fnSumProduct(ctx context.Context, sheet string, c *call, _ []operand) (Value, error) {
	return e.sumProduct(ctx, sheet, c.args)
}

func (e *Evaluator) fnAggregate(ctx context.Context, _ string, c *call, args []operand) (Value, error) {
	return e.aggregate(ctx, c.name, args)
}

func (e *Evaluator) fnSumIf(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	if !args[0].isRef || (len(args) == 3 && !args[2].isRef) {
		return ErrorValue(ErrValue), nil
	}
	sumArea := args[0].area
	if len(args) == 3 {
		// Excel sizes the sum range like the criteria range, anchored at its top-left cell.
		s := args[2].area
		sumArea = Ref{Sheet: s.Sheet, C1: s.C1, R1: s.R1, C2: s.C1 + sumArea.C2 - sumArea.C1, R2: s.R1 + sumArea.R2 - sumArea.R1, Shape: ShapeArea}
		if sumArea.C2 > MaxCol || sumArea.R2 > MaxRow {
			return ErrorValue(ErrRef), nil
		}
	}
	crit, err := e.scalar(ctx, sheet, args[1])
	if err != nil {
		return Value{}, err
	}
	return e.sumIfs(ctx, sumArea, []Ref{args[0].area}, []Value{crit})
}

func (e *Evaluator) fnSumIfs(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	if !args[0].isRef {
		return ErrorValue(ErrValue), nil
	}
	areas, crits, ok, err := e.criteriaPairs(ctx, sheet, args[1:])
	if err != nil || !ok {
		return ErrorValue(ErrValue), err
	}
	return e.sumIfs(ctx, args[0].area, areas, crits)
}

func (e *Evaluator) fnRound(ctx context.Context, sheet string, c *call, args []operand) (Value, error) {
	x, digits, bad, err := e.twoNumbers(ctx, sheet, args)
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	return Number(round(c.name, x, digits)), nil
}

func (e *Evaluator) fnTrunc(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	if len(args) == 1 {
		args = append(args, operand{v: Number(new(big.Rat))})
	}
	x, digits, bad, err := e.twoNumbers(ctx, sheet, args)
	if err != nil || bad.Kind == KindError {
		return bad, err
	}
	return Number(round("ROUNDDOWN", x, digits)), nil
}

// datePart makes YEAR, MONTH or DAY, which differ only in the part of the date they give.
func datePart(part func(y, m, d int) int) func(*Evaluator, context.Context, string, *call, []operand) (Value, error) {
	return func(e *Evaluator, ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
		v, err := e.scalar(ctx, sheet, args[0])
		if err != nil {
			return Value{}, err
		}
		y, m, d, bad := e.toDate(v)
		if bad.Kind == KindError {
			return bad, nil
		}
		return Number(big.NewRat(int64(part(y, int(m), d)), 1)), nil
	}
}

// fnEDate computes EDATE and EOMONTH, a date some months on.
func (e *Evaluator) fnEDate(ctx context.Context, sheet string, c *call, args []operand) (Value, error) {
	v, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	ty, tm, td, bad := e.toDate(v)
	if bad.Kind == KindError {
		return bad, nil
	}
	mv, err := e.scalar(ctx, sheet, args[1])
	if err != nil {
		return Value{}, err
	}
	m, bad := toNumber(mv)
	if bad.Kind == KindError {
		return bad, nil
	}
	months := trunc(m)
	if !months.IsInt64() || months.Int64() > 120_000 || months.Int64() < -120_000 {
		return ErrorValue(ErrNum), nil
	}
	y, mo := int64(ty), int64(tm)+months.Int64()
	var serial int64
	var ok bool
	if c.name == "EOMONTH" {
		serial, ok = dateSerial(y, mo+1, 0) // day 0 of the next month is the last of this one
	} else {
		// EDATE keeps the day, clamped to the length of the target month.
		last := time.Date(int(y), time.Month(mo+1), 0, 0, 0, 0, 0, time.UTC).Day()
		serial, ok = dateSerial(y, mo, int64(min(td, last)))
	}
	serial -= e.dateShift()
	if !ok || serial < 0 {
		return ErrorValue(ErrNum), nil
	}
	return Number(big.NewRat(serial, 1)), nil
}

func (e *Evaluator) fnCounts(ctx context.Context, _ string, c *call, args []operand) (Value, error) {
	return e.counts(ctx, c.name, args)
}

func (e *Evaluator) fnCountIfs(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	areas, crits, ok, err := e.criteriaPairs(ctx, sheet, args)
	if err != nil || !ok {
		return ErrorValue(ErrValue), err
	}
	return e.countIfs(ctx, areas, crits)
}

func (e *Evaluator) fnAbsInt(ctx context.Context, sheet string, c *call, args []operand) (Value, error) {
	v, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	x, bad := toNumber(v)
	if bad.Kind == KindError {
		return bad, nil
	}
	if c.name == "ABS" {
		return Number(new(big.Rat).Abs(x)), nil
	}
	return Number(new(big.Rat).SetInt(floor(x))), nil
}

func (e *Evaluator) fnLogical(ctx context.Context, _ string, c *call, args []operand) (Value, error) {
	return e.logical(ctx, c.name, args)
}

func (e *Evaluator) fnNot(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	v, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return Value{}, err
	}
	b, bad := toBool(v)
	if bad.Kind == KindError {
		return bad, nil
	}
	return Bool(!b), nil
}

func (e *Evaluator) fnTrueFalse(_ context.Context, _ string, c *call, _ []operand) (Value, error) {
	return Bool(c.name == "TRUE"), nil
}

func (e *Evaluator) fnDate(ctx context.Context, sheet string, _ *call, args []operand) (Value, error) {
	var parts [3]int64
	for i, a := range args {
		v, err := e.scalar(ctx, sheet, a)
		if err != nil {
			return Value{}, err
		}
		x, bad := toNumber(v)
		if bad.Kind == KindError {
			return bad, nil
		}
		n := trunc(x)
		if !n.IsInt64() || n.Int64() > 1e6 || n.Int64() < -1e6 {
			return ErrorValue(ErrNum), nil
		}
		parts[i] = n.Int64()
	}
	serial, ok := dateSerial(parts[0], parts[1], parts[2])
	serial -= e.dateShift()
	if !ok || serial < 0 {
		return ErrorValue(ErrNum), nil
	}
	return Number(big.NewRat(serial, 1)), nil
}

// branch evaluates the chosen arm of IF/IFERROR; a missing arm is 0, as in Excel.
func (e *Evaluator) branch(ctx context.Context, sheet string, n node) (Value, error) {
	if _, ok := n.(*missingArg); ok {
		return Number(new(big.Rat)), nil
	}
	return e.scalarNode(ctx, sheet, n)
}

func (e *Evaluator) twoNumbers(ctx context.Context, sheet string, args []operand) (*big.Rat, int, Value, error) {
	a, err := e.scalar(ctx, sheet, args[0])
	if err != nil {
		return nil, 0, Value{}, err
	}
	b, err := e.scalar(ctx, sheet, args[1])
	if err != nil {
		return nil, 0, Value{}, err
	}
	x, bad := toNumber(a)
	if bad.Kind == KindError {
		return nil, 0, bad, nil
	}
	d, bad := toNumber(b)
	if bad.Kind == KindError {
		return nil, 0, bad, nil
	}
	n := trunc(d)
	digits := 400
	if n.IsInt64() && n.Int64() < 400 && n.Int64() > -400 {
		digits = int(n.Int64())
	} else if n.Sign() < 0 {
		digits = -400
	}
	return x, digits, Value{}, nil
}

// aggregate implements SUM, MIN and MAX. Numbers typed as arguments count, and so does text
// typed as an argument when it reads as a number; inside ranges only numbers count, as in Excel.
func (e *Evaluator) aggregate(ctx context.Context, fn string, args []operand) (Value, error) {
	acc := newSum()
	var best *big.Rat
	take := func(x *big.Rat) {
		switch fn {
		case "SUM":
			acc.add(x)
		case "MIN":
			if best == nil || x.Cmp(best) < 0 {
				best = x
			}
		case "MAX":
			if best == nil || x.Cmp(best) > 0 {
				best = x
			}
		}
	}
	for _, a := range args {
		if !a.isRef {
			if a.v.Kind == KindEmpty {
				continue
			}
			x, bad := toNumber(a.v)
			if bad.Kind == KindError {
				return bad, nil
			}
			take(x)
			continue
		}
		es, err := e.collect(ctx, a.area)
		if err != nil {
			return Value{}, err
		}
		for i := range es {
			en := &es[i]
			switch en.kind {
			case KindNumber:
				if fn == "SUM" && en.hasD {
					acc.addDec(en.d)
				} else {
					take(en.value().Num)
				}
			case KindError:
				return en.value(), nil
			}
		}
	}
	if fn == "SUM" {
		return Number(acc.result()), nil
	}
	if best == nil {
		return Number(new(big.Rat)), nil
	}
	return Number(best), nil
}

func (e *Evaluator) logical(ctx context.Context, fn string, args []operand) (Value, error) {
	seen := false
	result := fn == "AND"
	apply := func(b bool) {
		seen = true
		if fn == "AND" {
			result = result && b
		} else {
			result = result || b
		}
	}
	for _, a := range args {
		if a.isRef {
			es, err := e.collect(ctx, a.area)
			if err != nil {
				return Value{}, err
			}
			for i := range es {
				switch v := es[i].value(); v.Kind {
				case KindError:
					return v, nil
				case KindNumber:
					apply(v.Num.Sign() != 0)
				case KindBool:
					apply(v.Bool)
				}
			}
			continue
		}
		if a.v.Kind == KindEmpty {
			continue
		}
		b, bad := toBool(a.v)
		if bad.Kind == KindError {
			return bad, nil
		}
		apply(b)
	}
	if !seen {
		return ErrorValue(ErrValue), nil
	}
	return Bool(result), nil
}

// sumIfs adds the numbers in sumArea whose cells at the same position in every criteria area
// meet that area's criterion. All areas must have the same shape.
func (e *Evaluator) sumIfs(ctx context.Context, sumArea Ref, areas []Ref, crits []Value) (Value, error) {
	h, w := sumArea.R2-sumArea.R1, sumArea.C2-sumArea.C1
	for _, a := range areas {
		if a.R2-a.R1 != h || a.C2-a.C1 != w {
			return ErrorValue(ErrValue), nil
		}
	}
	conds := make([]criterion, len(crits))
	for i, c := range crits {
		if c.Kind == KindError {
			return c, nil
		}
		conds[i] = parseCriterion(c, e.dateShift())
	}
	sums, err := e.collect(ctx, sumArea)
	if err != nil {
		return Value{}, err
	}
	cols := make([][]entry, len(areas))
	for i, a := range areas {
		if cols[i], err = e.collect(ctx, a); err != nil {
			return Value{}, err
		}
	}
	idx := make([]int, len(areas))
	acc := newSum()
	var empty entry
	for k := range sums {
		s := &sums[k]
		if s.kind != KindNumber && s.kind != KindError {
			continue
		}
		ok := true
		for i := range areas {
			es := cols[i]
			j := idx[i]
			for j < len(es) && es[j].off < s.off {
				j++
			}
			idx[i] = j
			en := &empty
			if j < len(es) && es[j].off == s.off {
				en = &es[j]
			}
			if !conds[i].matchEntry(en) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		switch {
		case s.kind == KindError:
			return s.value(), nil
		case s.hasD:
			acc.addDec(s.d)
		default:
			acc.add(s.value().Num)
		}
	}
	return Number(acc.result()), nil
}

func toBool(v Value) (bool, Value) {
	switch v.Kind {
	case KindBool:
		return v.Bool, Value{}
	case KindNumber:
		return v.Num.Sign() != 0, Value{}
	case KindEmpty:
		return false, Value{}
	case KindString:
		switch {
		case equalFold(v.Str, "TRUE"):
			return true, Value{}
		case equalFold(v.Str, "FALSE"):
			return false, Value{}
		}
	case KindError:
		return false, v
	}
	return false, ErrorValue(ErrValue)
}

// trunc rounds toward zero.
func trunc(x *big.Rat) *big.Int {
	return new(big.Int).Quo(x.Num(), x.Denom())
}

// floor rounds toward minus infinity (Excel's INT).
func floor(x *big.Rat) *big.Int {
	q, m := new(big.Int).DivMod(x.Num(), x.Denom(), new(big.Int))
	_ = m // DivMod is Euclidean: with a positive denominator q is already the floor
	return q
}

var bigTen = big.NewInt(10)

// round implements ROUND (half away from zero), ROUNDDOWN (toward zero) and ROUNDUP (away from
// zero) to digits decimal places; negative digits round to tens, hundreds and so on.
func round(fn string, x *big.Rat, digits int) *big.Rat {
	scale := new(big.Int).Exp(bigTen, big.NewInt(int64(absInt(digits))), nil)
	y := new(big.Rat).Set(x)
	if digits >= 0 {
		y.Mul(y, new(big.Rat).SetInt(scale))
	} else {
		y.Quo(y, new(big.Rat).SetInt(scale))
	}
	neg := y.Sign() < 0
	num := new(big.Int).Abs(y.Num())
	q, r := new(big.Int).QuoRem(num, y.Denom(), new(big.Int))
	if r.Sign() != 0 {
		switch fn {
		case "ROUND":
			if new(big.Int).Lsh(r, 1).Cmp(y.Denom()) >= 0 {
				q.Add(q, big.NewInt(1))
			}
		case "ROUNDUP":
			q.Add(q, big.NewInt(1))
		}
	}
	if neg {
		q.Neg(q)
	}
	z := new(big.Rat).SetInt(q)
	if digits >= 0 {
		return z.Quo(z, new(big.Rat).SetInt(scale))
	}
	return z.Mul(z, new(big.Rat).SetInt(scale))
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// excelEpoch is serial day 0 for dates from March 1900 on (Excel counts a 29 February 1900 that
// never existed, so its day 0 is in effect 30 December 1899).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateSerial follows Excel's DATE: years 0–1899 mean 1900–3799, months and days overflow into
// the next year or month.
func dateSerial(y, m, d int64) (int64, bool) {
	if y < 1900 {
		y += 1900
	}
	if y < 1900 || y > 9999 {
		return 0, false
	}
	t := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
	serial := int64(t.Sub(excelEpoch).Hours() / 24)
	if serial < 61 {
		serial-- // before the phantom 29 February 1900
	}
	if serial < 0 {
		return 0, false
	}
	return serial, true
}

// ParseDate reads an ISO 8601 date (2024-04-01, optionally with a midnight time) as an Excel
// serial number in the 1900 date system.
func ParseDate(s string) (int64, bool) { return parseDateText(s) }

// parseDateText reads an ISO date (2024-04-01, optionally with T00:00:00) as a serial number.
func parseDateText(s string) (int64, bool) {
	if len(s) < 10 || len(s) > 30 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Year() < 1900 {
				return 0, false
			}
			return dateSerial(int64(t.Year()), int64(t.Month()), int64(t.Day()))
		}
	}
	return 0, false
}

// maxSerial is 31 December 9999, the last date Excel represents.
const maxSerial = 2958465

// toDate reads a serial number (or date text) as a calendar date, as YEAR and EOMONTH do. It
// returns parts rather than a time.Time because Excel's serial 60 is 29 February 1900, a day
// that never existed.
func (e *Evaluator) toDate(v Value) (int, time.Month, int, Value) {
	x, bad := toNumber(v)
	if bad.Kind == KindError {
		return 0, 0, 0, bad
	}
	n := floor(x)
	if !n.IsInt64() || n.Int64() < 0 || n.Int64()+e.dateShift() > maxSerial {
		return 0, 0, 0, ErrorValue(ErrNum)
	}
	serial := n.Int64() + e.dateShift()
	var t time.Time
	switch {
	case serial == 0:
		// A blank date cell is serial 0, which Excel shows as 0 January 1900: YEAR 1900, MONTH 1,
		// DAY 0, and EOMONTH(blank,0) is 31 January 1900. (LibreOffice counts from 30 December
		// 1899 instead; Excel is followed.)
		return 1900, time.January, 0, Value{}
	case serial == 60:
		return 1900, time.February, 29, Value{}
	case serial < 60:
		t = excelEpoch.AddDate(0, 0, int(serial)+1) // serial 1 is 1 January 1900
	default:
		t = excelEpoch.AddDate(0, 0, int(serial))
	}
	return t.Year(), t.Month(), t.Day(), Value{}
}

func ratFromInt(n int) *big.Rat { return big.NewRat(int64(n), 1) }

// criteriaPairs reads the (range, criterion) pairs of SUMIFS and COUNTIFS; ok is false when a
// range argument is not a reference, which Excel answers with #VALUE!.
func (e *Evaluator) criteriaPairs(ctx context.Context, sheet string, pairs []operand) (areas []Ref, crits []Value, ok bool, err error) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !pairs[i].isRef {
			return nil, nil, false, nil
		}
		cv, err := e.scalar(ctx, sheet, pairs[i+1])
		if err != nil {
			return nil, nil, false, err
		}
		areas = append(areas, pairs[i].area)
		crits = append(crits, cv)
	}
	return areas, crits, true, nil
}
