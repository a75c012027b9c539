// Command gen-workbooks writes the workbook fixtures in testdata/workbooks: one file per case the
// reader must handle (good layouts, every malformed defined name, bad cell values, bad files).
// Run from the module root: go run ./scripts/gen-workbooks [-out testdata/workbooks]
// With -ledger PATH it writes only a large generated ledger (see pkg/workbook/workbooktest).
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"flag"
	"fmt"
	"hash/crc32"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/workbook"
	"github.com/vatbridge/vat/pkg/workbook/workbooktest"
)

const ret = "VAT Return"

// boxRow is the row of box n on the standard return sheet.
func boxRow(n int) int { return 6 + n }

func boxCell(n int) string { return "C" + strconv.Itoa(boxRow(n)) }

// standard is a valid return with typed numbers, box 3 and box 5 as formulas with cached values
// (as Excel saves them), and workbook-scoped names Box1..Box9.
func standard() *rawBook {
	b := &rawBook{}
	s := b.sheet(ret)
	s.str("A1", "VAT return")
	vals := map[int]string{1: "1234.56", 2: "0", 4: "500.1", 6: "6172", 7: "2500", 8: "0", 9: "0"}
	for n := 1; n <= 9; n++ {
		s.str("B"+strconv.Itoa(boxRow(n)), fmt.Sprintf("Box %d", n))
		if v, ok := vals[n]; ok {
			s.num(boxCell(n), v)
		}
		b.name(fmt.Sprintf("Box%d", n), fmt.Sprintf("'%s'!$C$%d", ret, boxRow(n)))
	}
	s.formula(boxCell(3), "C7+C8", "1234.56")
	s.formula(boxCell(5), "ABS(C9-C10)", "734.46")
	return b
}

func main() {
	out := flag.String("out", "testdata/workbooks", "directory to write the fixtures to")
	ledgerOut := flag.String("ledger", "", "instead of the fixtures, write only a generated ledger workbook to this path (for benchmarks)")
	ledgerRows := flag.Int("rows", 200000, "ledger rows for -ledger")
	ledgerCached := flag.Bool("cached", true, "store cached formula results in the -ledger workbook, as Excel does")
	flag.Parse()
	if *ledgerOut != "" {
		want, err := workbooktest.WriteLedger(*ledgerOut, workbooktest.LedgerOptions{Rows: *ledgerRows, Cached: *ledgerCached})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %s: %d rows, box 1 = %s, box 6 = %s\n", *ledgerOut, *ledgerRows, want.VATDueSales, want.TotalValueSalesExVAT)
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	raw := func(name string, edit func(b *rawBook, s *rawSheet)) {
		b := standard()
		if edit != nil {
			edit(b, b.sheet(ret))
		}
		data, err := b.bytes()
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		write(name, data)
	}

	raw("good-basic.xlsx", func(b *rawBook, s *rawSheet) {
		s.str("B3", "Period start")
		s.cells["C3"] = rawCell{v: "46023", s: 1} // 2026-01-01 as a date-formatted serial
		s.str("B4", "Period end")
		s.str("C4", "2026-03-31")
		s.str("B5", "VRN")
		s.str("C5", "GB 123 4567 82")
		b.name("PeriodStart", "'VAT Return'!$C$3")
		b.name("periodend", "'VAT Return'!$C$4")
		b.name("VRN", "'VAT Return'!$C$5")
		b.name("_xlnm.Print_Area", "'VAT Return'!$A$1:$C$15")
	})
	raw("good-conventions.xlsx", func(b *rawBook, s *rawSheet) {
		// Every default naming convention, in mixed case, one per box.
		alias := map[int]string{1: "vatDueSales", 2: "VAT_BOX2", 3: "vatbox3", 4: "VATRECLAIMEDCURRPERIOD", 5: "vat_box5", 6: "TotalValueSalesExVAT", 7: "VATBox7", 8: "box8", 9: "totalAcquisitionsExVAT"}
		b.names = nil
		for n := 1; n <= 9; n++ { // in box order: map order would make the file differ per run
			b.name(alias[n], fmt.Sprintf("'%s'!$C$%d", ret, boxRow(n)))
		}
	})
	raw("sheet-scoped.xlsx", func(b *rawBook, s *rawSheet) {
		b.sheet("Notes").str("A1", "other sheet first in scope order")
		for i := range b.names {
			b.names[i].local = 0
		}
		// The same name, at workbook scope, pointing at the same cell is harmless.
		b.name("Box1", "'VAT Return'!$C$7")
	})
	quoted := "It's VAT"
	{
		b := &rawBook{}
		std := standard()
		s := b.sheet(quoted)
		for k, v := range std.sheet(ret).cells {
			s.cells[k] = v
		}
		for _, n := range std.names {
			b.name(n.name, strings.Replace(n.refersTo, "'VAT Return'", "'It''s VAT'", 1))
		}
		data, err := b.bytes()
		if err != nil {
			log.Fatal(err)
		}
		write("quoted-sheet.xlsx", data)
	}
	for file, refersTo := range map[string]string{
		"ref-range.xlsx":         "'VAT Return'!$C$7:$C$8",
		"ref-deleted.xlsx":       "'VAT Return'!#REF!",
		"ref-external.xlsx":      "[1]Sheet1!$C$7",
		"ref-formula.xlsx":       "0.2*'VAT Return'!$C$7",
		"ref-constant.xlsx":      "100",
		"ref-missing-sheet.xlsx": "Gone!$C$7",
	} {
		raw(file, func(b *rawBook, s *rawSheet) { b.setRefersTo("Box1", refersTo) })
	}
	raw("duplicate-names.xlsx", func(b *rawBook, s *rawSheet) {
		s.num("C20", "99")
		b.name("vatDueSales", "'VAT Return'!$C$20")
	})
	raw("missing-name.xlsx", func(b *rawBook, s *rawSheet) { b.removeName("Box4") })
	raw("text-numbers.xlsx", func(b *rawBook, s *rawSheet) {
		s.str(boxCell(1), "£1,234.56")
		s.str(boxCell(4), "(500.10)") // accountants' negative: box 5 = |1234.56 − −500.10|
		s.formula(boxCell(5), "ABS(C9-C10)", "1734.66")
		s.cells[boxCell(6)] = rawCell{t: "inlineStr", v: "6,172"}
	})
	// Boxes 3 and 5 are typed, as they would be in a return copied from a paper form: as
	// formulas, their saved results would be stale (Excel computes #VALUE! from "n/a", and
	// 1235.56 from TRUE), which is a different problem from the one these fixtures test.
	typed35 := func(s *rawSheet) {
		s.num(boxCell(3), "1234.56")
		s.num(boxCell(5), "734.46")
	}
	raw("text-not-number.xlsx", func(b *rawBook, s *rawSheet) { s.str(boxCell(1), "n/a"); typed35(s) })
	raw("error-cells.xlsx", func(b *rawBook, s *rawSheet) {
		s.cells[boxCell(1)] = rawCell{t: "e", f: "1/0", v: "#DIV/0!"}
		s.cells[boxCell(2)] = rawCell{t: "e", f: "#REF!+1", v: "#REF!"}
		s.cells[boxCell(4)] = rawCell{t: "e", f: "NOSUCHFUNC(1)", v: "#NAME?"}
		s.cells[boxCell(3)] = rawCell{t: "e", f: "C7+C8", v: "#DIV/0!"}
		s.cells[boxCell(5)] = rawCell{t: "e", f: "ABS(C9-C10)", v: "#DIV/0!"}
	})
	raw("booleans.xlsx", func(b *rawBook, s *rawSheet) { s.cells[boxCell(2)] = rawCell{t: "b", v: "1"}; typed35(s) })
	raw("empty-cell.xlsx", func(b *rawBook, s *rawSheet) {
		delete(s.cells, boxCell(8))                  // no <c> at all
		s.cells[boxCell(9)] = rawCell{t: "s", v: ""} // a cell holding the empty string
	})
	raw("float-noise.xlsx", func(b *rawBook, s *rawSheet) {
		// The 17-significant-digit forms Excel writes for sums that are really whole pence.
		s.num(boxCell(1), "50244367.170000002")
		s.formula(boxCell(3), "C7+C8", "50244367.170000002")
		s.num(boxCell(4), "0.30000000000000004")
		s.formula(boxCell(5), "ABS(C9-C10)", "50244366.869999997")
		s.num(boxCell(6), "251221835.99999997")
	})
	raw("extra-precision.xlsx", func(b *rawBook, s *rawSheet) {
		s.num(boxCell(1), "12.345")
		s.formula(boxCell(3), "C7+C8", "12.345")
		s.num(boxCell(4), "0")
		s.formula(boxCell(5), "ABS(C9-C10)", "12.345")
		s.num(boxCell(6), "1234.56")
	})
	raw("box3-box5-missing.xlsx", func(b *rawBook, s *rawSheet) {
		b.removeName("Box3")
		b.removeName("Box5")
	})
	raw("box3-disagrees.xlsx", func(b *rawBook, s *rawSheet) { typed35(s); s.num(boxCell(3), "1000") })
	// Saved by a program that changed box 1's inputs without recalculating: box 1's saved result
	// is the old total, and boxes 3 and 5 follow it consistently, so only recomputing shows it.
	raw("stale-results.xlsx", func(b *rawBook, s *rawSheet) {
		s.num("E7", "1000")
		s.num("E8", "300")
		s.formula(boxCell(1), "SUM(E7:E8)", "1234.56")
	})
	// Box 1 depends, through E7, on TODAY(): its saved result is what it was on the day the file
	// was last calculated.
	raw("volatile.xlsx", func(b *rawBook, s *rawSheet) {
		s.formula("E7", "IF(TODAY()>45000,1234.56,0)", "1234.56")
		s.formula(boxCell(1), "E7", "1234.56")
	})
	// Box 1 sums a dynamic range: OFFSET over the rows E7:E8, saved result up to date.
	raw("offset.xlsx", func(b *rawBook, s *rawSheet) {
		s.num("E7", "1000")
		s.num("E8", "234.56")
		s.formula(boxCell(1), "SUM(OFFSET(E7,0,0,2,1))", "1234.56")
	})
	// Manual calculation, results up to date: a warning, not a refusal.
	raw("manual-calc.xlsx", func(b *rawBook, s *rawSheet) { b.manual = true })
	raw("box5-disagrees.xlsx", func(b *rawBook, s *rawSheet) { s.num(boxCell(5), "700") })
	raw("negative-box5.xlsx", func(b *rawBook, s *rawSheet) {
		s.num(boxCell(4), "2000")
		s.formula(boxCell(5), "C9-C10", "-765.44")
	})
	raw("no-cache.xlsx", func(b *rawBook, s *rawSheet) {
		// As code writes it: formulas with no cached results, over a small ledger.
		l := b.sheet("Ledger")
		l.str("A1", "Net")
		l.str("B1", "VAT")
		l.str("C1", "Type")
		rows := []struct{ net, vat, typ string }{{"1000", "200", "Sales"}, {"250.5", "50.1", "Sales"}, {"400", "80", "Purchase"}, {"0.03", "0.01", "Sales"}}
		for i, r := range rows {
			row := strconv.Itoa(i + 2)
			l.num("A"+row, r.net)
			l.num("B"+row, r.vat)
			l.str("C"+row, r.typ)
		}
		s.cells[boxCell(1)] = rawCell{f: `SUMIF(Ledger!C2:C5,"Sales",Ledger!B2:B5)`}
		s.cells[boxCell(3)] = rawCell{f: "C7+C8"}
		s.cells[boxCell(4)] = rawCell{f: `SUMIF(Ledger!C2:C5,"Purchase",Ledger!B2:B5)`}
		s.cells[boxCell(5)] = rawCell{f: "ABS(C9-C10)"}
		s.cells[boxCell(6)] = rawCell{f: `ROUNDDOWN(SUMIF(Ledger!C2:C5,"Sales",Ledger!A2:A5),0)`}
		s.cells[boxCell(7)] = rawCell{f: `ROUNDDOWN(SUMIF(Ledger!C2:C5,"Purchase",Ledger!A2:A5),0)`}
	})
	raw("custom-names.xlsx", func(b *rawBook, s *rawSheet) {
		b.names = nil
		custom := map[int]string{1: "SalesVAT", 2: "EUVAT", 4: "InputVAT", 5: "NetVAT", 6: "Sales", 7: "Purchases", 8: "EUSupplies", 9: "EUAcquisitions"}
		for n := 1; n <= 9; n++ {
			if a, ok := custom[n]; ok {
				b.name(a, fmt.Sprintf("'%s'!$C$%d", ret, boxRow(n)))
			}
		}
	})
	write("custom-names.map", []byte(`# Map for custom-names.xlsx: its own names, and box 3 by cell reference.
box1 = SalesVAT
box2 = EUVAT
box3 = 'VAT Return'!$C$9
vatReclaimedCurrPeriod = InputVAT
box 5 = NetVAT
box6 = Sales
box7 = Purchases
box8 = EUSupplies
box9 = EUAcquisitions
`))
	raw("period-bad.xlsx", func(b *rawBook, s *rawSheet) {
		s.str("C3", "next Tuesday")
		s.num("C4", "46112")
		s.str("C5", "12345")
		b.name("PeriodStart", "'VAT Return'!$C$3")
		b.name("PeriodEnd", "'VAT Return'!$C$4")
		b.name("VRN", "'VAT Return'!$C$5")
	})
	raw("date1904.xlsx", func(b *rawBook, s *rawSheet) {
		// Old Mac Excel counts from 1904-01-01: serial 44650 is 2026-03-31 there (46112 in 1900).
		b.date1904 = true
		s.cells["C3"] = rawCell{v: "44561", s: 1}
		s.cells["C4"] = rawCell{v: "44650", s: 1}
		b.name("PeriodStart", "'VAT Return'!$C$3")
		b.name("PeriodEnd", "'VAT Return'!$C$4")
	})
	raw("no-names.xlsx", func(b *rawBook, s *rawSheet) { b.names = nil })
	largeLedger(write)

	// Files that are not (readable) workbooks.
	good, err := os.ReadFile(filepath.Join(*out, "good-basic.xlsx"))
	if err != nil {
		log.Fatal(err)
	}
	write("corrupt.xlsx", good[:len(good)/2])
	write("not-a-workbook.xlsx", []byte("Date,Net,VAT\n2026-01-03,100,20\n"))
	write("empty.xlsx", nil)
	write("legacy.xls", legacyXLS())
	write("spreadsheet.ods", zipOf([]zipPart{
		{name: "mimetype", body: "application/vnd.oasis.opendocument.spreadsheet", store: true},
		{name: "content.xml", body: `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`},
	}))
	write("binary.xlsb", zipOf([]zipPart{{name: "[Content_Types].xml", body: "<Types/>"}, {name: "xl/workbook.bin", body: "\x83\x01\x00"}}))
	write("document.docx", zipOf([]zipPart{{name: "[Content_Types].xml", body: "<Types/>"}, {name: "word/document.xml", body: "<w:document/>"}}))
	// A bomb: one real megabyte of zeros compresses ~1000:1; its header also claims 5 GiB.
	write("zip-bomb.xlsx", zipOf([]zipPart{
		{name: "[Content_Types].xml", body: "<Types/>"},
		{name: "xl/workbook.xml", body: "<workbook/>"},
		{name: "xl/worksheets/sheet1.xml", body: strings.Repeat("\x00", 1<<20), declared: 5 << 30},
	}))
	// A bomb by ratio alone: 64 MiB of one repeated byte, honestly declared.
	write("zip-bomb-ratio.xlsx", zipOf([]zipPart{
		{name: "[Content_Types].xml", body: "<Types/>"},
		{name: "xl/workbook.xml", body: "<workbook/>"},
		{name: "xl/worksheets/sheet1.xml", body: strings.Repeat("<", 64<<20)},
	}))
	// An enormous sheet: plausible compression, but 300 MiB of XML once unpacked.
	write("enormous-sheet.xlsx", zipOf([]zipPart{
		{name: "[Content_Types].xml", body: "<Types/>"},
		{name: "xl/workbook.xml", body: "<workbook/>"},
		{name: "xl/worksheets/sheet1.xml", body: "<worksheet/>", declared: 300 << 20, declaredCompressed: 30 << 20},
	}))

	// Files written by excelize: the template and an encrypted copy of good-basic.
	tpl := filepath.Join(*out, "template.xlsx")
	os.Remove(tpl)
	if err := workbook.WriteTemplate(tpl); err != nil {
		log.Fatal(err)
	}
	if err := encrypted(filepath.Join(*out, "encrypted-pw-secret.xlsx"), "secret"); err != nil {
		log.Fatal(err)
	}
}

// encrypted writes the standard return with excelize and encrypts it. It is built with
// excelize.NewFile rather than by re-saving a raw fixture: excelize v2.11.1 writes an encrypted
// package it cannot decrypt again when the plain package is only a few kilobytes.
func encrypted(path, password string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ret); err != nil {
		return err
	}
	vals := map[int]float64{1: 1234.56, 2: 0, 3: 1234.56, 4: 500.1, 5: 734.46, 6: 6172, 7: 2500, 8: 0, 9: 0}
	for n := 1; n <= 9; n++ {
		if err := f.SetCellValue(ret, boxCell(n), vals[n]); err != nil {
			return err
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("Box%d", n), RefersTo: fmt.Sprintf("'%s'!$C$%d", ret, boxRow(n))}); err != nil {
			return err
		}
	}
	os.Remove(path)
	return f.SaveAs(path, excelize.Options{Password: password})
}

type zipPart struct {
	name, body         string
	store              bool
	declared           uint64 // when set, the uncompressed size the headers claim
	declaredCompressed uint64
}

// zipOf writes a zip whose headers can lie about sizes, as a hostile file would.
func zipOf(parts []zipPart) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.store {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
			if err != nil {
				log.Fatal(err)
			}
			w.Write([]byte(p.body))
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		// Writing into a bytes.Buffer cannot fail; a failure here is a bug in this generator.
		if _, err := fw.Write([]byte(p.body)); err != nil {
			panic(err)
		}
		if err := fw.Close(); err != nil {
			panic(err)
		}
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(p.body)),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(p.body))}
		if p.declared != 0 {
			h.UncompressedSize64 = p.declared
		}
		if p.declaredCompressed != 0 {
			h.CompressedSize64 = p.declaredCompressed
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			log.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// largeLedger writes a 20,000-row ledger with the return's formulas carrying cached values
// computed here exactly in pence, as Excel would have saved them.
func largeLedger(write func(string, []byte)) {
	b := &rawBook{}
	s := b.sheet(ret)
	l := b.sheet("Ledger")
	for i, h := range []string{"Date", "Description", "Net", "VAT", "Type"} {
		l.str(string(rune('A'+i))+"1", h)
	}
	const rows = 20000
	var sales, purchases, salesVAT, purchVAT int64
	for i := 0; i < rows; i++ {
		row := strconv.Itoa(i + 2)
		net := int64(1000 + (i*7919)%500000) // pence, deterministic
		vat := net / 5
		typ := "Sales"
		if i%3 == 0 {
			typ = "Purchase"
			purchases += net
			purchVAT += vat
		} else {
			sales += net
			salesVAT += vat
		}
		l.cells["A"+row] = rawCell{v: strconv.Itoa(46023 + i%90), s: 1}
		l.str("B"+row, "Item "+row)
		l.num("C"+row, pence(net))
		l.num("D"+row, pence(vat))
		l.str("E"+row, typ)
	}
	last := strconv.Itoa(rows + 1)
	sumif := func(typ, col string) string {
		return fmt.Sprintf(`SUMIF(Ledger!$E$2:$E$%s,"%s",Ledger!$%s$2:$%s$%s)`, last, typ, col, col, last)
	}
	net := salesVAT - purchVAT
	if net < 0 {
		net = -net
	}
	cells := map[int][2]string{
		1: {sumif("Sales", "D"), pence(salesVAT)},
		2: {"0", "0"},
		3: {"C7+C8", pence(salesVAT)},
		4: {sumif("Purchase", "D"), pence(purchVAT)},
		5: {"ABS(C9-C10)", pence(net)},
		6: {"ROUNDDOWN(" + sumif("Sales", "C") + ",0)", strconv.FormatInt(sales/100, 10)},
		7: {"ROUNDDOWN(" + sumif("Purchase", "C") + ",0)", strconv.FormatInt(purchases/100, 10)},
		8: {"0", "0"},
		9: {"0", "0"},
	}
	for n := 1; n <= 9; n++ {
		c := cells[n]
		s.formula(boxCell(n), c[0], c[1])
		b.name(fmt.Sprintf("Box%d", n), fmt.Sprintf("'%s'!$C$%d", ret, boxRow(n)))
	}
	data, err := b.bytes()
	if err != nil {
		log.Fatal(err)
	}
	write("large-ledger.xlsx", data)
}

func pence(p int64) string { return fmt.Sprintf("%d.%02d", p/100, p%100) }
