// Package workbooktest writes large ledger workbooks for benchmarks and performance scripts.
// They are generated on demand rather than committed: a 200,000-row ledger is several megabytes
// compressed and ~50 MB of sheet XML.
package workbooktest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// LedgerOptions shape the generated workbook.
type LedgerOptions struct {
	Rows int // ledger rows below the header
	// Cached stores each box formula's result, as Excel or LibreOffice would. Without it the
	// formulas have no cached values, as when excelize or openpyxl wrote the file.
	Cached bool
}

// Ledger sheet layout: A date serial, B description (a unique shared string per row, as real
// ledgers have), C net, D VAT, E type ("Sales" or "Purchase"). The "VAT Return" sheet holds the
// nine boxes in C7:C15 named Box1..Box9, with SUMIF formulas over the ledger.
const (
	LedgerSheet = "Ledger"
	ReturnSheet = "VAT Return"
)

// WriteLedger writes the workbook to path and returns the return its formulas evaluate to,
// computed exactly in pence. It streams, so memory stays flat however many rows are asked for.
func WriteLedger(path string, opts LedgerOptions) (vatreturn.Return, error) {
	out, err := os.Create(path)
	if err != nil {
		return vatreturn.Return{}, err
	}
	ret, err := writeLedger(out, opts)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return ret, err
}

// row returns row i's net and VAT in pence and whether it is a purchase; deterministic so the
// expected totals are known.
func row(i int) (net, vat int64, purchase bool) {
	net = int64(1000 + (i*7919)%500000)
	return net, net / 5, i%3 == 0
}

func pence(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

func writeLedger(w io.Writer, opts LedgerOptions) (vatreturn.Return, error) {
	zw := zip.NewWriter(w)
	var sales, purchases, salesVAT, purchVAT int64
	for i := 0; i < opts.Rows; i++ {
		net, vat, purchase := row(i)
		if purchase {
			purchases, purchVAT = purchases+net, purchVAT+vat
		} else {
			sales, salesVAT = sales+net, salesVAT+vat
		}
	}
	netVAT := salesVAT - purchVAT
	if netVAT < 0 {
		netVAT = -netVAT
	}
	want := vatreturn.Return{
		VATDueSales: vatreturn.Money(salesVAT), TotalVATDue: vatreturn.Money(salesVAT),
		VATReclaimedCurrPeriod: vatreturn.Money(purchVAT), NetVATDue: vatreturn.Money(netVAT),
		TotalValueSalesExVAT: vatreturn.Money(sales / 100 * 100), TotalValuePurchasesExVAT: vatreturn.Money(purchases / 100 * 100),
	}

	put := func(name string, body func(*bufio.Writer) error) error {
		pw, err := zw.Create(name)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(pw, 64<<10)
		if err := body(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	str := func(s string) func(*bufio.Writer) error {
		return func(b *bufio.Writer) error { _, err := b.WriteString(s); return err }
	}
	const hdr = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	steps := []struct {
		name string
		body func(*bufio.Writer) error
	}{
		{"[Content_Types].xml", str(hdr + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`)},
		{"_rels/.rels", str(hdr + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", func(b *bufio.Writer) error {
			fmt.Fprintf(b, hdr+`<workbook %s><sheets><sheet name="%s" sheetId="1" r:id="rId1"/><sheet name="%s" sheetId="2" r:id="rId2"/></sheets><definedNames>`, ns, ReturnSheet, LedgerSheet)
			for n := 1; n <= 9; n++ {
				fmt.Fprintf(b, `<definedName name="Box%d">&apos;%s&apos;!$C$%d</definedName>`, n, ReturnSheet, 6+n)
			}
			_, err := b.WriteString(`</definedNames><calcPr calcId="191029"/></workbook>`)
			return err
		}},
		{"xl/_rels/workbook.xml.rels", str(hdr + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)},
		{"xl/styles.xml", str(hdr + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
			`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`)},
		{"xl/worksheets/sheet1.xml", func(b *bufio.Writer) error {
			last := strconv.Itoa(opts.Rows + 1)
			sumif := func(typ, col string) string {
				return fmt.Sprintf(`SUMIF(Ledger!$E$2:$E$%s,&quot;%s&quot;,Ledger!$%s$2:$%s$%s)`, last, typ, col, col, last)
			}
			boxes := [9][2]string{
				{sumif("Sales", "D"), pence(salesVAT)},
				{"0", "0"},
				{"C7+C8", pence(salesVAT)},
				{sumif("Purchase", "D"), pence(purchVAT)},
				{"ABS(C9-C10)", pence(netVAT)},
				{"ROUNDDOWN(" + sumif("Sales", "C") + ",0)", strconv.FormatInt(sales/100, 10)},
				{"ROUNDDOWN(" + sumif("Purchase", "C") + ",0)", strconv.FormatInt(purchases/100, 10)},
				{"0", "0"},
				{"0", "0"},
			}
			fmt.Fprintf(b, hdr+`<worksheet %s><sheetData>`, ns)
			for i, c := range boxes {
				r := 7 + i
				v := ""
				if opts.Cached {
					v = "<v>" + c[1] + "</v>"
				}
				fmt.Fprintf(b, `<row r="%d"><c r="B%d" t="s"><v>%d</v></c><c r="C%d"><f>%s</f>%s</c></row>`, r, r, 7+i, r, c[0], v)
			}
			_, err := b.WriteString(`</sheetData></worksheet>`)
			return err
		}},
		{"xl/worksheets/sheet2.xml", func(b *bufio.Writer) error {
			fmt.Fprintf(b, hdr+`<worksheet %s><dimension ref="A1:E%d"/><sheetData>`, ns, opts.Rows+1)
			_, _ = b.WriteString(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>`)
			for i := 0; i < opts.Rows; i++ {
				net, vat, purchase := row(i)
				typ := 5
				if purchase {
					typ = 6
				}
				r := i + 2
				fmt.Fprintf(b, `<row r="%d"><c r="A%d" s="1"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d"><v>%s</v></c><c r="D%d"><v>%s</v></c><c r="E%d" t="s"><v>%d</v></c></row>`,
					r, r, 46023+i%90, r, 16+i, r, pence(net), r, pence(vat), r, typ)
			}
			_, err := b.WriteString(`</sheetData></worksheet>`)
			return err
		}},
		{"xl/sharedStrings.xml", func(b *bufio.Writer) error {
			fixed := []string{"Date", "Description", "Net", "VAT", "Type", "Sales", "Purchase"}
			for n := 1; n <= 9; n++ {
				fixed = append(fixed, vatreturn.Boxes[n-1].Field)
			}
			count := len(fixed) + opts.Rows
			fmt.Fprintf(b, hdr+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, count, count)
			for _, s := range fixed {
				fmt.Fprintf(b, `<si><t>%s</t></si>`, s)
			}
			for i := 0; i < opts.Rows; i++ {
				fmt.Fprintf(b, `<si><t>Invoice %d for goods and services</t></si>`, 100000+i)
			}
			_, err := b.WriteString(`</sst>`)
			return err
		}},
	}
	for _, s := range steps {
		if err := put(s.name, s.body); err != nil {
			return vatreturn.Return{}, fmt.Errorf("writing %s: %w", s.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return vatreturn.Return{}, err
	}
	return want, nil
}
