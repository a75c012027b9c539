package formula

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Cell is one cell as a Source stores it.
type Cell struct {
	Kind    Kind   // kind of the stored value; KindEmpty when the cell has none
	Text    string // stored value as text: a number as written, a string, "TRUE"/"FALSE", an error code
	Formula string // formula without '=', shared formulas already expanded; "" when none
	// Array marks an array (Ctrl+Shift+Enter) formula: its functions take arrays where they
	// would otherwise take one value, as in {=SUM(IF(B2:B6="Sales",D2:D6))}.
	Array bool
	// DataTable marks a What-If data table, which the evaluator refuses.
	DataTable bool
}

// Source supplies cell data and defined names to an Evaluator. Sheet names in formulas may
// differ in case from the stored ones; a Source matches them case-insensitively.
type Source interface {
	// Cell returns one cell; a cell that does not exist is a zero Cell, an unknown sheet an error.
	Cell(ctx context.Context, sheet string, col, row int) (Cell, error)
	// Scan calls fn for every cell within area that has a value or a formula, in any order.
	// area.Sheet is set.
	Scan(ctx context.Context, area Ref, fn func(col, row int, c Cell) error) error
	// Name returns what a defined name refers to (formula text without '='), preferring a name
	// scoped to sheet over a workbook-wide one.
	Name(name, sheet string) (refersTo string, ok bool)
}

// Limits bound one Evaluator's work so that a hostile workbook cannot make it run away.
const (
	maxEvalDepth = 512       // nested cell-to-cell references
	maxCells     = 5_000_000 // formula cells evaluated
	// maxScanned bounds range cells visited: a running balance, SUM($C$2:C2) on each of 200,000
	// rows, would otherwise visit 2×10^10 cells before answering.
	maxScanned = 100_000_000
	maxCached  = 20_000_000 // range cells kept for reuse
)

type cellKey struct {
	sheet    string // lower case
	col, row int
}

// Evaluator computes formulas against one Source, evaluating each cell at most once. It is not
// safe for concurrent use.
type Evaluator struct {
	// Date1904 selects the 1904 date system (workbookPr date1904="1", old Mac workbooks), in
	// which serial 0 is 1 January 1904: DATE() and date criteria then yield serials 1,462 lower.
	Date1904 bool

	src    Source
	memo   map[cellKey]Value
	busy   map[cellKey]bool
	exprs  map[string]*Expr
	ranges map[string][]entry
	depth  int
	cells  int
	// curCol and curRow are the cell whose formula is being evaluated.
	curCol, curRow int
	volatiles      []VolatileUse
	// scanned and cached count range cells visited and kept, against maxScanned and maxCached.
	scanned, cached int
}

// dateShift is what to subtract from a 1900-system serial.
func (e *Evaluator) dateShift() int64 {
	if e.Date1904 {
		return date1904Offset
	}
	return 0
}

// date1904Offset is the number of days between the 1900 and 1904 systems' day zero.
const date1904Offset = 1462

// NewEvaluator returns an Evaluator reading from src.
func NewEvaluator(src Source) *Evaluator {
	return &Evaluator{
		src:    src,
		memo:   make(map[cellKey]Value),
		busy:   make(map[cellKey]bool),
		exprs:  make(map[string]*Expr),
		ranges: make(map[string][]entry),
	}
}

func (e *Evaluator) parse(src string) (*Expr, error) {
	if x, ok := e.exprs[src]; ok {
		return x, nil
	}
	x, err := Parse(src)
	if err != nil {
		return nil, err
	}
	// Shared formulas expand to a different text on every row; caching all of them would cost
	// more memory than re-parsing does time.
	if len(e.exprs) < 10_000 {
		e.exprs[src] = x
	}
	return x, nil
}

// EvalCell returns the value of sheet!col,row: its formula evaluated (ignoring any cached
// value), or its stored value. A formula whose result is an empty cell yields 0, as in Excel.
func (e *Evaluator) EvalCell(ctx context.Context, sheet string, col, row int) (Value, error) {
	c, err := e.src.Cell(ctx, sheet, col, row)
	if err != nil {
		return Value{}, err
	}
	return e.cellValue(ctx, sheet, col, row, c)
}

// EvalFormula evaluates a formula as if it were in a cell of sheet.
func (e *Evaluator) EvalFormula(ctx context.Context, sheet, formula string) (Value, error) {
	x, err := e.parse(formula)
	if err != nil {
		return Value{}, err
	}
	return e.top(ctx, sheet, x)
}

func (e *Evaluator) top(ctx context.Context, sheet string, x *Expr) (Value, error) {
	o, err := e.eval(ctx, sheet, x.root)
	if err != nil {
		return Value{}, err
	}
	v, err := e.scalar(ctx, sheet, o)
	if err != nil {
		return Value{}, err
	}
	if v.Kind == KindEmpty {
		v = Number(new(big.Rat))
	}
	return v, nil
}

func (e *Evaluator) cellValue(ctx context.Context, sheet string, col, row int, c Cell) (Value, error) {
	if c.DataTable {
		return Value{}, &UnsupportedError{Feature: "What-If data tables", Sheet: sheet, Cell: CellName(col, row)}
	}
	if c.Formula == "" {
		return storedValue(c), nil
	}
	key := cellKey{strings.ToLower(sheet), col, row}
	if v, ok := e.memo[key]; ok {
		return v, nil
	}
	if e.busy[key] {
		return Value{}, &CircularError{Sheet: sheet, Cell: CellName(col, row)}
	}
	if err := ctx.Err(); err != nil {
		return Value{}, err
	}
	e.cells++
	if e.cells > maxCells {
		return Value{}, &LimitError{What: fmt.Sprintf("more than %d formula cells", maxCells)}
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEvalDepth {
		return Value{}, &LimitError{What: fmt.Sprintf("references nested deeper than %d cells", maxEvalDepth)}
	}
	e.busy[key] = true
	defer delete(e.busy, key)
	// [@Net] means the row of the cell being computed.
	pc, pr := e.curCol, e.curRow
	e.curCol, e.curRow = col, row
	defer func() { e.curCol, e.curRow = pc, pr }()
	x, err := e.parse(c.Formula)
	if err != nil {
		return Value{}, fmt.Errorf("%s!%s: %w", QuoteSheet(sheet), CellName(col, row), err)
	}
	var v Value
	if c.Array {
		v, err = e.topArray(ctx, sheet, x)
	} else {
		v, err = e.top(ctx, sheet, x)
	}
	if err != nil {
		if u := (*UnsupportedError)(nil); errors.As(err, &u) && u.Cell == "" {
			u.Sheet, u.Cell = sheet, CellName(col, row)
		}
		return Value{}, err
	}
	e.memo[key] = v
	return v, nil
}

// storedValue turns a stored cell into a Value. A number that does not parse is kept as text so
// that the caller sees what is there rather than a silent zero.
func storedValue(c Cell) Value {
	switch c.Kind {
	case KindNumber:
		if r, ok := parseStored(c.Text); ok {
			return Number(r)
		}
		return String(c.Text)
	case KindString:
		return String(c.Text)
	case KindBool:
		return Bool(c.Text == "TRUE" || c.Text == "1")
	case KindError:
		return ErrorValue(c.Text)
	}
	return Value{}
}

// operand is a Value or an unevaluated range (functions such as SUMIFS need the range itself).
type operand struct {
	v     Value
	area  Ref
	isRef bool
}

func (e *Evaluator) eval(ctx context.Context, sheet string, n node) (operand, error) {
	switch n := n.(type) {
	case *numLit:
		return operand{v: Number(n.v)}, nil
	case *strLit:
		return operand{v: String(n.s)}, nil
	case *boolLit:
		return operand{v: Bool(n.b)}, nil
	case *errLit:
		return operand{v: ErrorValue(n.code)}, nil
	case *missingArg:
		return operand{v: Value{}}, nil
	case *valNode:
		return operand{v: n.v}, nil
	case *tableNode:
		r, bad, err := e.resolveTable(n, sheet)
		if err != nil || bad.Kind == KindError {
			return operand{v: bad}, err
		}
		return operand{area: r, isRef: true}, nil
	case *refNode:
		if n.text != "" {
			if rt, ok := e.src.Name(n.text, sheet); ok {
				return e.evalName(ctx, sheet, rt)
			}
		}
		r := n.ref
		if r.Sheet == "" {
			r.Sheet = sheet
		}
		return operand{area: r, isRef: true}, nil
	case *nameNode:
		scope := n.sheet
		if scope == "" {
			scope = sheet
		}
		rt, ok := e.src.Name(n.name, scope)
		if !ok {
			return operand{v: ErrorValue(ErrName)}, nil
		}
		return e.evalName(ctx, scope, rt)
	case *unaryOp:
		v, err := e.scalarNode(ctx, sheet, n.x)
		if err != nil || v.Kind == KindError {
			return operand{v: v}, err
		}
		num, bad := toNumber(v)
		if bad.Kind == KindError {
			return operand{v: bad}, nil
		}
		if n.op == '-' {
			num = new(big.Rat).Neg(num)
		}
		return operand{v: Number(num)}, nil
	case *percentOp:
		v, err := e.scalarNode(ctx, sheet, n.x)
		if err != nil || v.Kind == KindError {
			return operand{v: v}, err
		}
		num, bad := toNumber(v)
		if bad.Kind == KindError {
			return operand{v: bad}, nil
		}
		return operand{v: Number(new(big.Rat).Quo(num, ratHundred))}, nil
	case *binaryOp:
		l, err := e.scalarNode(ctx, sheet, n.l)
		if err != nil {
			return operand{}, err
		}
		r, err := e.scalarNode(ctx, sheet, n.r)
		if err != nil {
			return operand{}, err
		}
		v, err := binary(n.op, l, r)
		return operand{v: v}, err
	case *call:
		if f := functions[n.name]; f != nil && f.ref != nil {
			return e.refCall(ctx, sheet, n, f)
		}
		v, err := e.call(ctx, sheet, n)
		return operand{v: v}, err
	}
	return operand{}, unsupported(fmt.Sprintf("expression %T", n))
}

// evalName evaluates what a defined name refers to, in the context of sheet.
func (e *Evaluator) evalName(ctx context.Context, sheet, refersTo string) (operand, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEvalDepth {
		return operand{}, &LimitError{What: "defined names nested too deeply"}
	}
	x, err := e.parse(refersTo)
	if err != nil {
		return operand{}, fmt.Errorf("defined name %q: %w", refersTo, err)
	}
	return e.eval(ctx, sheet, x.root)
}

func (e *Evaluator) scalarNode(ctx context.Context, sheet string, n node) (Value, error) {
	o, err := e.eval(ctx, sheet, n)
	if err != nil {
		return Value{}, err
	}
	return e.scalar(ctx, sheet, o)
}

// scalar turns an operand into one value. A range where one value is expected is reduced by
// implicit intersection, as Excel does for an ordinary formula: the cell of a one-column range
// in the formula's own row (=Table1[Net] on a table row), or of a one-row range in its column;
// anything else is #VALUE!.
// https://support.microsoft.com/en-us/office/implicit-intersection-operator-ce3be07b-0101-4450-a24e-c1c999be2b34
func (e *Evaluator) scalar(ctx context.Context, _ string, o operand) (Value, error) {
	if !o.isRef {
		return o.v, nil
	}
	a := o.area
	if a.IsCell() {
		return e.EvalCell(ctx, a.Sheet, a.C1, a.R1)
	}
	if e.curRow == 0 {
		// A formula given as text has no cell to intersect with. (A range on another sheet
		// intersects by row and column number, as in Excel.)
		return Value{}, unsupported("a range where one value is expected (implicit intersection)")
	}
	switch {
	case a.C1 == a.C2 && e.curRow >= a.R1 && e.curRow <= a.R2:
		return e.EvalCell(ctx, a.Sheet, a.C1, e.curRow)
	case a.R1 == a.R2 && e.curCol >= a.C1 && e.curCol <= a.C2:
		return e.EvalCell(ctx, a.Sheet, e.curCol, a.R1)
	}
	return ErrorValue(ErrValue), nil
}

// sizeHinter is optionally implemented by a Source that knows how many cells an area holds.
type sizeHinter interface{ SizeHint(area Ref) int }

// entry is one non-empty cell of a range, at offset (row-R1)*width + (col-C1). Plain cells keep
// their stored text, and numbers a compact dec, so that a 200,000-row column costs no
// allocation per cell; formula results and numbers beyond dec are held as a Value.
type entry struct {
	off  int64
	d    dec
	text string
	val  *Value
	kind Kind
	hasD bool
}

// value materialises the entry as a Value.
func (en *entry) value() Value {
	switch {
	case en.val != nil:
		return *en.val
	case en.hasD:
		return Number(en.d.rat())
	}
	return storedValue(Cell{Kind: en.kind, Text: en.text})
}

// collect evaluates every non-empty cell of a range, sorted by offset. Results are kept for the
// Evaluator's life: the nine boxes of a return usually filter the same ledger columns.
func (e *Evaluator) collect(ctx context.Context, area Ref) ([]entry, error) {
	// Keyed by position only: $D:$D and D:D are the same cells and must share one scan.
	key := fmt.Sprintf("%s!%d:%d:%d:%d", strings.ToLower(area.Sheet), area.C1, area.R1, area.C2, area.R2)
	if es, ok := e.ranges[key]; ok {
		return es, nil
	}
	width := int64(area.C2 - area.C1 + 1)
	var es []entry
	sorted := true
	scan := func(col, row int, c Cell) error {
		en := entry{off: int64(row-area.R1)*width + int64(col-area.C1), kind: c.Kind, text: c.Text}
		switch {
		case c.Formula != "":
			v, err := e.cellValue(ctx, area.Sheet, col, row, c)
			if err != nil {
				return err
			}
			en.kind, en.text, en.val = v.Kind, "", &v
			if v.Kind == KindNumber {
				en.d, en.hasD = ratToDec(v.Num)
			}
		case c.Kind == KindEmpty:
			return nil
		case c.Kind == KindNumber:
			if sigDigits(c.Text) > excelDigits {
				en.hasD = false
			} else {
				en.d, en.hasD = parseDec(c.Text)
			}
			if !en.hasD {
				v := storedValue(c)
				en.kind, en.val = v.Kind, &v
			}
		}
		if en.kind == KindEmpty {
			return nil
		}
		if n := len(es); n > 0 && es[n-1].off >= en.off {
			sorted = false
		}
		if e.scanned++; e.scanned > maxScanned {
			return &LimitError{What: fmt.Sprintf("more than %d range cells visited", maxScanned)}
		}
		es = append(es, en)
		return nil
	}
	if h, ok := e.src.(sizeHinter); ok {
		es = make([]entry, 0, min(h.SizeHint(area), 1<<24))
	}
	err := e.src.Scan(ctx, area, scan)
	if err != nil {
		return nil, err
	}
	if !sorted {
		sort.Slice(es, func(i, j int) bool { return es[i].off < es[j].off })
	}
	if e.cached+len(es) <= maxCached {
		e.ranges[key] = es
		e.cached += len(es)
	}
	return es, nil
}

// toNumber coerces a scalar for arithmetic: empty is 0, booleans 1/0, numeric text its number.
// The second result is an error Value when coercion fails.
func toNumber(v Value) (*big.Rat, Value) {
	switch v.Kind {
	case KindNumber:
		return v.Num, Value{}
	case KindEmpty:
		return ratZero, Value{}
	case KindBool:
		if v.Bool {
			return ratOne, Value{}
		}
		return ratZero, Value{}
	case KindString:
		if r, ok := coerceText(v.Str); ok {
			return r, Value{}
		}
		return nil, ErrorValue(ErrValue)
	case KindError:
		return nil, v
	}
	return nil, ErrorValue(ErrValue)
}

// maxPow bounds exponentiation so that 10^1e9 cannot exhaust memory.
const maxPow = 1024

func binary(op string, l, r Value) (Value, error) {
	if l.Kind == KindError {
		return l, nil
	}
	if r.Kind == KindError {
		return r, nil
	}
	switch op {
	case "&":
		lt, rt := l.Text(), r.Text()
		if len(lt)+len(rt) > maxText {
			return ErrorValue(ErrValue), nil
		}
		return String(lt + rt), nil
	case "=", "<>", "<", ">", "<=", ">=":
		c := compare(l, r)
		var b bool
		switch op {
		case "=":
			b = c == 0
		case "<>":
			b = c != 0
		case "<":
			b = c < 0
		case ">":
			b = c > 0
		case "<=":
			b = c <= 0
		case ">=":
			b = c >= 0
		}
		return Bool(b), nil
	}
	a, bad := toNumber(l)
	if bad.Kind == KindError {
		return bad, nil
	}
	b, bad := toNumber(r)
	if bad.Kind == KindError {
		return bad, nil
	}
	z := new(big.Rat)
	switch op {
	case "+":
		z.Add(a, b)
	case "-":
		z.Sub(a, b)
	case "*":
		z.Mul(a, b)
	case "/":
		if b.Sign() == 0 {
			return ErrorValue(ErrDiv0), nil
		}
		z.Quo(a, b)
	case "^":
		if !b.IsInt() || !b.Num().IsInt64() {
			return Value{}, unsupported("non-integer powers")
		}
		n := b.Num().Int64()
		if n > maxPow || n < -maxPow || int64(max(a.Num().BitLen(), a.Denom().BitLen()))*abs64(n) > 4*maxBits {
			return ErrorValue(ErrNum), nil
		}
		if a.Sign() == 0 && n <= 0 {
			if n == 0 {
				return ErrorValue(ErrNum), nil
			}
			return ErrorValue(ErrDiv0), nil
		}
		num := new(big.Int).Exp(a.Num(), big.NewInt(abs64(n)), nil)
		den := new(big.Int).Exp(a.Denom(), big.NewInt(abs64(n)), nil)
		if n < 0 {
			num, den = den, num
		}
		z.SetFrac(num, den)
	default:
		return Value{}, unsupported("operator " + op)
	}
	if z.Num().BitLen() > maxBits || z.Denom().BitLen() > maxBits {
		return ErrorValue(ErrNum), nil
	}
	return Number(z), nil
}

// maxText is Excel's limit on a cell's text; beyond it & gives #VALUE!, as in Excel, instead of
// letting a chain of cells double a string until memory runs out.
const maxText = 32767

// maxBits bounds exact intermediate results. Excel's doubles overflow to #NUM! near 2^1024;
// allowing eight times that keeps every real calculation exact while a chain of cells squaring
// each other cannot grow a number until memory runs out.
const maxBits = 8192

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// compare orders two scalars the way Excel's comparison operators do: numbers before text
// before booleans, text case-insensitively, and an empty cell as 0, "" or FALSE to match the
// other side.
func compare(l, r Value) int {
	if l.Kind == KindEmpty {
		l = emptyLike(r)
	}
	if r.Kind == KindEmpty {
		r = emptyLike(l)
	}
	rank := func(v Value) int {
		switch v.Kind {
		case KindNumber, KindEmpty:
			return 0
		case KindString:
			return 1
		}
		return 2
	}
	if rl, rr := rank(l), rank(r); rl != rr {
		if rl < rr {
			return -1
		}
		return 1
	}
	switch l.Kind {
	case KindNumber:
		a, _ := toNumber(l)
		b, _ := toNumber(r)
		return a.Cmp(b)
	case KindString:
		return strings.Compare(strings.ToLower(l.Str), strings.ToLower(r.Str))
	case KindBool:
		switch {
		case l.Bool == r.Bool:
			return 0
		case r.Bool:
			return -1
		}
		return 1
	}
	return 0
}

func emptyLike(other Value) Value {
	switch other.Kind {
	case KindString:
		return String("")
	case KindBool:
		return Bool(false)
	}
	return Number(new(big.Rat))
}
