package csvlink

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func names(f *File) map[string]string {
	m := map[string]string{}
	for _, d := range f.DefinedNames() {
		m[d.Name] = d.RefersTo
	}
	return m
}

func TestBoxRows(t *testing.T) {
	t.Parallel()
	in := "\xef\xbb\xbfbox,value\n# a comment\nvatDueSales,\"1,234.56\"\n\n2,0\nVAT_Box4,(12.00)\nbox 6,£6172\nBox7,1\ntotal_supplies,0\nvatbox9,0\nPeriod End,2026-03-31\n"
	f, err := Parse("/tmp/q1 return.csv", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"vatDueSales":                  "'q1 return.csv'!B3",
		"vatDueAcquisitions":           "'q1 return.csv'!B5",
		"VAT_Box4":                     "'q1 return.csv'!B6",
		"totalValueSalesExVAT":         "'q1 return.csv'!B7",
		"Box7":                         "'q1 return.csv'!B8",
		"totalValueGoodsSuppliedExVAT": "'q1 return.csv'!B9",
		"vatbox9":                      "'q1 return.csv'!B10",
		"PeriodEnd":                    "'q1 return.csv'!B11",
	}
	got := names(f)
	if len(got) != len(want) {
		t.Errorf("names = %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("name %s → %q, want %q", k, got[k], v)
		}
	}
	if f.Layout() != LayoutBoxRows || f.SheetNames()[0] != "q1 return.csv" {
		t.Errorf("layout %s, sheets %q", f.Layout(), f.SheetNames())
	}
	for ref, want := range map[string]CellValue{
		"B3": {Type: TypeString, Cached: "1,234.56", HasCached: true},
		"B6": {Type: TypeString, Cached: "(12.00)", HasCached: true},
		"C3": {Type: TypeEmpty},
		"B4": {Type: TypeEmpty},
	} {
		if v, err := f.Cell("q1 return.csv", ref); err != nil || v != want {
			t.Errorf("Cell(%s) = %+v, %v; want %+v", ref, v, err, want)
		}
	}
	if _, err := f.Cell("other", "B3"); err == nil {
		t.Error("Cell on another sheet succeeded")
	}
}

func TestPeriodRows(t *testing.T) {
	t.Parallel()
	in := "end,vat_sales,vat_acquisitions,vat_reclaimed,total_sales,total_purchases,total_supplies,total_acquisitions,VRN\n" +
		"2025-12-31,1,0,0,1,1,0,0,123456782\n" +
		"31/03/2026,\"1,234.56\",0,500.10,6172,2500,0,0,123456782\n"
	f, err := Parse("p.csv", []byte(in), Options{PeriodEnd: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := names(f)
	if got["vatDueSales"] != "'p.csv'!B3" || got["PeriodEnd"] != "'p.csv'!A3" || got["totalAcquisitionsExVAT"] != "'p.csv'!H3" || got["VRN"] != "'p.csv'!I3" || f.Row() != 3 {
		t.Errorf("names = %v, row %d", got, f.Row())
	}
	one := "PeriodEnd,Box1,Box2,Box4,Box6,Box7,Box8,Box9\n2026-03-31,1,2,3,4,5,6\n"
	f, err = Parse("p.csv", []byte(one), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Cell("p.csv", "H2"); v.Type != TypeEmpty {
		t.Errorf("a missing trailing field = %+v, want empty", v)
	}
}

func TestLayoutErrors(t *testing.T) {
	t.Parallel()
	const periods = "end,vat_sales,vat_acquisitions,vat_reclaimed,total_sales,total_purchases,total_supplies,total_acquisitions\n"
	const boxes = "Box1,1\nBox2,0\nBox4,0\nBox6,0\nBox7,0\nBox8,0\n"
	tests := []struct {
		name, in string
		opts     Options
		row, col int
		words    string
	}{
		{"empty", "\n\n", Options{}, 0, 0, "no rows"},
		{"unknown label", "Sales VAT,12\n", Options{}, 1, 1, `"Sales VAT" is not a box`},
		{"no label", "Box1,1\n,2\n", Options{}, 2, 1, "no label in column A"},
		{"unquoted thousands", "Box1,1,234.56\n", Options{}, 1, 3, `unexpected field "234.56"`},
		{"missing box", boxes, Options{}, 1, 0, "no row for box 9 (totalAcquisitionsExVAT); add the row totalAcquisitionsExVAT,0"},
		{"mcb30 missing columns", "end,vat_sales,vat_reclaimed,total_sales,total_purchases\n2018-06-30,1,2,3,4\n", Options{}, 1, 0, "no column for box 2 (vatDueAcquisitions)"},
		{"unknown heading", "end,vat_sales,notes\n", Options{}, 1, 3, `unknown column heading "notes"`},
		{"repeated heading", "end,Box1,vatDueSales\n", Options{}, 1, 3, "column C repeats column B"},
		{"bad date", periods + "next week,1,0,0,0,0,0,0\n", Options{}, 2, 1, `the period end "next week" is not a date`},
		{"two rows one period", periods + "2026-03-31,1,0,0,0,0,0,0\n31/03/2026,1,0,0,0,0,0,0\n", Options{}, 3, 1, "a second row for the period ending 2026-03-31 (the first is row 2)"},
		{"choose", periods + "2025-12-31,1,0,0,0,0,0,0\n2026-03-31,1,0,0,0,0,0,0\n", Options{}, 0, 0, "the file has 2 periods (ending 2025-12-31, 2026-03-31); choose one"},
		{"no such period", periods + "2025-12-31,1,0,0,0,0,0,0\n", Options{PeriodEnd: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}, 0, 0, "no row for the period ending 2026-03-31; the file has periods ending 2025-12-31"},
		{"stray field", periods + "2026-03-31,1,0,0,0,0,0,0,9\n", Options{}, 2, 9, `field "9" has no column heading`},
		{"header only", periods, Options{}, 1, 0, "no period below it"},
		{"bad csv", "Box1,\"1\n", Options{}, 1, 0, "not valid CSV"},
		{"binary", "Box1,\x00\n", Options{}, 0, 0, "binary data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("f.csv", []byte(tt.in), tt.opts)
			var le *LayoutError
			if !errors.As(err, &le) {
				t.Fatalf("Parse = %v, want a LayoutError", err)
			}
			if le.Row != tt.row || (tt.col != 0 && le.Col != tt.col) || !strings.Contains(le.Error(), tt.words) {
				t.Errorf("error = %q (row %d col %d), want row %d col %d and %q", le, le.Row, le.Col, tt.row, tt.col, tt.words)
			}
		})
	}
}

func TestEncodingAndDelimiters(t *testing.T) {
	t.Parallel()
	// Excel's "CSV (Comma delimited)" on Windows writes '£' as the single byte 0xA3.
	f, err := Parse("w.csv", []byte("Box1;\xa31.50\nBox2;0\nBox4;0\nBox6;0\nBox7;0\nBox8;0\nBox9;0\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Cell("w.csv", "B1"); v.Cached != "£1.50" {
		t.Errorf("Windows-1252 semicolon file: B1 = %q, want £1.50", v.Cached)
	}
	f, err = Parse("t.csv", []byte("Box1\t1\nBox2\t0\nBox4\t0\nBox6\t0\nBox7\t0\nBox8\t0\nBox9\t0\n"), Options{})
	if err != nil || len(f.DefinedNames()) != 7 {
		t.Errorf("tab-separated: %v", err)
	}
}

func TestColumnName(t *testing.T) {
	t.Parallel()
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("box,value\nBox1,\"1,234.56\"\nBox2,0\n"), int64(0))
	f.Add([]byte("end,vat_sales\n2026-03-31,1\n2025-12-31,2\n"), int64(1))
	f.Fuzz(func(t *testing.T, data []byte, days int64) {
		var opts Options
		if days != 0 {
			opts.PeriodEnd = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days%1000))
		}
		file, err := Parse("f.csv", data, opts)
		if err != nil {
			var le *LayoutError
			if !errors.As(err, &le) {
				t.Fatalf("Parse error %v is not a LayoutError", err)
			}
			return
		}
		for _, d := range file.DefinedNames() {
			_, cell, _ := strings.Cut(d.RefersTo, "!")
			if _, err := file.Cell("f.csv", cell); err != nil {
				t.Fatalf("name %s → %s: %v", d.Name, d.RefersTo, err)
			}
		}
	})
}
