package workbooktest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// GenOptions shape one generated VAT workbook for the differential test against LibreOffice.
type GenOptions struct {
	Seed uint64
	Rows int // ledger rows; 0 picks 20–150 from the seed
}

// Generated describes what WriteVATWorkbook wrote, for reports.
type Generated struct {
	Formulas [9]string // each box's formula, without '='
	Features []string  // constructs used: table, array, sumproduct, textnumbers, blankdates, noise
}

// The ledger types; the generator also writes case and spacing variants that SUMIF matches
// case-insensitively but not through trimmed text.
var genTypes = []string{"Sales", "Purchase", "EU supply", "EU acquisition"}

// WriteVATWorkbook writes a VAT return workbook whose nine boxes (named VAT_Box1…VAT_Box9) are
// formulas over a ledger, with no saved results, as a script or openpyxl would write it. The
// formulas are drawn from what VAT workbooks use: SUMIF/SUMIFS with period dates and wildcards,
// SUMPRODUCT over conditions and rounded products, Excel tables with structured references,
// array (CSE) formulas, SUBTOTAL, a VLOOKUP'd rate, OFFSET ranges; the ledger has float noise,
// blank dates, credit notes and, in some workbooks, numbers stored as text. One workbook in 25
// (seeds divisible by 25) has a box using TEXT, which vat refuses.
//
// It avoids the few places where LibreOffice, the oracle, is known to differ from Excel, which
// vat follows: text in arithmetic (Excel reads "1,250.00" as a number, LibreOffice gives
// #VALUE!), so text numbers appear only in workbooks whose formulas sum them with SUMIF (which
// skips text in both); and MONTH/YEAR of a blank date (serial 0 is 0 January 1900 in Excel,
// 30 December 1899 in LibreOffice), so month and year criteria never ask for January, December,
// 1899 or 1900.
func WriteVATWorkbook(path string, opts GenOptions) (Generated, error) {
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	rows := opts.Rows
	if rows == 0 {
		rows = 20 + rng.IntN(131)
	}
	var g Generated
	textNumbers := rng.IntN(5) == 0
	blankDates := rng.IntN(3) == 0
	useTable := rng.IntN(3) == 0
	if textNumbers {
		g.Features = append(g.Features, "textnumbers")
	}
	if blankDates {
		g.Features = append(g.Features, "blankdates")
	}
	f := excelize.NewFile()
	defer f.Close()
	const L, R = "Ledger", "VAT Return"
	if err := f.SetSheetName("Sheet1", R); err != nil {
		return g, err
	}
	if _, err := f.NewSheet(L); err != nil {
		return g, err
	}
	header := []any{"Date", "Description", "Net", "VAT", "Type"}
	if err := f.SetSheetRow(L, "A1", &header); err != nil {
		return g, err
	}
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	last := rows + 1
	for i := 2; i <= last; i++ {
		var date any = start.AddDate(0, 0, rng.IntN(150)-15) // some rows fall outside the quarter
		if blankDates && rng.IntN(8) == 0 {
			date = nil
		}
		pence := int64(rng.IntN(500000) + 1)
		if rng.IntN(10) == 0 {
			pence = -pence / 10 // credit notes
		}
		var net any = float64(pence) / 100
		switch {
		case rng.IntN(6) == 0:
			// What a program that computed the amount in doubles stores: the neighbouring double,
			// written with the 17 digits that round-trip it (2218.2899999999995).
			n := float64(pence) / 100
			dir := math.Inf(1)
			if rng.IntN(2) == 0 {
				dir = math.Inf(-1)
			}
			net = noisy(strconv.FormatFloat(math.Nextafter(n, dir), 'g', -1, 64))
			g.Features = appendOnce(g.Features, "noise")
		case textNumbers && rng.IntN(4) == 0:
			net = formatText(pence, rng)
		}
		typ := genTypes[rng.IntN(len(genTypes))]
		switch rng.IntN(12) {
		case 0:
			typ = strings.ToUpper(typ)
		case 1:
			typ = strings.ToLower(typ)
		case 2:
			typ = "Other"
		}
		vals := []any{date, fmt.Sprintf("Row %d", i), net}
		if err := f.SetSheetRow(L, "A"+strconv.Itoa(i), &vals); err != nil {
			return g, err
		}
		if n, ok := net.(noisy); ok {
			// SetCellValue would round a float64 to 15 digits; the raw text keeps the noise.
			if err := f.SetCellDefault(L, "C"+strconv.Itoa(i), string(n)); err != nil {
				return g, err
			}
		}
		if date != nil {
			if err := f.SetCellValue(L, "A"+strconv.Itoa(i), date); err != nil {
				return g, err
			}
		}
		// VAT is a formula on most rows, as in real ledgers, and typed on some.
		if rng.IntN(3) > 0 {
			if err := f.SetCellFormula(L, "D"+strconv.Itoa(i), fmt.Sprintf("ROUND(C%d*20%%,2)", i)); err != nil {
				return g, err
			}
		} else if err := f.SetCellValue(L, "D"+strconv.Itoa(i), float64(pence/5)/100); err != nil {
			return g, err
		}
		if err := f.SetCellStr(L, "E"+strconv.Itoa(i), typ); err != nil {
			return g, err
		}
	}
	if err := f.SetColStyle(L, "A", mustStyle(f, "yyyy-mm-dd")); err != nil {
		return g, err
	}
	// The text numbers would make the VAT formula differ between Excel and LibreOffice.
	if textNumbers {
		for i := 2; i <= last; i++ {
			if v, _ := f.GetCellType(L, "C"+strconv.Itoa(i)); v == excelize.CellTypeSharedString || v == excelize.CellTypeInlineString {
				if err := f.SetCellValue(L, "D"+strconv.Itoa(i), 0); err != nil {
					return g, err
				}
			}
		}
	}
	cells := []struct {
		ref string
		v   any
	}{{"B2", "Period start"}, {"C2", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}, {"B3", "Period end"}, {"C3", time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)}}
	for _, c := range cells {
		if err := f.SetCellValue(R, c.ref, c.v); err != nil {
			return g, err
		}
	}
	for i, r := range [][]any{{"Standard", 0.2}, {"Reduced", 0.05}, {"Zero", 0}} {
		if err := f.SetSheetRow(R, "E"+strconv.Itoa(i+2), &r); err != nil {
			return g, err
		}
	}
	for _, d := range [][2]string{{"PeriodStart", "$C$2"}, {"PeriodEnd", "$C$3"}} {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: d[0], RefersTo: fmt.Sprintf("'%s'!%s", R, d[1])}); err != nil {
			return g, err
		}
	}

	col := func(c string) string { return fmt.Sprintf("%s!$%s$2:$%s$%d", L, c, c, last) }
	if useTable {
		if err := f.AddTable(L, &excelize.Table{Range: fmt.Sprintf("A1:E%d", last), Name: "Books"}); err != nil {
			return g, err
		}
		g.Features = append(g.Features, "table")
		col = func(c string) string {
			return "Books[" + map[string]string{"A": "Date", "B": "Description", "C": "Net", "D": "VAT", "E": "Type"}[c] + "]"
		}
	}
	kinds := func(n int) (string, string) {
		switch n {
		case 1:
			return "D", "Sales"
		case 2:
			return "D", "EU acquisition"
		case 4:
			return "D", "Purchase"
		case 6:
			return "C", "Sales"
		case 7:
			return "C", "Purchase"
		case 8:
			return "C", "EU supply"
		}
		return "C", "EU acquisition"
	}
	array := map[int]bool{}
	for _, n := range []int{1, 2, 4, 6, 7, 8, 9} {
		c, kind := kinds(n)
		var inner string
		choice := rng.IntN(11)
		if opts.Seed%25 == 0 && n == 7 {
			// One workbook in 25 uses TEXT, which vat does not compute, so the refusal path
			// and the refusal rate are exercised: 4 % of workbooks, under the 5 % allowed.
			choice = 11
		}
		if textNumbers {
			choice = rng.IntN(2) // SUMIF and SUMIFS skip text, as Excel and LibreOffice agree
		}
		switch choice {
		case 0:
			inner = fmt.Sprintf(`SUMIF(%s,"%s",%s)`, col("E"), kind, col(c))
		case 1:
			inner = fmt.Sprintf(`SUMIFS(%s,%s,"%s",%s,">="&PeriodStart,%s,"<="&PeriodEnd)`, col(c), col("E"), kind, col("A"), col("A"))
		case 2:
			inner = fmt.Sprintf(`SUMPRODUCT((%s="%s")*%s)`, col("E"), kind, col(c))
			g.Features = appendOnce(g.Features, "sumproduct")
		case 3:
			inner = fmt.Sprintf(`SUMPRODUCT((%s="%s")*(MONTH(%s)=%d)*%s)`, col("E"), kind, col("A"), 3+rng.IntN(3), col(c))
			g.Features = appendOnce(g.Features, "sumproduct")
		case 4:
			inner = fmt.Sprintf(`SUMPRODUCT((%s="%s")*ROUND(%s*20%%,2))`, col("E"), kind, col("C"))
			g.Features = appendOnce(g.Features, "sumproduct")
		case 5:
			inner = fmt.Sprintf(`SUM(IF(%s="%s",%s))`, col("E"), kind, col(c))
			array[n] = true
			g.Features = appendOnce(g.Features, "array")
		case 6:
			inner = fmt.Sprintf(`SUMIFS(%s,%s,"%s",%s,">"&DATE(2024,%d,0))+SUBTOTAL(9,%s)*0`, col(c), col("E"), kind, col("A"), 4+rng.IntN(2), col(c))
		case 7:
			// Wildcards: "EU*" catches both EU types.
			inner = fmt.Sprintf(`SUMIF(%s,"%s*",%s)`, col("E"), kind[:2], col(c))
			g.Features = appendOnce(g.Features, "wildcard")
		case 8:
			// A rate looked up from a small table on the return sheet.
			inner = fmt.Sprintf(`SUMIF(%s,"%s",%s)*VLOOKUP("Standard",$E$2:$F$4,2,FALSE)`, col("E"), kind, col("C"))
			g.Features = appendOnce(g.Features, "vlookup")
		case 9:
			inner = fmt.Sprintf(`SUMPRODUCT(--(%s="%s"),%s)`, col("E"), kind, col(c))
			g.Features = appendOnce(g.Features, "sumproduct")
		case 10:
			// A range that grows with the ledger.
			inner = fmt.Sprintf(`SUMIF(%s,"%s",OFFSET(%s,0,0))`, col("E"), kind, col(c))
			g.Features = appendOnce(g.Features, "offset")
		case 11:
			inner = fmt.Sprintf(`SUMPRODUCT((TEXT(%s,"mm")="04")*(%s="%s")*%s)`, col("A"), col("E"), kind, col(c))
			g.Features = appendOnce(g.Features, "text")
		}
		if n <= 4 {
			g.Formulas[n-1] = fmt.Sprintf("ROUND(%s,2)", inner)
		} else {
			g.Formulas[n-1] = fmt.Sprintf("ROUNDDOWN(%s,0)", inner)
		}
	}
	g.Formulas[2] = "C7+C8"
	g.Formulas[4] = "ABS(C9-C10)"
	for n := 1; n <= 9; n++ {
		cell := "C" + strconv.Itoa(6+n)
		if err := f.SetCellStr(R, "B"+strconv.Itoa(6+n), fmt.Sprintf("Box %d", n)); err != nil {
			return g, err
		}
		if array[n] {
			t, ref := "array", cell
			if err := f.SetCellFormula(R, cell, g.Formulas[n-1], excelize.FormulaOpts{Type: &t, Ref: &ref}); err != nil {
				return g, err
			}
		} else if err := f.SetCellFormula(R, cell, g.Formulas[n-1]); err != nil {
			return g, err
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("VAT_Box%d", n), RefersTo: fmt.Sprintf("'%s'!$C$%d", R, 6+n)}); err != nil {
			return g, err
		}
	}
	return g, f.SaveAs(path)
}

// noisy is a number written as raw text.
type noisy string

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// formatText writes an amount the ways people type it into a text cell.
func formatText(pence int64, rng *rand.Rand) string {
	neg := pence < 0
	if neg {
		pence = -pence
	}
	whole := strconv.FormatInt(pence/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s.%02d", b.String(), pence%100)
	switch rng.IntN(3) {
	case 0:
		s = "£" + s
	case 1:
		s = " " + s + " "
	}
	if neg {
		s = "(" + s + ")"
	}
	return s
}

func mustStyle(f *excelize.File, numFmt string) int {
	id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		panic(err)
	}
	return id
}
