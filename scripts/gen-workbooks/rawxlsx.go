package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
)

// rawBook writes OOXML by hand. excelize cannot store cached formula results, error values or
// noisy 17-digit numbers exactly as Excel writes them, and those are the cases the reader must
// handle, so the fixtures control every byte of the sheet XML.
type rawBook struct {
	sheets   []*rawSheet
	names    []rawName
	date1904 bool // old Mac Excel's date system
	manual   bool // calcPr calcMode="manual"
}

type rawSheet struct {
	name  string
	cells map[string]rawCell
}

type rawName struct {
	name, refersTo string
	local          int // -1: workbook scope; else the 0-based sheet index
}

// rawCell is one <c>: t is the OOXML type ("" number, "s" shared string, "str", "b", "e",
// "inlineStr"), v the stored value (for "s", the text itself), f a formula without '='.
type rawCell struct {
	t, v, f string
	s       int // style index; 1 is a date format
}

func (b *rawBook) sheet(name string) *rawSheet {
	for _, s := range b.sheets {
		if s.name == name {
			return s
		}
	}
	s := &rawSheet{name: name, cells: map[string]rawCell{}}
	b.sheets = append(b.sheets, s)
	return s
}

func (b *rawBook) name(name, refersTo string) { b.names = append(b.names, rawName{name, refersTo, -1}) }

func (b *rawBook) removeName(name string) {
	out := b.names[:0]
	for _, n := range b.names {
		if !strings.EqualFold(n.name, name) {
			out = append(out, n)
		}
	}
	b.names = out
}

func (b *rawBook) setRefersTo(name, refersTo string) {
	for i := range b.names {
		if strings.EqualFold(b.names[i].name, name) {
			b.names[i].refersTo = refersTo
		}
	}
}

func (s *rawSheet) num(ref, v string)        { s.cells[ref] = rawCell{v: v} }
func (s *rawSheet) str(ref, v string)        { s.cells[ref] = rawCell{t: "s", v: v} }
func (s *rawSheet) formula(ref, f, v string) { s.cells[ref] = rawCell{f: f, v: v} }

func splitRef(ref string) (col string, row int) {
	i := strings.IndexAny(ref, "0123456789")
	row, _ = strconv.Atoi(ref[i:])
	return ref[:i], row
}

func colIndex(col string) int {
	n := 0
	for _, c := range col {
		n = n*26 + int(c-'A'+1)
	}
	return n
}

func esc(s string) string { return html.EscapeString(s) }

func (b *rawBook) bytes() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	type part struct{ name, body string }
	var parts []part
	// Parts are collected and written at the end so [Content_Types].xml comes first, as Excel
	// writes it.
	put := func(name, body string) error {
		parts = append(parts, part{name, body})
		return nil
	}
	var ct, rels, sheets strings.Builder
	ct.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var sst []string
	sstIndex := map[string]int{}
	for i, s := range b.sheets {
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(s.name), i+1, i+1)
		var body strings.Builder
		body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`)
		refs := make([]string, 0, len(s.cells))
		for r := range s.cells {
			refs = append(refs, r)
		}
		sort.Slice(refs, func(i, j int) bool {
			ci, ri := splitRef(refs[i])
			cj, rj := splitRef(refs[j])
			if ri != rj {
				return ri < rj
			}
			return colIndex(ci) < colIndex(cj)
		})
		row := 0
		for _, ref := range refs {
			_, r := splitRef(ref)
			if r != row {
				if row != 0 {
					body.WriteString(`</row>`)
				}
				fmt.Fprintf(&body, `<row r="%d">`, r)
				row = r
			}
			c := s.cells[ref]
			fmt.Fprintf(&body, `<c r="%s"`, ref)
			if c.s != 0 {
				fmt.Fprintf(&body, ` s="%d"`, c.s)
			}
			if c.t != "" {
				fmt.Fprintf(&body, ` t="%s"`, c.t)
			}
			body.WriteString(`>`)
			if c.f != "" {
				fmt.Fprintf(&body, `<f>%s</f>`, esc(c.f))
			}
			switch {
			case c.t == "s":
				idx, ok := sstIndex[c.v]
				if !ok {
					idx = len(sst)
					sst = append(sst, c.v)
					sstIndex[c.v] = idx
				}
				fmt.Fprintf(&body, `<v>%d</v>`, idx)
			case c.t == "inlineStr":
				fmt.Fprintf(&body, `<is><t>%s</t></is>`, esc(c.v))
			case c.v != "":
				fmt.Fprintf(&body, `<v>%s</v>`, esc(c.v))
			}
			body.WriteString(`</c>`)
		}
		if row != 0 {
			body.WriteString(`</row>`)
		}
		body.WriteString(`</sheetData></worksheet>`)
		if err := put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), body.String()); err != nil {
			return nil, err
		}
	}
	n := len(b.sheets)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, n+1)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, n+2)
	rels.WriteString(`</Relationships>`)
	ct.WriteString(`</Types>`)
	var wb strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	if b.date1904 {
		wb.WriteString(`<workbookPr date1904="1"/>`)
	}
	wb.WriteString(`<sheets>`)
	wb.WriteString(sheets.String())
	wb.WriteString(`</sheets>`)
	if len(b.names) > 0 {
		wb.WriteString(`<definedNames>`)
		for _, d := range b.names {
			if d.local >= 0 {
				fmt.Fprintf(&wb, `<definedName name="%s" localSheetId="%d">%s</definedName>`, esc(d.name), d.local, esc(d.refersTo))
			} else {
				fmt.Fprintf(&wb, `<definedName name="%s">%s</definedName>`, esc(d.name), esc(d.refersTo))
			}
		}
		wb.WriteString(`</definedNames>`)
	}
	if b.manual {
		wb.WriteString(`<calcPr calcId="191029" calcMode="manual"/></workbook>`)
	} else {
		wb.WriteString(`<calcPr calcId="191029"/></workbook>`)
	}
	var ss strings.Builder
	fmt.Fprintf(&ss, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
	for _, s := range sst {
		fmt.Fprintf(&ss, `<si><t xml:space="preserve">%s</t></si>`, esc(s))
	}
	ss.WriteString(`</sst>`)
	styles := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
		`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
		`</styleSheet>`
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wb.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", styles},
		{"xl/sharedStrings.xml", ss.String()},
	} {
		if err := put(p.name, p.body); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].name == "[Content_Types].xml" && parts[j].name != parts[i].name })
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
