package ods

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// ledgerODS writes a spreadsheet with a ledger of rows×5 cells before the return sheet, so
// reading the boxes has to stream past all of it.
func ledgerODS(b *testing.B, rows int) string {
	var s strings.Builder
	s.WriteString(`<table:table table:name="Ledger">`)
	for i := range rows {
		fmt.Fprintf(&s, `<table:table-row><table:table-cell office:value-type="date" office:date-value="2026-01-%02d"><text:p>x</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Invoice %d</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="%d.50"><text:p>x</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="%d.10"><text:p>x</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Sale</text:p></table:table-cell></table:table-row>`, i%28+1, i, i, i)
	}
	s.WriteString(`</table:table><table:table table:name="VAT Return">`)
	for n := 1; n <= 9; n++ {
		fmt.Fprintf(&s, `<table:table-row><table:table-cell/><table:table-cell table:formula="of:=SUM([$Ledger.C1:.C%d])" office:value-type="float" office:value="%d"><text:p>x</text:p></table:table-cell></table:table-row>`, rows, n)
	}
	s.WriteString(`</table:table><table:named-expressions>`)
	for n := 1; n <= 9; n++ {
		fmt.Fprintf(&s, `<table:named-range table:name="VAT_Box%d" table:cell-range-address="$'VAT Return'.$B$%d"/>`, n, n)
	}
	s.WriteString(`</table:named-expressions>`)
	return writeODS(b, mime(), content(s.String()))
}

// BenchmarkBoxes200k opens a spreadsheet with a 200,000-row ledger and reads the nine boxes.
func BenchmarkBoxes200k(b *testing.B) {
	p := ledgerODS(b, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(p, xlsxlite.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		for n := 1; n <= 9; n++ {
			if v, err := f.Cell("VAT Return", fmt.Sprintf("B%d", n)); err != nil || v.Cached != fmt.Sprint(n) {
				b.Fatalf("box %d = %+v, %v", n, v, err)
			}
		}
		f.Close()
	}
}
