package ods

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

const fixtures = "../../../testdata/workbooks"

func TestExcelFormula(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"of:=[.C7]+[.C8]":                       "C7+C8",
		"of:=ABS([.C9]-[.C10])":                 "ABS(C9-C10)",
		"of:=SUM([.C2:.C9];[$Ledger.B1])":       "SUM(C2:C9,Ledger!B1)",
		"of:=[$'VAT Return'.$C$7]*0.2":          "'VAT Return'!$C$7*0.2",
		`of:=IF([.A1]="a;[b]";1;2)`:             `IF(A1="a;[b]",1,2)`,
		"'vat return'!#ref!":                    "'vat return'!#ref!",
		"of:=['file:///x.ods'#$Sheet1.A1]":      "[file:///x.ods]Sheet1!A1",
		"of:=[$'It''s VAT'.$C$7:.$C$9]":         "'It''s VAT'!$C$7:$C$9",
		"of:=[$Sheet1.A1:$Sheet2.B2]":           "Sheet1!A1:Sheet2!B2",
		"of:=[.A1":                              "[.A1",
		"0.2*[$'VAT Return'.$C$7]":              "0.2*'VAT Return'!$C$7",
		"of:=SUMIF([$Ledger.A:.A];\"x\";[.B1])": `SUMIF(Ledger!A:A,"x",B1)`,
		"of:=[$'Sales & purchases'.B1]":         "'Sales & purchases'!B1",
		"of:=[$Sales-2026.B1]":                  "'Sales-2026'!B1",
		"msoxl:=A1+1":                           "A1+1",
	} {
		if got := ExcelFormula(in); got != want {
			t.Errorf("ExcelFormula(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"$'VAT Return'.$C$7":        "'VAT Return'!$C$7",
		"$'VAT Return'.$A$1:.$C$15": "'VAT Return'!$A$1:$C$15",
		"$Sheet1.$C$7":              "Sheet1!$C$7",
		".C7":                       "C7",
		"$'It''s VAT'.$C$7":         "'It''s VAT'!$C$7",
		"$#REF!.$C$7":               "'#REF!'!$C$7",
	} {
		if got := RangeAddress(in); got != want {
			t.Errorf("RangeAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// part is one zip entry of a hand-made spreadsheet.
type part struct {
	name, body string
}

func writeODS(t testing.TB, parts ...part) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "book.ods")
	fh, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(fh)
	for _, pt := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pt.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(pt.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

const contentHead = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:body><office:spreadsheet>`
const contentTail = `</office:spreadsheet></office:body></office:document-content>`

func mime() part { return part{name: "mimetype", body: MimeType} }

func content(body string) part {
	return part{name: "content.xml", body: contentHead + body + contentTail}
}

// TestHugeSheet reads boxes below 200,000 ledger rows and a million declared-empty rows: repeats
// are counted, not expanded, and resolving every named cell costs one scan after the names.
func TestHugeSheet(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<table:table table:name="Ledger">`)
	for i := range 200_000 {
		fmt.Fprintf(&b, `<table:table-row><table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell></table:table-row>`, i, i)
	}
	b.WriteString(`<table:table-row table:number-rows-repeated="800000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`)
	b.WriteString(`<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:formula="of:=SUM([.A1:.A200000])" office:value-type="float" office:value="19999900000"><text:p>x</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"/></table:table-row>`)
	b.WriteString(`</table:table><table:named-expressions>`)
	b.WriteString(`<table:named-range table:name="Total" table:cell-range-address="$Ledger.$C$1000001"/>`)
	b.WriteString(`<table:named-range table:name="Flag" table:cell-range-address="$Ledger.$D$1000001"/>`)
	b.WriteString(`<table:named-range table:name="Row7" table:cell-range-address="$Ledger.$A$7"/>`)
	b.WriteString(`</table:named-expressions>`)
	f, err := Open(writeODS(t, mime(), content(b.String())), xlsxlite.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]CellValue{
		"C1000001": {Type: TypeNumber, Cached: "19999900000", Formula: "SUM(A1:A200000)", HasCached: true},
		"D1000001": {Type: TypeBool, Cached: "TRUE", HasCached: true},
		"A7":       {Type: TypeNumber, Cached: "6", HasCached: true},
		"E1000001": {Type: TypeEmpty},
	}
	for _, ref := range []string{"C1000001", "D1000001", "A7", "E1000001"} {
		v, err := f.Cell("Ledger", ref)
		if err != nil || v != want[ref] {
			t.Errorf("Cell(%s) = %+v, %v; want %+v", ref, v, err, want[ref])
		}
	}
	// One scan for the names, one for all three named cells, one for E1000001, which no name
	// refers to.
	if f.scans != 3 {
		t.Errorf("scans = %d, want 3", f.scans)
	}
}

func TestCells(t *testing.T) {
	t.Parallel()
	body := `<table:table table:name="S"><table:table-row>` +
		`<table:table-cell office:value-type="percentage" office:value="0.2"><text:p>20%</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="currency" office:currency="GBP" office:value="-12"><text:p>(£12.00)</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="date" office:date-value="2026-03-31T00:00:00"><text:p>31/03/26</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b</text:p><text:p>c<text:span>d</text:span></text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell>` +
		`<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>` +
		`<table:table-cell table:formula="of:=[.A1]*2"/>` +
		`<table:covered-table-cell table:number-columns-repeated="3"/>` +
		`<table:table-cell office:value-type="time" office:time-value="PT12H00M00S"><text:p>12:00:00</text:p></table:table-cell>` +
		`</table:table-row></table:table>`
	f, err := Open(writeODS(t, mime(), content(body)), xlsxlite.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, want := range map[string]CellValue{
		"A1": {Type: TypeNumber, Cached: "0.2", HasCached: true},
		"B1": {Type: TypeNumber, Cached: "-12", HasCached: true},
		"C1": {Type: TypeDate, Cached: "2026-03-31T00:00:00", HasCached: true},
		"D1": {Type: TypeString, Cached: "a  b\ncd", HasCached: true},
		"E1": {Type: TypeError, Cached: "#DIV/0!", Formula: "1/0", HasCached: true},
		"F1": {Type: TypeEmpty, Formula: "A1*2"},
		"H1": {Type: TypeEmpty},
		"J1": {Type: TypeString, Cached: "12:00:00", HasCached: true},
	} {
		if v, err := f.Cell("S", ref); err != nil || v != want {
			t.Errorf("Cell(%s) = %+v, %v; want %+v", ref, v, err, want)
		}
	}
	if _, err := f.Cell("Nope", "A1"); !errors.Is(err, ErrNoSheet) {
		t.Errorf("unknown sheet: %v", err)
	}
	if _, err := f.Cell("S", "A0"); !errors.Is(err, ErrBadRef) {
		t.Errorf("bad ref: %v", err)
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	f, err := Open(filepath.Join(fixtures, "sheet-scoped.ods"), xlsxlite.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.DefinedNames()
	local, global := 0, 0
	for _, d := range names {
		if d.Scope == "VAT Return" {
			local++
		} else if d.Scope == "" && d.Name == "Box1" && d.RefersTo == "'VAT Return'!$C$7" {
			global++
		}
	}
	if local != 9 || global != 1 || len(names) != 10 {
		t.Errorf("names = %+v; want 9 local to 'VAT Return' and a workbook Box1", names)
	}
	if s := f.SheetNames(); len(s) != 2 || s[0] != "VAT Return" || s[1] != "Notes" {
		t.Errorf("sheets = %q", s)
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("<table:table-row/>", 1<<18) // 4.5 MB that compresses 410 to 1
	tests := []struct {
		name   string
		parts  []part
		limit  xlsxlite.Limits
		is     error
		limit2 bool
	}{
		{"not ods", []part{{name: "mimetype", body: "application/vnd.oasis.opendocument.text"}, content("")}, xlsxlite.Limits{}, ErrNotODS, false},
		{"no mimetype", []part{content("")}, xlsxlite.Limits{}, ErrNotODS, false},
		{"encrypted", []part{mime(), {name: "META-INF/manifest.xml", body: `<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`}, content("")}, xlsxlite.Limits{}, ErrEncrypted, false},
		{"no content", []part{mime()}, xlsxlite.Limits{}, ErrCorrupt, false},
		{"no sheets", []part{mime(), content("")}, xlsxlite.Limits{}, ErrCorrupt, false},
		{"bad xml", []part{mime(), {name: "content.xml", body: contentHead + "<table:table"}}, xlsxlite.Limits{}, ErrCorrupt, false},
		{"ratio bomb", []part{mime(), content(`<table:table table:name="S">` + big + `</table:table>`)}, xlsxlite.Limits{MaxRatio: 400}, nil, true},
		{"part limit", []part{mime(), content(`<table:table table:name="S"/>`)}, xlsxlite.Limits{MaxPartSize: 100}, nil, true},
		{"total limit", []part{mime(), content(`<table:table table:name="S"/>`)}, xlsxlite.Limits{MaxTotalSize: 100}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Open(writeODS(t, tt.parts...), tt.limit)
			var le *xlsxlite.LimitError
			switch {
			case tt.limit2 && !errors.As(err, &le):
				t.Errorf("Open = %v, want a LimitError", err)
			case tt.is != nil && !errors.Is(err, tt.is):
				t.Errorf("Open = %v, want %v", err, tt.is)
			}
		})
	}
}

// TestLyingSize holds the reader to what it inflates, not what the zip directory declares.
func TestLyingSize(t *testing.T) {
	t.Parallel()
	p := writeODS(t, mime(), content(`<table:table table:name="S"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>`))
	f, err := Open(p, xlsxlite.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.content.UncompressedSize64 = 10 // the directory now understates the part
	rc, err := open(f.content, 10)
	if err == nil {
		if _, err = rc.Read(make([]byte, 100)); err == nil {
			_, err = rc.Read(make([]byte, 100))
		}
	}
	var le *xlsxlite.LimitError
	if !errors.As(err, &le) {
		t.Errorf("reading past the limit = %v, want a LimitError", err)
	}
}

// TestOtherPrefixes reads a document that binds the OpenDocument namespaces to prefixes other
// than LibreOffice's: attributes are found by namespace, not by spelling.
func TestOtherPrefixes(t *testing.T) {
	t.Parallel()
	body := `<?xml version="1.0"?><o:document-content xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:x="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><o:body><o:spreadsheet>` +
		`<t:table t:name="S"><t:table-row t:number-rows-repeated="2"><t:table-cell/></t:table-row><t:table-row><t:table-cell t:number-columns-repeated="2"/><t:table-cell o:value-type="float" o:value="42.5"><x:p>42.50</x:p></t:table-cell></t:table-row></t:table>` +
		`<t:named-expressions><t:named-range t:name="Box1" t:cell-range-address="$S.$C$3"/></t:named-expressions></o:spreadsheet></o:body></o:document-content>`
	f, err := Open(writeODS(t, mime(), part{name: "content.xml", body: body}), xlsxlite.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := f.DefinedNames(); len(n) != 1 || n[0].RefersTo != "S!$C$3" {
		t.Errorf("names = %+v", n)
	}
	if v, err := f.Cell("S", "C3"); err != nil || v.Cached != "42.5" || v.Type != TypeNumber {
		t.Errorf("C3 = %+v, %v", v, err)
	}
}
