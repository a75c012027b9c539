package xlsxlite

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

// writeZip writes a package whose parts are given verbatim, so tests can pin exactly the XML
// that Excel, LibreOffice and other writers produce (cached values, shared formulas, prefixes)
// which excelize itself never writes.
func writeZip(t testing.TB, parts [][2]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "book.xlsx")
	fh, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(fh)
	for _, part := range parts {
		w, err := zw.Create(part[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(part[1])); err != nil {
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

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relsNS = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relWS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet`
	relSST = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings`
)

// basicParts is a workbook shaped like one saved by Excel: cached values everywhere.
func basicParts() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships ` + relsNS + `><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook ` + nsMain + `><sheets>` +
			`<sheet name="Ledger" sheetId="1" r:id="rId1"/><sheet name="VAT Return" sheetId="2" r:id="rId2"/><sheet name="It's" sheetId="3" r:id="rId3" state="hidden"/></sheets>` +
			`<definedNames><definedName name="_xlnm.Print_Area" localSheetId="1">'VAT Return'!$A$1:$C$9</definedName>` +
			`<definedName name="Box1">'VAT Return'!$B$1</definedName>` +
			`<definedName name="Box2" localSheetId="1" hidden="1">'VAT Return'!$B$2</definedName>` +
			`<definedName name="Rate">0.2</definedName>` +
			`<definedName name="Weird">'It''s'!$A$1&amp;"x"</definedName></definedNames></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships ` + relsNS + `>` +
			`<Relationship Id="rId1" Type="` + relWS + `" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relWS + `" Target="/xl/worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="` + relWS + `" Target="worksheets/sheet3.xml"/>` +
			`<Relationship Id="rId9" Type="` + relSST + `" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/sharedStrings.xml", `<?xml version="1.0"?><sst ` + nsMain + ` count="4" uniqueCount="4"><si><t>sales</t></si><si><t>purchase</t></si>` +
			`<si><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><r><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>a &amp; b &lt;c&gt; &#163;&#x20AC;</t></si></sst>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet ` + nsMain + `><sheetData>` +
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>100.5</v></c><c r="C1"><f t="shared" ref="C1:C3" si="1">B1*Rate</f><v>20.1</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>40</v></c><c r="C2"><f t="shared" si="1"/><v>8</v></c></row>` +
			`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3"><v>0.1</v></c><c r="C3"><f t="shared" si="1"/><v>2.0000000000000004E-2</v></c></row>` +
			`</sheetData></worksheet>`},
		{"xl/worksheets/sheet2.xml", `<?xml version="1.0"?><worksheet ` + nsMain + `><dimension ref="A1:D9"/><sheetData>` +
			`<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t>VAT due on sales</t></is></c><c r="B1" s="3"><f>SUMIF(Ledger!A1:A3,"sales",Ledger!C1:C3)</f><v>20.12</v></c></row>` +
			`<row r="2"><c r="B2"><f t="shared" ref="B2:B4" si="0">Ledger!B1+1</f><v>101.5</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#DIV/0!</v></c></row>` +
			`<row r="3"><c r="B3"><f t="shared" si="0"/><v>41</v></c><c r="C3" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="D3" t="d"><v>2024-04-01T00:00:00Z</v></c></row>` +
			`<row r="4"><c r="B4"><f t="shared" si="0"/><v>1.1</v></c><c r="C4" t="s"><v>2</v></c><c r="D4" t="s"><v>3</v></c></row>` +
			`<row r="6"><c t="n"><v>7</v></c><c><v>8</v></c><c r="D6"><f>A6+B6</f></c></row>` +
			`<row r="7"><c r="A7"><f>1/0</f><v></v></c><c r="B7" t="b"><f>TRUE()</f><v>0</v></c></row>` +
			`</sheetData><extLst><ext uri="x"><y/></ext></extLst></worksheet>`},
		{"xl/worksheets/sheet3.xml", `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>quoted</x:t></x:is></x:c><x:c r="B1"><x:v><![CDATA[3.5]]></x:v></x:c></x:row>` +
			`</x:sheetData></x:worksheet>`},
	}
}
