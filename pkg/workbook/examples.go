package workbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
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

// ExampleRowsError refuses a workbook whose ledger still holds the template's example rows when
// nobody is there to read the warning (--yes, a batch): an example row is never one of the
// business's transactions, so the return would certainly be wrong.
type ExampleRowsError struct {
	Path string
	Rows int
}

func (e *ExampleRowsError) Error() string {
	rows := "rows"
	if e.Rows == 1 {
		rows = "row"
	}
	return fmt.Sprintf("%s: the Ledger sheet still holds %d of the template's example %s, which count in the boxes; nothing was sent", e.Path, e.Rows, rows)
}

// ReplaceExamples turns the template's example rows into ordinary ledger rows (their
// descriptions lose the marker), as an accountant does who keeps the layout and types the
// period's own transactions over them. The demo and the tests use it for books that are
// complete.
func ReplaceExamples(path string) error {
	x, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer x.Close()
	for row := 2; row < 2+exampleRows; row++ {
		ref := fmt.Sprintf("B%d", row)
		v, err := x.GetCellValue(templateLedger, ref)
		if err != nil {
			return err
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(v), exampleMarker); ok {
			if err := x.SetCellStr(templateLedger, ref, strings.TrimSpace(rest)); err != nil {
				return err
			}
		}
	}
	return x.Save()
}
