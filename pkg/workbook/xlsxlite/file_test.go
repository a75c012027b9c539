package xlsxlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOpenMetadata(t *testing.T) {
	t.Parallel()
	f, err := Open(writeZip(t, basicParts()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.SheetNames(), []string{"Ledger", "VAT Return", "It's"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("SheetNames = %q, want %q", got, want)
	}
	want := []DefinedName{
		{Name: "_xlnm.Print_Area", RefersTo: "'VAT Return'!$A$1:$C$9", Scope: "VAT Return"},
		{Name: "Box1", RefersTo: "'VAT Return'!$B$1"},
		{Name: "Box2", RefersTo: "'VAT Return'!$B$2", Scope: "VAT Return", Hidden: true},
		{Name: "Rate", RefersTo: "0.2"},
		{Name: "Weird", RefersTo: `'It''s'!$A$1&"x"`},
	}
	if got := f.DefinedNames(); !reflect.DeepEqual(got, want) {
		t.Fatalf("DefinedNames =\n%+v\nwant\n%+v", got, want)
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			t.Parallel()
			testCell(t, stream)
		})
	}
}

func testCell(t *testing.T, stream bool) {
	f, err := Open(writeZip(t, basicParts()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if stream {
		f.smallSheet = 0
	}
	tests := []struct {
		sheet, ref string
		want       CellValue
	}{
		{"VAT Return", "A1", CellValue{Type: CellString, Cached: "VAT due on sales", HasCached: true}},
		{"VAT Return", "B1", CellValue{Type: CellNumber, Cached: "20.12", Formula: `SUMIF(Ledger!A1:A3,"sales",Ledger!C1:C3)`, HasCached: true}},
		{"VAT Return", "B2", CellValue{Type: CellNumber, Cached: "101.5", Formula: "Ledger!B1+1", HasCached: true}},
		{"VAT Return", "B3", CellValue{Type: CellNumber, Cached: "41", Formula: "Ledger!B2+1", HasCached: true}},
		{"VAT Return", "$B$4", CellValue{Type: CellNumber, Cached: "1.1", Formula: "Ledger!B3+1", HasCached: true}},
		{"VAT Return", "C2", CellValue{Type: CellBool, Cached: "TRUE", HasCached: true}},
		{"VAT Return", "D2", CellValue{Type: CellError, Cached: "#DIV/0!", HasCached: true}},
		{"VAT Return", "C3", CellValue{Type: CellString, Cached: "xy", Formula: `"x"&"y"`, HasCached: true}},
		{"VAT Return", "D3", CellValue{Type: CellDate, Cached: "2024-04-01T00:00:00Z", HasCached: true}},
		{"VAT Return", "C4", CellValue{Type: CellString, Cached: "rich text", HasCached: true}},
		{"VAT Return", "D4", CellValue{Type: CellString, Cached: "a & b <c> £€", HasCached: true}},
		{"VAT Return", "A6", CellValue{Type: CellNumber, Cached: "7", HasCached: true}},
		{"VAT Return", "B6", CellValue{Type: CellNumber, Cached: "8", HasCached: true}},
		{"VAT Return", "D6", CellValue{Type: CellEmpty, Formula: "A6+B6"}},
		{"VAT Return", "A7", CellValue{Type: CellEmpty, Formula: "1/0"}},
		{"VAT Return", "B7", CellValue{Type: CellBool, Cached: "FALSE", Formula: "TRUE()", HasCached: true}},
		{"VAT Return", "Z99", CellValue{Type: CellEmpty}},
		{"vat return", "B2", CellValue{Type: CellNumber, Cached: "101.5", Formula: "Ledger!B1+1", HasCached: true}},
		{"It's", "A1", CellValue{Type: CellString, Cached: "quoted", HasCached: true}},
		{"It's", "B1", CellValue{Type: CellNumber, Cached: "3.5", HasCached: true}},
		{"Ledger", "C3", CellValue{Type: CellNumber, Cached: "2.0000000000000004E-2", Formula: "B3*Rate", HasCached: true}},
	}
	for _, tt := range tests {
		got, err := f.Cell(tt.sheet, tt.ref)
		if err != nil {
			t.Errorf("Cell(%q, %q): %v", tt.sheet, tt.ref, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Cell(%q, %q) = %+v, want %+v", tt.sheet, tt.ref, got, tt.want)
		}
	}
	if _, err := f.Cell("Nope", "A1"); !errors.Is(err, ErrNoSheet) {
		t.Errorf("unknown sheet: %v, want ErrNoSheet", err)
	}
	for _, ref := range []string{"A0", "XFE1", "A1:B2", "", "1A"} {
		if _, err := f.Cell("Ledger", ref); !errors.Is(err, ErrBadRef) {
			t.Errorf("Cell(Ledger, %q): %v, want ErrBadRef", ref, err)
		}
	}
}

func TestCalcOnHandwrittenFile(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			t.Parallel()
			testCalcOnHandwrittenFile(t, stream)
		})
	}
}

func testCalcOnHandwrittenFile(t *testing.T, stream bool) {
	f, err := Open(writeZip(t, basicParts()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if stream {
		f.smallSheet = 0
	}
	tests := []struct{ sheet, ref, want string }{
		{"VAT Return", "B1", "20.12"}, // exact: 100.5*0.2 + 0.1*0.2, not the cached float noise
		{"VAT Return", "B3", "41"},
		{"VAT Return", "B4", "1.1"},
		{"VAT Return", "C3", "xy"},
		{"VAT Return", "D6", "15"},
		{"VAT Return", "A7", "#DIV/0!"},
		{"VAT Return", "B7", "TRUE"},
		{"VAT Return", "D3", "45383"}, // a t="d" cell is a date serial to formulas
		{"VAT Return", "A1", "VAT due on sales"},
		{"Ledger", "C3", "0.02"},
	}
	for _, tt := range tests {
		got, err := f.Calc(t.Context(), tt.sheet, tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("Calc(%q, %q) = %q, %v; want %q", tt.sheet, tt.ref, got, err, tt.want)
		}
	}
}

func TestOpenBadFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	tests := []struct {
		name string
		path string
		is   []error
		msg  string
	}{
		{"ole2", write("enc.xlsx", ole), []error{ErrNotZip, ErrOLE2}, "ole2"},
		{"text", write("t.xlsx", []byte("hello, world")), []error{ErrNotZip}, ""},
		{"empty", write("e.xlsx", nil), []error{ErrNotZip}, ""},
		{"truncated zip", write("c.xlsx", []byte("PK\x03\x04garbage that is not a zip")), []error{ErrCorrupt}, ""},
		{"ods", writeZip(t, [][2]string{{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}}), []error{ErrODS}, ""},
		{"docx", writeZip(t, [][2]string{{"word/document.xml", "<x/>"}}), []error{ErrNotWorkbook}, ""},
		{"bad workbook xml", writeZip(t, [][2]string{{"xl/workbook.xml", "<workbook><sheets><sheet name="}}), []error{ErrCorrupt}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Open(tt.path, Limits{})
			if err == nil {
				f.Close()
				t.Fatal("Open succeeded")
			}
			for _, want := range tt.is {
				if !errors.Is(err, want) {
					t.Errorf("error %q does not match %q", err, want)
				}
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
		})
	}
	if _, err := Open(filepath.Join(dir, "missing.xlsx"), Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestZipBomb(t *testing.T) {
	t.Parallel()
	// 64 MiB of one byte compresses about 1000:1.
	parts := basicParts()
	parts = append(parts, [2]string{"xl/media/bomb.bin", strings.Repeat("0", 64<<20)})
	p := writeZip(t, parts)
	_, err := Open(p, Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.What != "compression ratio" {
		t.Fatalf("Open(bomb) = %v, want a compression-ratio LimitError", err)
	}
	_, err = Open(writeZip(t, basicParts()), Limits{MaxPartSize: 100})
	if !errors.As(err, &le) || le.What != "uncompressed size" {
		t.Fatalf("Open with a tiny part limit = %v, want LimitError", err)
	}
	_, err = Open(writeZip(t, basicParts()), Limits{MaxTotalSize: 1000})
	if !errors.As(err, &le) || le.Part != "" {
		t.Fatalf("Open with a tiny total limit = %v, want LimitError", err)
	}
}
