package formula

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// mapSource is an in-memory sheet set for testing the evaluator on its own; the xlsxlite tests
// exercise it against real files.
type mapSource struct {
	cells map[string]Cell // key "sheet!A1", sheet lower case
	names map[string]string
}

func newMapSource(cells map[string]string) *mapSource {
	s := &mapSource{cells: map[string]Cell{}, names: map[string]string{}}
	for k, v := range cells {
		sheet, ref, _ := strings.Cut(k, "!")
		key := strings.ToLower(sheet) + "!" + ref
		switch {
		case strings.HasPrefix(v, "="):
			s.cells[key] = Cell{Formula: v[1:]}
		case v == "TRUE" || v == "FALSE":
			s.cells[key] = Cell{Kind: KindBool, Text: v}
		case strings.HasPrefix(v, "#"):
			s.cells[key] = Cell{Kind: KindError, Text: v}
		default:
			if _, ok := ParseNumber(v); ok {
				s.cells[key] = Cell{Kind: KindNumber, Text: v}
			} else {
				s.cells[key] = Cell{Kind: KindString, Text: strings.TrimPrefix(v, "'")}
			}
		}
	}
	return s
}

func (s *mapSource) Cell(_ context.Context, sheet string, col, row int) (Cell, error) {
	if strings.EqualFold(sheet, "missing") {
		return Cell{}, errors.New("no sheet")
	}
	return s.cells[strings.ToLower(sheet)+"!"+CellName(col, row)], nil
}

func (s *mapSource) Scan(_ context.Context, a Ref, fn func(int, int, Cell) error) error {
	type rc struct{ r, c int }
	var keys []rc
	for k := range s.cells {
		sheet, ref, _ := strings.Cut(k, "!")
		if sheet != strings.ToLower(a.Sheet) {
			continue
		}
		c, r, _ := ParseCell(ref)
		if c >= a.C1 && c <= a.C2 && r >= a.R1 && r <= a.R2 {
			keys = append(keys, rc{r, c})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].r != keys[j].r {
			return keys[i].r < keys[j].r
		}
		return keys[i].c < keys[j].c
	})
	for _, k := range keys {
		if err := fn(k.c, k.r, s.cells[strings.ToLower(a.Sheet)+"!"+CellName(k.c, k.r)]); err != nil {
			return err
		}
	}
	return nil
}

func (s *mapSource) Name(name, sheet string) (string, bool) {
	if v, ok := s.names[strings.ToLower(sheet+"!"+name)]; ok {
		return v, true
	}
	v, ok := s.names[strings.ToLower(name)]
	return v, ok
}

func TestEvalFormulas(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{
		"S!A1": "10", "S!A2": "20.5", "S!A3": "'text", "S!A4": "TRUE", "S!A5": "0.1", "S!A6": "0.2",
		"S!B1": "sales", "S!B2": "purchase", "S!B3": "sales", "S!B4": "Sales", "S!B5": "eu", "S!B6": "sales",
		"S!C1": "45383", "S!C2": "45400", "S!C3": "45500", "S!C4": "45383", "S!C5": "45000", "S!C6": "45473",
		"S!D1": "=A1*2", "S!D2": "=D1+1", "S!E1": "=E2", "S!E2": "=E1",
		"It's!A1": "7", "S!F1": "#DIV/0!", "S!G1": strings.Repeat("x", 12000),
	})
	src.names["rate"] = "0.2"
	src.names["box1"] = "S!$A$2"
	src.names["s!local"] = "S!$A$1"
	tests := []struct {
		formula string
		want    string
		err     string
	}{
		{"1+2*3", "7", ""},
		{"(1+2)*3", "9", ""},
		{"-2^2", "4", ""},
		{"2^-1", "0.5", ""},
		{"(10^1024)^1024", "#NUM!", ""},
		{"10^300*10^300*10^300*10^300*10^300*10^300*10^300*10^300*10^300*10^300", "#NUM!", ""},
		{"10/4", "2.5", ""},
		{"1/3", "0.33333333333333333333", ""},
		{"1/0", "#DIV/0!", ""},
		{"0.1+0.2", "0.3", ""},
		{"A5+A6", "0.3", ""},
		{"50%", "0.5", ""},
		{"SUM(A1:A6)", "30.8", ""},
		{"SUM(A:A)", "30.8", ""},
		{"SUM(A1,A3,\"5\")", "15", ""},
		{"SUM(\"x\")", "#VALUE!", ""},
		{"A1+A3", "#VALUE!", ""},
		{"SUMIF(B1:B6,\"sales\",A1:A6)", "10.2", ""},
		{"SUMIF(B1:B6,\"sales\",A1)", "10.2", ""},
		{"SUMIF(B:B,\"<>sales\",A:A)", "20.6", ""},
		{"SUMIF(B1:B6,\"s*\",A1:A6)", "10.2", ""},
		{"SUMIF(B1:B6,\"?u*\",A1:A6)", "20.6", ""},
		{"SUMIF(A1:A6,\">10\")", "20.5", ""},
		{"SUMIFS(A1:A6,B1:B6,\"sales\",C1:C6,\">=\"&C1,C1:C6,\"<=45473\")", "10.2", ""},
		{"SUMIFS(A1:A6,B1:B6,\"sales\",C1:C6,\">=2024-04-01\",C1:C6,\"<\"&DATE(2024,7,1))", "10.2", ""},
		{"SUMIFS(A1:A6,C1:C6,\">45400\")", "0.2", ""},
		{"SUMIFS(A1:A6,C1:C5,\">1\")", "#VALUE!", ""},
		{"DATE(2024,4,1)", "45383", ""},
		{"DATE(2024,13,1)", "45658", ""},
		{"ROUND(2.675,2)", "2.68", ""},
		{"ROUND(-2.675,2)", "-2.68", ""},
		{"ROUNDDOWN(-2.679,2)", "-2.67", ""},
		{"ROUNDUP(2.671,2)", "2.68", ""},
		{"ROUND(1234.5,-2)", "1200", ""},
		{"INT(-1.5)", "-2", ""},
		{"TRUNC(-2.79)", "-2", ""},
		{"TRUNC(2.789,2)", "2.78", ""},
		{"YEAR(45383)", "2024", ""},
		{"MONTH(1)", "1", ""},
		{"DAY(60)", "29", ""},
		{"DAY(61)", "1", ""},
		{"YEAR(-1)", "#NUM!", ""},
		{"EOMONTH(45383,0)", "45412", ""},
		{"EOMONTH(45383,-3)", "45322", ""},
		{"EDATE(45322,1)", "45351", ""},
		{"EDATE(\"2024-01-31\",13)", "45716", ""},
		{"ABS(-3.25)", "3.25", ""},
		{"IF(A1>5,\"big\",\"small\")", "big", ""},
		{"IF(A1<5,1)", "FALSE", ""},
		{"IF(A1>5,,2)", "0", ""},
		{"IF(TRUE,1,1/0)", "1", ""},
		{"IFERROR(1/0,9)", "9", ""},
		{"MIN(A1:A6)", "0.1", ""},
		{"MAX(A1:A6,100)", "100", ""},
		{"AND(A1>1,A2>1)", "TRUE", ""},
		{"OR(A1>100,NOT(TRUE))", "FALSE", ""},
		{"\"a\"&1&TRUE", "a1TRUE", ""},
		{"\"abc\"=\"ABC\"", "TRUE", ""},
		{"G1&G1&G1", "#VALUE!", ""},
		{"1<\"a\"", "TRUE", ""},
		{"D2", "21", ""},
		{"Z99", "0", ""},
		{"rate*A1", "2", ""},
		{"Box1", "20.5", ""},
		{"local+1", "11", ""},
		{"undefinedname", "#NAME?", ""},
		{"'It''s'!A1*2", "14", ""},
		{"F1+1", "#DIV/0!", ""},
		{"SUM(F1,1)", "#DIV/0!", ""},
		{"SUMPRODUCT(C1:C2,C3:C4)", "4125314700", ""},
		{"SUMPRODUCT((B1:B6=\"sales\")*C1:C6)", "181739", ""},
		{"SUMPRODUCT(--(B1:B6=\"purchase\"),A1:A6)", "20.5", ""},
		{"SUMPRODUCT((C1:C6>=45383)*(C1:C6<=45473)*(B1:B6=\"sales\"))", "3", ""},
		{"SUMPRODUCT(A1:A6*2)", "#VALUE!", ""},
		{"SUMPRODUCT(C1:C6,C1:C5)", "#VALUE!", ""},
		{"SUMPRODUCT(ROUND(C1:C6,0))", "272139", ""},
		{"MATCH(\"purchase\",B1:B6,0)", "2", ""},
		{"MATCH(\"SALES\",B1:B6,0)", "1", ""},
		{"MATCH(\"?u*\",B1:B6,0)", "2", ""},
		{"MATCH(\"nope\",B1:B6,0)", "#N/A", ""},
		{"MATCH(45400,C1:C2)", "2", ""},
		{"MATCH(45390,C1:C2,1)", "1", ""},
		{"MATCH(45390,C1:C6,1)", "", "unsupported"},
		{"MATCH(10,A1:A6,0)", "1", ""},
		{"VLOOKUP(\"eu\",B1:C6,2,FALSE)", "45000", ""},
		{"VLOOKUP(\"eu\",B1:C6,2,)", "45000", ""},
		{"VLOOKUP(\"eu\",B1:C6,3,FALSE)", "#REF!", ""},
		{"VLOOKUP(\"zz\",B1:C6,2,FALSE)", "#N/A", ""},
		{"INDEX(C1:C6,3)", "45500", ""},
		{"INDEX(A1:C6,2,3)", "45400", ""},
		{"INDEX(A1:C1,2)", "sales", ""},
		{"INDEX(A1:C6,7,1)", "#REF!", ""},
		{"INDEX(D1:D2,2)", "21", ""},
		{"COUNT(A1:A6)", "4", ""},
		{"COUNT(A1:A6,\"5\",\"x\")", "5", ""},
		{"COUNTA(A1:A6)", "6", ""},
		{"AVERAGE(A1:A6)", "7.7", ""},
		{"AVERAGE(Z1:Z3)", "#DIV/0!", ""},
		{"COUNTIF(B1:B6,\"sales\")", "4", ""},
		{"COUNTIF(B1:B7,\"\")", "1", ""},
		{"COUNTIF(B:B,\"<>sales\")", "1048572", ""},
		{"COUNTIFS(B1:B6,\"sales\",C1:C6,\">=45473\")", "2", ""},
		{"COUNTIFS(B1:B6,\"sales\",C1:C5,\">1\")", "#VALUE!", ""},
		{"E1", "", "circular"},
		{"OFFSET(A1,1,1)", "purchase", ""},
		{"A1:A2", "", "unsupported"},
		{"{1,2}", "", "unsupported"},
		{"[1]S!A1", "", "unsupported"},
		{"1+", "", "syntax"},
		{"SUM(1", "", "syntax"},
		{"missing!A1", "", "no sheet"},
	}
	for _, tt := range tests {
		t.Run(tt.formula, func(t *testing.T) {
			t.Parallel()
			e := NewEvaluator(src)
			v, err := e.EvalFormula(t.Context(), "S", tt.formula)
			if tt.err != "" {
				if err == nil || !strings.Contains(strings.ToLower(err.Error()), tt.err) {
					t.Fatalf("got %q, %v; want error containing %q", v.Text(), err, tt.err)
				}
				if tt.err == "unsupported" && !errors.Is(err, ErrUnsupported) {
					t.Fatalf("error %v does not match ErrUnsupported", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got := v.Text(); got != tt.want {
				t.Fatalf("got %q want %q", got, tt.want)
			}
		})
	}
}

func TestDate1904(t *testing.T) {
	t.Parallel()
	src := newMapSource(map[string]string{"S!A1": "43921", "S!A2": "43920", "S!B1": "5", "S!B2": "7"})
	e := NewEvaluator(src)
	e.Date1904 = true
	for f, want := range map[string]string{
		"DATE(2024,4,1)":                        "43921",
		`SUMIF(A1:A2,">=2024-04-01",B1:B2)`:     "5",
		`SUMIF(A1:A2,"<"&DATE(2024,4,1),B1:B2)`: "7",
	} {
		v, err := e.EvalFormula(t.Context(), "S", f)
		if err != nil || v.Text() != want {
			t.Errorf("%s = %q, %v; want %s", f, v.Text(), err, want)
		}
	}
}

func TestShift(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		dr, dc   int
		want     string
		wantFail bool
	}{
		{"A1+B2", 1, 0, "A2+B3", false},
		{"$A1+B$2", 2, 2, "$A3+D$2", false},
		{"SUM(A1:B2)*'My Sheet'!C3", 1, 1, "SUM(B2:C3)*'My Sheet'!D4", false},
		{"SUM(A:A)", 0, 1, "SUM(B:B)", false},
		{"A1", -1, 0, "#REF!", false},
		{"\"A1\"&A1", 1, 0, "\"A1\"&A2", false},
		{"rate*A1", 1, 0, "rate*A2", false},
		{"\"unterminated", 1, 0, "", true},
	}
	for _, tt := range tests {
		got, err := Shift(tt.in, tt.dr, tt.dc)
		if (err != nil) != tt.wantFail || got != tt.want {
			t.Errorf("Shift(%q,%d,%d) = %q, %v; want %q", tt.in, tt.dr, tt.dc, got, err, tt.want)
		}
	}
}

func TestParseRefs(t *testing.T) {
	t.Parallel()
	x, err := Parse("=SUMIFS(Ledger!$C:$C,Ledger!E:E,\"sales\")+'VAT Return'!B2+Box1+other!Name")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range x.Refs() {
		got = append(got, r.String())
	}
	if want := "Ledger!$C:$C Ledger!E:E 'VAT Return'!B2 BOX1"; strings.Join(got, " ") != want {
		t.Fatalf("refs %q, want %q", strings.Join(got, " "), want)
	}
	if n := fmt.Sprint(x.Names()); n != "[{ Box1} {other Name}]" {
		t.Fatalf("names %s", n)
	}
}

func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{
		"SUM(A1:B2)", "SUMIFS(Ledger!C:C,Ledger!E:E,\"sales\",Ledger!A:A,\">=\"&DATE(2024,4,1))",
		"'It''s'!$A$1*2", "-2^2%", "IF(A1>=1,\"x\",,)", "ROUND(1/3,2)", "#REF!+1", "1:3", "A1:B", "((((1))))",
		"\"a\"\"b\"&c", "1e308*1e308", "2^1024", "_xlfn.SUMIFS(A:A,B:B,1)",
		"SUM(T[[#This Row],[a]:[b]])", "[@x]*2", "T['#x'[]", "SUBTOTAL(109,A1:A9)", "_xlfn.AGGREGATE(9,3,A:A)",
		"SUMPRODUCT(ROUND(A1:A5*20%,2))", "ROUND(SUM(IF(B1:B3=\"x\",A1:A3)),2)", "\"(1,234.50)\"+\"£2\"", "YEAR(\"01/03/2024\")",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := Parse(s)
		if err != nil {
			return
		}
		_ = x.Refs()
		_ = x.Names()
		_, _ = Shift(s, 1, 1)
		e := NewEvaluator(newMapSource(map[string]string{"S!A1": "1", "S!B1": "x"}))
		_, _ = e.EvalFormula(context.Background(), "S", s)
	})
}

// countingSource counts range scans, to pin that the evaluator reuses them.
type countingSource struct {
	*mapSource
	scans int
}

func (c *countingSource) Scan(ctx context.Context, a Ref, fn func(int, int, Cell) error) error {
	c.scans++
	return c.mapSource.Scan(ctx, a, fn)
}

func TestRangeScansAreShared(t *testing.T) {
	t.Parallel()
	src := &countingSource{mapSource: newMapSource(map[string]string{"S!A1": "1", "S!A2": "2", "S!B1": "x", "S!B2": "y"})}
	e := NewEvaluator(src)
	for _, f := range []string{`SUM($A:$A)`, `SUM(A:A)`, `SUMIF(B:B,"x",A:A)`, `SUMIF($B:$B,"y",$A:$A)`} {
		if _, err := e.EvalFormula(t.Context(), "S", f); err != nil {
			t.Fatal(err)
		}
	}
	if src.scans != 2 {
		t.Fatalf("%d scans, want 2 (columns A and B once each)", src.scans)
	}
}
