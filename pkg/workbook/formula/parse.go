package formula

import (
	"fmt"
	"math/big"
)

type node interface{}

type (
	numLit  struct{ v *big.Rat }
	strLit  struct{ s string }
	boolLit struct{ b bool }
	errLit  struct{ code string }
	// refNode is a reference; text is set when the token could also be a defined name (Box1).
	refNode struct {
		ref  Ref
		text string
	}
	nameNode struct{ sheet, name string }
	unaryOp  struct {
		op byte
		x  node
	}
	percentOp struct{ x node }
	binaryOp  struct {
		op   string
		l, r node
	}
	call struct {
		name string
		args []node
	}
	missingArg struct{}
)

// maxNesting bounds parser recursion; Excel allows 64 levels of nested functions.
const maxNesting = 256

// Expr is a parsed formula.
type Expr struct {
	src  string
	root node
}

// Parse parses a formula written without its leading '=' (a leading '=' is tolerated).
func Parse(src string) (*Expr, error) {
	if len(src) > 0 && src[0] == '=' {
		src = src[1:]
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tkEOF {
		return nil, synErr(src, t.start, "unexpected input after the formula")
	}
	return &Expr{src: src, root: root}, nil
}

// String returns the formula text that was parsed.
func (e *Expr) String() string { return e.src }

// Refs lists every cell or area reference in the formula, in order of appearance. A reference
// without a sheet (Sheet == "") belongs to the sheet the formula is evaluated on.
func (e *Expr) Refs() []Ref {
	var out []Ref
	walk(e.root, func(n node) {
		if r, ok := n.(*refNode); ok {
			out = append(out, r.ref)
		}
	})
	return out
}

// NameRef is a defined name used in a formula, with its sheet qualifier if any.
type NameRef struct{ Sheet, Name string }

// Names lists the defined names the formula uses (including words such as Box1 that read as
// cell references but may be names).
func (e *Expr) Names() []NameRef {
	var out []NameRef
	walk(e.root, func(n node) {
		switch n := n.(type) {
		case *nameNode:
			out = append(out, NameRef{Sheet: n.sheet, Name: n.name})
		case *refNode:
			if n.text != "" {
				out = append(out, NameRef{Name: n.text})
			}
		}
	})
	return out
}

func walk(n node, fn func(node)) {
	fn(n)
	switch n := n.(type) {
	case *unaryOp:
		walk(n.x, fn)
	case *percentOp:
		walk(n.x, fn)
	case *binaryOp:
		walk(n.l, fn)
		walk(n.r, fn)
	case *call:
		for _, a := range n.args {
			walk(a, fn)
		}
	}
}

type parser struct {
	src   string
	toks  []token
	pos   int
	depth int
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tkEOF {
		p.pos++
	}
	return t
}

// Binding powers, lowest first. Unary minus binds tighter than ^, as in Excel (-2^2 = 4).
func infixPower(op string) int {
	switch op {
	case "=", "<>", "<", ">", "<=", ">=":
		return 1
	case "&":
		return 2
	case "+", "-":
		return 3
	case "*", "/":
		return 4
	case "^":
		return 5
	}
	return 0
}

const prefixPower = 6

func (p *parser) expr(minPower int) (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, &LimitError{What: fmt.Sprintf("more than %d levels of nesting", maxNesting)}
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tkOp {
			return left, nil
		}
		if t.text == "%" {
			p.next()
			left = &percentOp{x: left}
			continue
		}
		pw := infixPower(t.text)
		if pw <= minPower {
			return left, nil
		}
		p.next()
		right, err := p.expr(pw) // left-associative
		if err != nil {
			return nil, err
		}
		left = &binaryOp{op: t.text, l: left, r: right}
	}
}

func (p *parser) prefix() (node, error) {
	t := p.next()
	switch t.kind {
	case tkNumber:
		v, ok := ParseNumber(t.text)
		if !ok {
			return nil, synErr(p.src, t.start, "malformed number")
		}
		return &numLit{v: v}, nil
	case tkString:
		return &strLit{s: t.text}, nil
	case tkBool:
		return &boolLit{b: t.text == "TRUE"}, nil
	case tkError:
		return &errLit{code: t.text}, nil
	case tkRef:
		return &refNode{ref: t.ref, text: t.text}, nil
	case tkName:
		return &nameNode{sheet: t.sheet, name: t.text}, nil
	case tkTable:
		return &tableNode{table: t.text, spec: t.sheet}, nil
	case tkOp:
		if t.text == "-" || t.text == "+" {
			x, err := p.expr(prefixPower)
			if err != nil {
				return nil, err
			}
			return &unaryOp{op: t.text[0], x: x}, nil
		}
	case tkLParen:
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tkRParen {
			return nil, synErr(p.src, c.start, "missing ')'")
		}
		return x, nil
	case tkFunc:
		return p.call(t)
	case tkEOF:
		return nil, synErr(p.src, t.start, "unexpected end of formula")
	}
	return nil, synErr(p.src, t.start, "unexpected token")
}

func (p *parser) call(t token) (node, error) {
	c := &call{name: t.text}
	if p.peek().kind == tkRParen {
		p.next()
		return c, nil
	}
	for {
		if k := p.peek().kind; k == tkComma || k == tkRParen {
			c.args = append(c.args, &missingArg{})
		} else {
			a, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
		}
		if len(c.args) > 255 {
			return nil, synErr(p.src, t.start, "more than 255 arguments")
		}
		switch n := p.next(); n.kind {
		case tkComma:
			continue
		case tkRParen:
			return c, nil
		default:
			return nil, synErr(p.src, n.start, "expected ',' or ')' in call to "+t.text)
		}
	}
}

// Shift moves the relative references of a formula by dRow rows and dCol columns, as Excel does
// when it copies a shared formula from its anchor cell to another cell of the shared range.
// References pushed off the sheet become #REF!.
func Shift(src string, dRow, dCol int) (string, error) {
	if dRow == 0 && dCol == 0 {
		return src, nil
	}
	toks, err := lex(src)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(src)+8)
	last := 0
	for _, t := range toks {
		if t.kind != tkRef {
			continue
		}
		out = append(out, src[last:t.start]...)
		if r, ok := t.ref.shift(dRow, dCol); ok {
			out = append(out, r.String()...)
		} else {
			out = append(out, ErrRef...)
		}
		last = t.end
	}
	out = append(out, src[last:]...)
	return string(out), nil
}
