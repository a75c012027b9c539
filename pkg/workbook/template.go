package workbook

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Template layout, shared with tests so they check the same cells the template writes.
const (
	templateLedger   = "Ledger"
	templateReturn   = "VAT Return"
	templateLastRow  = 20000 // formulas cover this many ledger rows; bounded ranges keep evaluation cheap
	templateFirstBox = 8     // row of box 1 on the return sheet
)

// ledger types the template's formulas recognise, also offered as a drop-down in the ledger.
const (
	typeSales         = "Sales"
	typePurchase      = "Purchase"
	typeEUSupply      = "EU supply"
	typeEUAcquisition = "EU acquisition"
)

// WriteTemplate writes a starter workbook to path: a Ledger sheet for one VAT period's
// transactions and a "VAT Return" sheet whose nine named cells (Box1 … Box9) compute the return
// from the ledger, plus PeriodStart, PeriodEnd and VRN cells. It refuses to overwrite a file.
// excelize stores no cached values, so vat reads the template through its compute path.
func WriteTemplate(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f); err != nil {
		return fmt.Errorf("building template: %w", err)
	}
	if err := saveNew(f, path); err != nil {
		return err
	}
	return nil
}

func buildTemplate(f *excelize.File) error {
	if err := f.SetSheetName("Sheet1", templateReturn); err != nil {
		return err
	}
	if _, err := f.NewSheet(templateLedger); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	whole, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return err
	}
	input, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	inputText, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, NumFmt: 49})
	if err != nil {
		return err
	}

	// Ledger: one VAT period's transactions. Net and VAT in pounds and pence.
	L := templateLedger
	for i, h := range []string{"Date", "Description", "Net (£)", "VAT (£)", "Type"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(L, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(L, "A1", "E1", bold); err != nil {
		return err
	}
	examples := []struct {
		day       int
		desc      string
		net, vat  float64
		entryType string
	}{
		{3, "Example: consultancy invoice 1001", 5000, 1000, typeSales},
		{10, "Example: laptop", 1200, 240, typePurchase},
		{14, "Example: goods sold to an EU business (NI)", 800, 0, typeEUSupply},
		{21, "Example: goods bought from an EU business (NI)", 300, 60, typeEUAcquisition},
		{28, "Example: training course invoice 1002", 1500.5, 300.1, typeSales},
	}
	for i, e := range examples {
		row := i + 2
		vals := []any{time.Date(2026, 1, e.day, 0, 0, 0, 0, time.UTC), e.desc, e.net, e.vat, e.entryType}
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			if err := f.SetCellValue(L, cell, v); err != nil {
				return err
			}
		}
	}
	// Column styles rather than cell styles: styling 20,000 empty cells would store them all.
	if err := f.SetColStyle(L, "A", date); err != nil {
		return err
	}
	if err := f.SetColStyle(L, "C:D", money); err != nil {
		return err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("E2:E%d", templateLastRow)
	if err := dv.SetDropList([]string{typeSales, typePurchase, typeEUSupply, typeEUAcquisition}); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Type", "Choose Sales, Purchase, EU supply or EU acquisition")
	if err := f.AddDataValidation(L, dv); err != nil {
		return err
	}
	for i, w := range []float64{12, 48, 14, 14, 16} {
		col := string(rune('A' + i))
		if err := f.SetColWidth(L, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(L, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	// The return: labels in A:B, the named cells in C.
	R := templateReturn
	cells := []struct {
		ref string
		v   any
	}{
		{"A1", "VAT return (9 boxes)"},
		{"A2", fmt.Sprintf("Enter one VAT period's transactions on the %s sheet (rows 2 to %d; replace the examples). The boxes below are computed from it.", L, templateLastRow)},
		{"B4", "Period start"}, {"B5", "Period end"}, {"B6", "VAT registration number (optional)"},
		{"C4", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, {"C5", time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)},
		{"A7", "Box"}, {"B7", "Description"}, {"C7", "Amount (£)"},
	}
	for _, c := range cells { // in order: excelize numbers shared strings as they come
		if err := f.SetCellValue(R, c.ref, c.v); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{{"A1", "A1", title}, {"A7", "C7", bold}, {"C4", "C5", input}, {"C6", "C6", inputText}} {
		if err := f.SetCellStyle(R, s.from, s.to, s.style); err != nil {
			return err
		}
	}
	rng := func(col string) string { return fmt.Sprintf("%s!$%s$2:$%s$%d", L, col, col, templateLastRow) }
	sumif := func(kind, col string) string { return fmt.Sprintf(`SUMIF(%s,"%s",%s)`, rng("E"), kind, rng(col)) }
	row := func(n int) int { return templateFirstBox + n - 1 }
	formulas := [9]string{
		fmt.Sprintf("ROUND(%s,2)", sumif(typeSales, "D")),
		fmt.Sprintf("ROUND(%s,2)", sumif(typeEUAcquisition, "D")),
		fmt.Sprintf("C%d+C%d", row(1), row(2)),
		fmt.Sprintf("ROUND(%s+%s,2)", sumif(typePurchase, "D"), sumif(typeEUAcquisition, "D")),
		fmt.Sprintf("ABS(C%d-C%d)", row(3), row(4)),
		fmt.Sprintf("ROUNDDOWN(%s+%s,0)", sumif(typeSales, "C"), sumif(typeEUSupply, "C")),
		fmt.Sprintf("ROUNDDOWN(%s+%s,0)", sumif(typePurchase, "C"), sumif(typeEUAcquisition, "C")),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sumif(typeEUSupply, "C")),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sumif(typeEUAcquisition, "C")),
	}
	for i, b := range vatreturn.Boxes {
		r := row(b.Number)
		if err := f.SetCellInt(R, fmt.Sprintf("A%d", r), int64(b.Number)); err != nil {
			return err
		}
		if err := f.SetCellStr(R, fmt.Sprintf("B%d", r), b.Description); err != nil {
			return err
		}
		if err := f.SetCellFormula(R, fmt.Sprintf("C%d", r), formulas[i]); err != nil {
			return err
		}
		style := money
		if b.WholePounds {
			style = whole
		}
		if err := f.SetCellStyle(R, fmt.Sprintf("C%d", r), fmt.Sprintf("C%d", r), style); err != nil {
			return err
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("Box%d", b.Number), RefersTo: fmt.Sprintf("'%s'!$C$%d", R, r)}); err != nil {
			return err
		}
	}
	for _, d := range [][2]string{{"PeriodStart", "$C$4"}, {"PeriodEnd", "$C$5"}, {"VRN", "$C$6"}} {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: d[0], RefersTo: fmt.Sprintf("'%s'!%s", R, d[1])}); err != nil {
			return err
		}
	}
	if err := f.SetCellStr(R, "A18", "Boxes 2, 8 and 9 apply to goods moved between Northern Ireland and the EU; leave them at 0 otherwise. Boxes 6 to 9 are whole pounds."); err != nil {
		return err
	}
	for i, w := range []float64{6, 70, 18} {
		col := string(rune('A' + i))
		if err := f.SetColWidth(R, col, col, w); err != nil {
			return err
		}
	}
	idx, err := f.GetSheetIndex(R)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	return nil
}

// saveNew writes f to path, refusing to replace an existing file: a template written over a
// user's filled-in workbook would destroy their records.
func saveNew(f *excelize.File, path string) error {
	out, err := createExclusive(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
