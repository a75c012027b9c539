package workbook

import (
	"fmt"
	"strings"
)

// exampleMarker starts the description of each example row WriteTemplate puts in its ledger,
// and exampleRows bounds where they are looked for: the template writes them at the top.
const (
	exampleMarker = "Example:"
	exampleRows   = 25
)

// warnExamples warns while the template's ledger still holds its example rows: they are counted
// in the boxes like real transactions, so a return filed with them would be wrong.
func (r *resolver) warnExamples() {
	sheet, ok := r.sheet(templateLedger)
	if !ok {
		return
	}
	var first string
	n := 0
	for row := 2; row < 2+exampleRows; row++ {
		ref := fmt.Sprintf("B%d", row)
		v, err := r.bk.Cell(sheet, ref)
		if err != nil {
			return
		}
		if v.Type == TypeString && strings.HasPrefix(strings.TrimSpace(v.Cached), exampleMarker) {
			if n == 0 {
				first = fmt.Sprintf("%s!%s %q", quoteSheet(sheet), ref, v.Cached)
			}
			n++
		}
	}
	r.res.ExampleRows = n
	if n > 0 {
		r.warn("the %s sheet still holds %d of the template's example rows (%s…), which count in the boxes: replace them with the period's own transactions",
			sheet, n, first)
	}
}
