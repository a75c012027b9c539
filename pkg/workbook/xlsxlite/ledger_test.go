package xlsxlite

import (
	"archive/zip"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/formula"
	"github.com/xuri/excelize/v2"
)

// boxFormulas are the nine box formulas of the generated return, in the style of a real
// template: whole-column SUMIFS over the ledger filtered by type and period, box 3 and 5 from
// other boxes, boxes 6–9 rounded down to pounds.
var boxFormulas = [9]string{
	`SUMIFS(Ledger!$D:$D,Ledger!$E:$E,"sales",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd)`,
	`SUMIFS(Ledger!$D:$D,Ledger!$E:$E,"eu-acq",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd)`,
	`B3+B4`,
	`SUMIFS(Ledger!$D:$D,Ledger!$E:$E,"purchase",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd)`,
	`ABS(B5-B6)`,
	`ROUNDDOWN(SUMIFS(Ledger!$C:$C,Ledger!$E:$E,"sales",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd),0)`,
	`ROUNDDOWN(SUMIFS(Ledger!$C:$C,Ledger!$E:$E,"purchase",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd),0)`,
	`ROUNDDOWN(SUMIFS(Ledger!$C:$C,Ledger!$E:$E,"eu-supply",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd),0)`,
	`ROUNDDOWN(SUMIFS(Ledger!$C:$C,Ledger!$E:$E,"eu-acq",Ledger!$A:$A,">="&PeriodStart,Ledger!$A:$A,"<="&PeriodEnd),0)`,
}

const (
	periodStart = 45383 // 2024-04-01
	periodEnd   = 45473 // 2024-06-30
)

// genLedger writes a workbook with a Ledger sheet of rows × 5 columns (date serial, description,
// net, VAT, type) through excelize's StreamWriter and a "VAT Return" sheet whose nine named cells
// B3:B11 hold boxFormulas. With cached set, the box cells also get the cached values Excel would
// store (excelize cannot write those, so the sheet part is patched). It returns the path and the
// exact expected box values.
func genLedger(tb testing.TB, dir string, rows int, cached bool) (string, [9]string) {
	return genLedgerOpts(tb, dir, rows, cached, false)
}

// genLedgerOpts can also write the VAT column as a formula on every row (ROUND(net*20%,2)),
// with no cached values, as a ledger built by code would have.
func genLedgerOpts(tb testing.TB, dir string, rows int, cached, vatFormulas bool) (string, [9]string) {
	tb.Helper()
	x := excelize.NewFile()
	defer x.Close()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(x.SetSheetName("Sheet1", "Ledger"))
	_, err := x.NewSheet("VAT Return")
	must(err)
	sw, err := x.NewStreamWriter("Ledger")
	must(err)
	must(sw.SetRow("A1", []any{"Date", "Description", "Net", "VAT", "Type"}))
	types := []string{"sales", "purchase", "eu-acq", "eu-supply", "sales", "purchase"}
	var sums [4][2]int64 // per type: net, vat in pence (sales, purchase, eu-acq, eu-supply)
	typeIdx := map[string]int{"sales": 0, "purchase": 1, "eu-acq": 2, "eu-supply": 3}
	rng := rand.New(rand.NewPCG(1, uint64(rows)))
	row := make([]any, 5)
	for i := 0; i < rows; i++ {
		date := 45292 + rng.IntN(366) // during 2024
		net := int64(rng.IntN(2_000_000)) - 100_000
		vat := (net*20 + 50) / 100 // pence, rounded
		if net < 0 {
			vat = -((-net*20 + 50) / 100)
		}
		typ := types[rng.IntN(len(types))]
		row[0], row[1], row[2], row[3], row[4] = date, fmt.Sprintf("Invoice %d", i+1), float64(net)/100, float64(vat)/100, typ
		if vatFormulas {
			row[3] = excelize.Cell{Formula: fmt.Sprintf("ROUND(C%d*20%%,2)", i+2)}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		must(sw.SetRow(cell, row))
		if date >= periodStart && date <= periodEnd {
			sums[typeIdx[typ]][0] += net
			sums[typeIdx[typ]][1] += vat
		}
	}
	must(sw.Flush())
	ret := "VAT Return"
	must(x.SetCellValue(ret, "A1", "Period start"))
	must(x.SetCellValue(ret, "B1", periodStart))
	must(x.SetCellValue(ret, "A2", "Period end"))
	must(x.SetCellValue(ret, "B2", periodEnd))
	must(x.SetDefinedName(&excelize.DefinedName{Name: "PeriodStart", RefersTo: "'VAT Return'!$B$1"}))
	must(x.SetDefinedName(&excelize.DefinedName{Name: "PeriodEnd", RefersTo: "'VAT Return'!$B$2"}))
	for i, f := range boxFormulas {
		cell := fmt.Sprintf("B%d", i+3)
		must(x.SetCellValue(ret, fmt.Sprintf("A%d", i+3), fmt.Sprintf("Box %d", i+1)))
		must(x.SetCellFormula(ret, cell, f))
		must(x.SetDefinedName(&excelize.DefinedName{Name: fmt.Sprintf("Box%d", i+1), RefersTo: fmt.Sprintf("'VAT Return'!$B$%d", i+3)}))
	}
	pence := func(p int64) string { return formula.DecimalText(big.NewRat(p, 100)) }
	pounds := func(p int64) string { return formula.DecimalText(big.NewRat(p/100, 1)) }
	box3 := sums[0][1] + sums[2][1]
	box5 := box3 - sums[1][1]
	if box5 < 0 {
		box5 = -box5
	}
	want := [9]string{pence(sums[0][1]), pence(sums[2][1]), pence(box3), pence(sums[1][1]), pence(box5),
		pounds(sums[0][0]), pounds(sums[1][0]), pounds(sums[3][0]), pounds(sums[2][0])}
	p := filepath.Join(dir, fmt.Sprintf("ledger-%d-%v-%v.xlsx", rows, cached, vatFormulas))
	must(x.SaveAs(p))
	if cached {
		must(addCachedValues(p, want))
	}
	return p, want
}

var formulaCell = regexp.MustCompile(`<c r="B(\d+)"([^>]*)><f>([^<]*)</f>(<v></v>|<v/>)?</c>`)

// addCachedValues rewrites the "VAT Return" sheet (sheet2.xml) so each box formula carries a
// cached <v>, as a file saved by Excel or LibreOffice does.
func addCachedValues(path string, want [9]string) error {
	src, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	patched := false
	for _, zf := range src.File {
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if zf.Name == "xl/worksheets/sheet2.xml" {
			b, err := io.ReadAll(rc)
			if err != nil {
				return err
			}
			s := formulaCell.ReplaceAllStringFunc(string(b), func(m string) string {
				sub := formulaCell.FindStringSubmatch(m)
				var n int
				fmt.Sscan(sub[1], &n)
				if n < 3 || n > 11 {
					return m
				}
				patched = true
				return fmt.Sprintf(`<c r="B%s"%s><f>%s</f><v>%s</v></c>`, sub[1], sub[2], sub[3], want[n-3])
			})
			_, err = io.WriteString(w, s)
			if err != nil {
				return err
			}
		} else if _, err := io.Copy(w, rc); err != nil {
			return err
		}
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if !patched {
		return fmt.Errorf("no formula cells patched in %s", path)
	}
	return os.Rename(tmp, path)
}

// readBoxes is what `vat check` does with the fast reader: open, resolve Box1..Box9 through
// defined names, read each cell (computing it when asked or when it has no cached value).
func readBoxes(tb testing.TB, path string, compute bool) [9]string {
	return readBoxesStreaming(tb, path, compute, false)
}

// readBoxesStreaming can force every sheet onto the large-sheet paths (streaming lookups and
// column loads), which real files only take above smallSheet.
func readBoxesStreaming(tb testing.TB, path string, compute, stream bool) [9]string {
	tb.Helper()
	f, err := Open(path, Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	if stream {
		f.smallSheet = 0
	}
	defer f.Close()
	var got [9]string
	for _, n := range f.DefinedNames() {
		var box int
		if _, err := fmt.Sscanf(n.Name, "Box%d", &box); err != nil || box < 1 || box > 9 {
			continue
		}
		sheet, ref, _ := strings.Cut(n.RefersTo, "!")
		sheet = strings.ReplaceAll(strings.Trim(sheet, "'"), "''", "'")
		ref = strings.ReplaceAll(ref, "$", "")
		cv, err := f.Cell(sheet, ref)
		if err != nil {
			tb.Fatal(err)
		}
		if cv.HasCached && !compute {
			got[box-1] = cv.Cached
			continue
		}
		v, err := f.Calc(tb.Context(), sheet, ref)
		if err != nil {
			tb.Fatal(err)
		}
		got[box-1] = v
	}
	return got
}
