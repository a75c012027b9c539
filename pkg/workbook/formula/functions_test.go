package formula

import (
	"errors"
	"fmt"
	goparser "go/parser"
	gotoken "go/token"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestArgumentCountErrors pins the message for a wrong number of arguments to each function,
// and that an argument which cannot be computed is reported before the count is: a refused
// TODAY inside ROUND is still reported as volatile.
func TestArgumentCountErrors(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{"S!A1": "1", "S!A2": "2", "S!B1": "3", "S!B2": "4"})
	tests := []struct {
		formula  string
		feature  string
		volatile bool
	}{
		{"IF(1)", "IF with 1 arguments", false},
		{"IF(1,2,3,4)", "IF with 4 arguments", false},
		{"IF(TODAY())", "IF with 1 arguments", false},
		{"IFERROR(1)", "IFERROR with 1 arguments", false},
		{"SUMPRODUCT()", "SUMPRODUCT with 0 arguments", false},
		{"SUM()", "SUM with 0 arguments", false},
		{"MAX()", "MAX with 0 arguments", false},
		{"SUMIF(A1:A2)", "SUMIF with 1 arguments", false},
		{"SUMIFS(A1:A2,B1:B2)", "SUMIFS with 2 arguments", false},
		{"SUMIFS(A1:A2,B1:B2,1,A1:A2)", "SUMIFS with 4 arguments", false},
		{"ROUND(1)", "ROUND with 1 arguments", false},
		{"ROUNDUP(1,2,3)", "ROUNDUP with 3 arguments", false},
		{"TRUNC(1,2,3)", "TRUNC with 3 arguments", false},
		{"YEAR()", "YEAR with 0 arguments", false},
		{"EOMONTH(1)", "EOMONTH with 1 arguments", false},
		{"COUNT()", "COUNT with 0 arguments", false},
		{"AVERAGE()", "AVERAGE with 0 arguments", false},
		{"COUNTIF(A1:A2)", "COUNTIF with 1 arguments", false},
		{"COUNTIF(A1:A2,1,B1:B2,2)", "COUNTIF with 4 arguments", false},
		{"COUNTIFS(A1:A2,1,B1:B2)", "COUNTIFS with 3 arguments", false},
		{"MATCH(1)", "MATCH with that many arguments", false},
		{"VLOOKUP(1,A1:B2)", "VLOOKUP with that many arguments", false},
		{"INDEX(A1:A2)", "INDEX of that form", false},
		{"INDEX(1,1)", "INDEX of that form", false},
		{"ABS()", "ABS with 0 arguments", false},
		{"INT(1,2)", "INT with 2 arguments", false},
		{"AND()", "AND with 0 arguments", false},
		{"NOT(1,2)", "NOT with 2 arguments", false},
		{"TRUE(1)", "TRUE with 1 arguments", false},
		{"DATE(2024,1)", "DATE with 2 arguments", false},
		{"SUBTOTAL(9)", "SUBTOTAL with 1 arguments", false},
		{"AGGREGATE(9)", "AGGREGATE with 1 arguments", false},
		{"AGGREGATE(9,0)", "AGGREGATE with fewer than 3 arguments", false},
		{"OFFSET(A1)", "OFFSET with 1 arguments", false},
		{"INDIRECT()", "INDIRECT with 0 arguments", false},
		{"ROUND(TODAY())", "function TODAY", true},
		{"SUM(NOW(),1,2)", "function NOW", true},
		{"TODAY()", "function TODAY", true},
		{"RANDBETWEEN(1,2)", "function RANDBETWEEN", true},
		{"CELL(\"row\")", "function CELL", true},
		{"FOO(1)", "function FOO", false},
		{"FOO(BAR())", "function BAR", false},
	}
	for _, tt := range tests {
		t.Run(tt.formula, func(t *testing.T) {
			t.Parallel()
			_, err := NewEvaluator(src).EvalFormula(t.Context(), "S", tt.formula)
			var ue *UnsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v, want an UnsupportedError", err)
			}
			if ue.Feature != tt.feature || ue.Volatile != tt.volatile {
				t.Fatalf("feature %q volatile %v, want %q %v", ue.Feature, ue.Volatile, tt.feature, tt.volatile)
			}
		})
	}
}

// BenchmarkFunctionCalls measures dispatch to functions: the element-wise functions inside
// SUMPRODUCT are called once per row, and the scalar formulas once each.
func BenchmarkFunctionCalls(b *testing.B) {
	cells := map[string]string{}
	for r := 1; r <= 1000; r++ {
		cells[fmt.Sprintf("S!A%d", r)] = fmt.Sprintf("%d.%02d", r*7, r%100)
		cells[fmt.Sprintf("S!B%d", r)] = fmt.Sprintf("%d", 45292+r%400)
	}
	src := newMapSource(cells)
	formulas := []string{
		"SUMPRODUCT(ROUND(A1:A1000*20%,2),--(YEAR(B1:B1000)=2024))",
		"SUMPRODUCT(--(EOMONTH(B1:B1000,0)=DATE(2024,3,31)),ABS(A1:A1000))",
		"IF(AND(A1>0,NOT(A2<0)),ROUND(SUM(A1:A1000)*0.2,2),IFERROR(1/0,INT(A3)))",
		"SUMIFS(A1:A1000,B1:B1000,\">=45300\")+COUNTIF(B1:B1000,\"<45400\")+MAX(A1:A1000)",
	}
	b.ReportAllocs()
	for b.Loop() {
		e := NewEvaluator(src)
		for _, f := range formulas {
			if _, err := e.EvalFormula(b.Context(), "S", f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestDocumentedFunctions: the package doc names exactly the functions the table computes, and
// exactly the volatile ones it refuses by name, so that neither can change without the other.
func TestDocumentedFunctions(t *testing.T) {
	t.Parallel()
	f, err := goparser.ParseFile(gotoken.NewFileSet(), "doc.go", nil, goparser.ParseComments|goparser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(f.Doc.Text()), " ")
	var computed, refused []string
	for name, fn := range functions {
		if fn.value != nil || fn.ref != nil {
			computed = append(computed, name)
		} else {
			refused = append(refused, name)
		}
	}
	for _, tt := range []struct {
		start, end string
		want       []string
	}{
		{"and the functions ", " (A1 style", computed},
		{"The volatile functions ", ", whose result", refused},
	} {
		got := docList(t, doc, tt.start, tt.end)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("doc lists %v after %q; the table has %v", got, tt.start, tt.want)
		}
	}
}

// docList reads the list "A, B, C and D" between start and end in the doc, sorted.
func docList(t *testing.T, doc, start, end string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, start)
	list, _, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		t.Fatalf("package doc has no list between %q and %q", start, end)
	}
	names := strings.Split(strings.Replace(list, " and ", ", ", 1), ", ")
	slices.Sort(names)
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("package doc names a function twice: %v", names)
	}
	return names
}

// TestArrayFormulaArgumentCount: an array formula counts its arguments as an ordinary one does;
// {=SUMPRODUCT()} used to index an empty list of arrays and panic.
func TestArrayFormulaArgumentCount(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{"S!A1": "2", "S!A2": "3"})
	src.cells["s!B1"] = Cell{Formula: "SUMPRODUCT()", Array: true}
	src.cells["s!B2"] = Cell{Formula: "SUMPRODUCT(A1:A2,A1:A2)", Array: true}
	_, err := NewEvaluator(src).EvalCell(t.Context(), "S", 2, 1)
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Feature != "SUMPRODUCT with 0 arguments" || ue.Cell != "B1" {
		t.Fatalf("error %v, want SUMPRODUCT with 0 arguments in B1", err)
	}
	v, err := NewEvaluator(src).EvalCell(t.Context(), "S", 2, 2)
	if err != nil || v.Text() != "13" {
		t.Fatalf("got %q, %v; want 13", v.Text(), err)
	}
}

// noHiddenRows is a source that knows no row is hidden, as SUBTOTAL requires.
type noHiddenRows struct{ *mapSource }

func (noHiddenRows) HiddenRows(string, int, int) (bool, bool) { return false, true }

// TestAggregatesAgree: SUBTOTAL and the aggregates of an array formula report the same for
// each function, including over no numbers at all (0, or #DIV/0! for AVERAGE).
func TestAggregatesAgree(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{
		"S!A1": "4", "S!A2": "'text", "S!A3": "-1.5", "S!A4": "TRUE", "S!A5": "2",
		"S!B1": "'none", "S!B2": "'here",
	})
	tests := []struct{ fn, n, all, none string }{
		{"SUM", "9", "4.5", "0"},
		{"COUNT", "2", "3", "0"},
		{"COUNTA", "3", "5", "2"},
		{"MIN", "5", "-1.5", "0"},
		{"MAX", "4", "4", "0"},
		{"AVERAGE", "1", "1.5", "#DIV/0!"},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			for _, c := range []struct {
				formula string
				array   bool
				want    string
			}{
				{"SUBTOTAL(" + tt.n + ",A1:A5)", false, tt.all},
				{"SUBTOTAL(" + tt.n + ",B1:B2)", false, tt.none},
				{tt.fn + "(IF(A1:A5<>0,A1:A5))", true, tt.all},
				{tt.fn + "(IF(A1:A5>10,A1:A5))", true, tt.none},
			} {
				if tt.fn == "COUNTA" && c.array {
					continue // not an array aggregate
				}
				s := &mapSource{cells: map[string]Cell{}, names: src.names}
				maps.Copy(s.cells, src.cells)
				s.cells["s!C1"] = Cell{Formula: c.formula, Array: c.array}
				v, err := NewEvaluator(noHiddenRows{s}).EvalCell(t.Context(), "S", 3, 1)
				if err != nil || v.Text() != c.want {
					t.Errorf("%s (array %v) = %q, %v; want %q", c.formula, c.array, v.Text(), err, c.want)
				}
			}
		})
	}
}
