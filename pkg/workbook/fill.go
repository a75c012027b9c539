package workbook

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// FillTemplate dates a workbook written by WriteTemplate into one VAT period: it sets the
// PeriodStart, PeriodEnd and VRN cells, found through their defined names as Read finds them,
// and moves the example ledger's dates inside the period so that its formulas count them.
func FillTemplate(path string, start, end time.Time, vrn string) error {
	x, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer x.Close()
	for _, dn := range x.GetDefinedName() {
		sheet, cell, err := ParseRef(dn.RefersTo)
		if err != nil {
			continue
		}
		var v any
		switch strings.ToLower(dn.Name) {
		case "periodstart":
			v = start
		case "periodend":
			v = end
		case "vrn":
			if vrn == "" {
				continue // an empty string is not an empty cell: the reader would refuse it
			}
			v = vrn
		default:
			continue
		}
		if err := x.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
	}
	rows, err := x.GetRows(templateLedger)
	if err != nil {
		return err
	}
	for r := 2; r <= len(rows); r++ {
		day := start.AddDate(0, 0, 2*r)
		if day.After(end) {
			day = end
		}
		if err := x.SetCellValue(templateLedger, fmt.Sprintf("A%d", r), day); err != nil {
			return err
		}
	}
	return x.Save()
}
