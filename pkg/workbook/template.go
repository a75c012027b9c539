package workbook

import (
	"fmt"
	"strings"
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
// Which boxes each feeds follows HMRC's guidance on filling in a return
// (https://www.gov.uk/guidance/how-to-fill-in-and-submit-your-vat-return-vat-notice-70012),
// reverse charges (https://www.gov.uk/guidance/vat-domestic-reverse-charge-for-building-and-construction-services)
// and postponed import VAT (https://www.gov.uk/guidance/complete-your-vat-return-to-account-for-import-vat).
const (
	typeSales           = "Sales"
	typePurchase        = "Purchase"
	typeEUSupply        = "EU supply"
	typeEUAcquisition   = "EU acquisition"
	typeReverseServices = "Reverse charge: services from abroad" // VAT in boxes 1 and 4, net in 6 and 7
	typeReverseDomestic = "Reverse charge: domestic purchase"    // VAT in boxes 1 and 4, net in 7
	typePostponedImport = "Postponed import VAT"                 // VAT in boxes 1 and 4, net in 7
)

var templateTypes = []string{typeSales, typePurchase, typeEUSupply, typeEUAcquisition, typeReverseServices, typeReverseDomestic, typePostponedImport}

// templatePeriod is the example quarter the template is written for; FillTemplate moves it to
// the period being filed.
type templatePeriod struct {
	Start, End time.Time
	VRN        string
}

// WriteTemplate writes a starter workbook to path: a Ledger sheet of transactions and a
// "VAT Return" sheet whose nine named cells (VAT_Box1 … VAT_Box9: Excel reads Box1 as the cell
// in column BOX) compute the return from the ledger rows dated within PeriodStart to PeriodEnd,
// plus a VRN cell. It is written for an example quarter (January to March 2026); FillTemplate
// dates it into the period being filed. It refuses to overwrite a file. excelize stores no
// cached values, so vat reads the template through its compute path.
func WriteTemplate(path string) error {
	p := templatePeriod{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f, p); err != nil {
		return fmt.Errorf("building template: %w", err)
	}
	if err := saveNew(f, path); err != nil {
		return err
	}
	return nil
}

func buildTemplate(f *excelize.File, p templatePeriod) error {
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
		{2, "Example: consultancy invoice 1001", 5000, 1000, typeSales},
		{9, "Example: laptop", 1200, 240, typePurchase},
		{13, "Example: goods sold to an EU business (NI)", 800, 0, typeEUSupply},
		{20, "Example: goods bought from an EU business (NI)", 300, 60, typeEUAcquisition},
		{27, "Example: training course invoice 1002", 1500.5, 300.1, typeSales},
	}
	for i, e := range examples {
		row := i + 2
		day := p.Start.AddDate(0, 0, e.day)
		if day.After(p.End) {
			day = p.End
		}
		vals := []any{day, e.desc, e.net, e.vat, e.entryType}
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
	// A list longer than 255 characters must live in cells; this one is short enough inline.
	if err := dv.SetDropList(templateTypes); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Type", "Choose one of the types in the list; any other is left out of the return")
	if err := f.AddDataValidation(L, dv); err != nil {
		return err
	}
	for i, w := range []float64{12, 48, 14, 14, 36} {
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
		{"A2", fmt.Sprintf("Enter transactions on the %s sheet (rows 2 to %d; replace the examples). The boxes below add up the rows dated from Period start to Period end.", L, templateLastRow)},
		{"B4", "Period start"}, {"B5", "Period end"}, {"B6", "VAT registration number (optional)"},
		{"C4", p.Start}, {"C5", p.End},
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
	// Every box sums the ledger rows of its types dated within the period, so a running ledger
	// that holds several periods gives this period's return.
	rng := func(col string) string { return fmt.Sprintf("%s!$%s$2:$%s$%d", L, col, col, templateLastRow) }
	sum := func(col string, kinds ...string) string {
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf(`SUMIFS(%s,%s,"%s",%s,">="&PeriodStart,%s,"<="&PeriodEnd)`, rng(col), rng("E"), k, rng("A"), rng("A"))
		}
		return strings.Join(parts, "+")
	}
	row := func(n int) int { return templateFirstBox + n - 1 }
	formulas := [9]string{
		fmt.Sprintf("ROUND(%s,2)", sum("D", typeSales, typeReverseServices, typeReverseDomestic, typePostponedImport)),
		fmt.Sprintf("ROUND(%s,2)", sum("D", typeEUAcquisition)),
		fmt.Sprintf("C%d+C%d", row(1), row(2)),
		fmt.Sprintf("ROUND(%s,2)", sum("D", typePurchase, typeEUAcquisition, typeReverseServices, typeReverseDomestic, typePostponedImport)),
		fmt.Sprintf("ABS(C%d-C%d)", row(3), row(4)),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sum("C", typeSales, typeEUSupply, typeReverseServices)),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sum("C", typePurchase, typeEUAcquisition, typeReverseServices, typeReverseDomestic, typePostponedImport)),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sum("C", typeEUSupply)),
		fmt.Sprintf("ROUNDDOWN(%s,0)", sum("C", typeEUAcquisition)),
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
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("VAT_Box%d", b.Number), RefersTo: fmt.Sprintf("'%s'!$C$%d", R, r)}); err != nil {
			return err
		}
	}
	for _, d := range [][2]string{{"PeriodStart", "$C$4"}, {"PeriodEnd", "$C$5"}, {"VRN", "$C$6"}} {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: d[0], RefersTo: fmt.Sprintf("'%s'!%s", R, d[1])}); err != nil {
			return err
		}
	}
	if p.VRN != "" {
		if err := f.SetCellStr(R, "C6", p.VRN); err != nil {
			return err
		}
	}
	if err := f.SetCellStr(R, "A18", "Boxes 2, 8 and 9 apply to goods moved between Northern Ireland and the EU; leave them at 0 otherwise. Boxes 6 to 9 are whole pounds."); err != nil {
		return err
	}
	// A Type typed or pasted past the drop-down matches no box and would silently drop out of
	// the return: count such rows in the period and say so in red.
	known := make([]string, len(templateTypes))
	for i, k := range templateTypes {
		known[i] = fmt.Sprintf(`COUNTIFS(%s,"%s",%s,">="&PeriodStart,%s,"<="&PeriodEnd)`, rng("E"), k, rng("A"), rng("A"))
	}
	inPeriod := fmt.Sprintf(`COUNTIFS(%s,">="&PeriodStart,%s,"<="&PeriodEnd)`, rng("A"), rng("A"))
	unmatched := fmt.Sprintf("%s-(%s)", inPeriod, strings.Join(known, "+"))
	if err := f.SetCellFormula(R, "A19", fmt.Sprintf(`IF(%s>0,"Warning: "&(%s)&" ledger row(s) in the period have a Type that matches no box and are left out of the return",IF(C5<C4,"Warning: Period end is before Period start",""))`, unmatched, unmatched)); err != nil {
		return err
	}
	warn, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(R, "A19", "A19", warn); err != nil {
		return err
	}
	// One page per sheet when printed: the return fits on one page, the ledger one page wide.
	fit := true
	for _, ps := range []struct {
		sheet       string
		wide, tall  int
		orientation string
	}{{R, 1, 1, "portrait"}, {L, 1, 0, "landscape"}} {
		if err := f.SetSheetProps(ps.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return err
		}
		size := 9 // A4
		if err := f.SetPageLayout(ps.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &ps.orientation, FitToWidth: &ps.wide, FitToHeight: &ps.tall}); err != nil {
			return err
		}
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: R, RefersTo: fmt.Sprintf("'%s'!$A$1:$C$19", R)}); err != nil {
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
