package xlsxlite

import (
	"strings"
	"testing"
)

// TestSubtotalIgnoresNestedSubtotals: SUBTOTAL and AGGREGATE skip cells that are themselves
// SUBTOTAL or AGGREGATE formulas, so a grand total over sections counts each row once
// (https://support.microsoft.com/en-us/office/subtotal-function-7b027003-f060-4ade-9040-e478765b9939,
// https://support.microsoft.com/en-us/office/aggregate-function-43b9278e-6aa7-4f17-92b6-e19993fa26df).
// Hidden or filtered rows change the answer, so a range with any is refused.
func TestSubtotalIgnoresNestedSubtotals(t *testing.T) {
	t.Parallel()
	sheet := `<row r="2"><c r="B2"><v>10</v></c></row><row r="3"><c r="B3"><v>5.5</v></c></row>` +
		`<row r="4"><c r="B4"><f>SUBTOTAL(9,B2:B3)</f></c></row>` +
		`<row r="5"><c r="B5"><v>1</v></c></row><row r="6"><c r="B6"><v>2</v></c></row>` +
		`<row r="7"><c r="B7"><f>_xlfn.AGGREGATE(9,4,B5:B6)</f></c></row>` +
		`<row r="8"><c r="B8"><f>SUBTOTAL(109,B2:B7)</f></c><c r="C8"><f>SUM(B2:B7)</f></c><c r="D8"><f>_xlfn.AGGREGATE(9,0,B2:B7)</f></c><c r="E8"><f>_xlfn.AGGREGATE(9,4,B2:B7)</f></c></row>` +
		`<row r="9"><c r="B9"><f>SUBTOTAL(1,B2:B3)</f></c><c r="C9"><f>SUBTOTAL(4,B2:B7)</f></c></row>` +
		`<row r="20" hidden="1"><c r="B20"><v>100</v></c></row><row r="21"><c r="B21"><f>SUBTOTAL(9,B19:B20)</f></c><c r="C21"><f>_xlfn.AGGREGATE(9,4,B19:B20)</f></c><c r="D21"><f>_xlfn.AGGREGATE(9,5,B19:B20)</f></c></row>`
	f, err := Open(writeZip(t, calcParts(sheet)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, want := range map[string]string{"B4": "15.5", "B7": "3", "B8": "18.5", "D8": "18.5", "E8": "37", "C8": "37", "B9": "7.75", "C9": "10", "C21": "100"} {
		if got, err := f.Calc(t.Context(), "It's", ref); err != nil || got != want {
			t.Errorf("Calc(%s) = %q, %v; want %s", ref, got, err, want)
		}
	}
	for _, ref := range []string{"B21", "D21"} {
		if got, err := f.Calc(t.Context(), "It's", ref); err == nil || !strings.Contains(err.Error(), "hidden") {
			t.Errorf("Calc(%s) = %q, %v; want a refusal naming hidden rows", ref, got, err)
		}
	}
}

const relTable = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/table`

// tableParts puts an Excel table "Sales" over Ledger!A1:D6 (header row, four data rows, a
// totals row), as Excel saves it: the table part hangs off the sheet's relationships.
func tableParts(cells, box string) [][2]string {
	parts := basicParts()
	for i, p := range parts {
		switch p[0] {
		case "xl/worksheets/sheet1.xml":
			parts[i][1] = `<?xml version="1.0"?><worksheet ` + nsMain + `><sheetData>` + cells + `</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`
		case "xl/worksheets/sheet2.xml":
			parts[i][1] = `<?xml version="1.0"?><worksheet ` + nsMain + `><sheetData>` + box + `</sheetData></worksheet>`
		}
	}
	return append(parts,
		[2]string{"xl/worksheets/_rels/sheet1.xml.rels", `<?xml version="1.0"?><Relationships ` + relsNS + `><Relationship Id="rId1" Type="` + relTable + `" Target="../tables/table1.xml"/></Relationships>`},
		[2]string{"xl/tables/table1.xml", `<?xml version="1.0"?><table ` + nsMain + ` id="1" name="Sales" displayName="Sales" ref="A1:D6" totalsRowCount="1">` +
			`<autoFilter ref="A1:D5"/><tableColumns count="4"><tableColumn id="1" name="Type"/><tableColumn id="2" name="Net"/>` +
			`<tableColumn id="3" name="VAT" totalsRowFunction="sum"/><tableColumn id="4" name="Net [£]"/></tableColumns></table>`})
}

func is(ref, s string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}

// TestStructuredReferences: Excel tables are read from their table parts, and references to
// them resolve as Microsoft defines them
// (https://support.microsoft.com/en-us/office/using-structured-references-with-excel-tables-f5ed2452-2337-4f71-bed3-c8ae6d2b276e):
// Sales[Net] is the data rows of one column, Sales[#Totals] the totals row, [@Net] the formula's
// own row. Before, such a box was refused as an invalid reference, and excelize summed it to 0.
func TestStructuredReferences(t *testing.T) {
	t.Parallel()
	rows := `<row r="1">` + is("A1", "Type") + is("B1", "Net") + is("C1", "VAT") + is("D1", "Net [£]") + `</row>` +
		`<row r="2">` + is("A2", "Sales") + `<c r="B2"><v>100</v></c><c r="C2"><f>ROUND([@Net]*20%,2)</f></c><c r="D2"><v>1</v></c></row>` +
		`<row r="3">` + is("A3", "Purchase") + `<c r="B3"><v>40.5</v></c><c r="C3"><f>ROUND(Sales[[#This Row],[Net]]*20%,2)</f></c><c r="D3"><v>2</v></c></row>` +
		`<row r="4">` + is("A4", "Sales") + `<c r="B4"><v>10.01</v></c><c r="C4"><f>ROUND(Sales[Net]*20%,2)</f></c><c r="D4"><v>3</v></c></row>` +
		`<row r="5">` + is("A5", "sales") + `<c r="B5"><v>0.05</v></c><c r="C5"><f>ROUND([@[Net]]*20%,2)</f></c><c r="D5"><v>4</v></c></row>` +
		`<row r="6">` + is("A6", "Total") + `<c r="C6"><f>SUBTOTAL(109,[VAT])</f></c></row>`
	box := `<row r="1"><c r="A1"><f>SUMIFS(Sales[VAT],Sales[Type],"Sales")</f></c><c r="B1"><f>SUM(Sales[Net])</f></c>` +
		`<c r="C1"><f>Sales[[#Totals],[VAT]]</f></c><c r="D1"><f>SUM(Sales[[Net]:[VAT]])</f></c><c r="E1"><f>SUM(Sales[Net '[£']])</f></c>` +
		`<c r="F1"><f>SUMPRODUCT((Sales[Type]="Purchase")*Sales[Net])</f></c><c r="G1"><f>SUM(Nope[Net])</f></c></row>`
	f, err := Open(writeZip(t, tableParts(rows, box)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{
		"A1": "22.01",  // 20 + 2.00 + 0.01
		"B1": "150.56", // data rows only: not the header, not the totals row
		"D1": "180.67", // Net and VAT columns
		"E1": "10",     // a column name with escaped brackets
		"F1": "40.5",
		"G1": "#REF!",
	}
	for ref, w := range want {
		got, err := f.Calc(t.Context(), "VAT Return", ref)
		if err != nil || got != w {
			t.Errorf("Calc(%s) = %q, %v; want %s", ref, got, err, w)
		}
	}
	// The totals row's SUBTOTAL(109,[VAT]) sums the data rows of its own table.
	if got, err := f.Calc(t.Context(), "VAT Return", "C1"); err != nil || got != "30.11" {
		t.Errorf("Calc(C1) = %q, %v; want 30.11", got, err)
	}
}
