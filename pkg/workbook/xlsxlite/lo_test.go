package xlsxlite

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

var updateLO = flag.Bool("update-lo", false, "regenerate testdata/lo-oracle.xlsx with LibreOffice (needs soffice)")

// loOracle is the differential workbook recalculated and saved by LibreOffice Calc, so it holds
// results computed by a real spreadsheet program for every formula in diffFormulas. excelize
// is a weak oracle for criteria edge cases and array expressions; LibreOffice follows Excel.
const loOracle = "testdata/lo-oracle.xlsx"

// loDivergences are formulas where LibreOffice is known to differ from Excel, which this
// package follows (and excelize agrees, see TestDifferentialWithExcelize).
var loDivergences = map[string]string{
	// LibreOffice has no boolean type: TRUE in a cell is the number 1 formatted as a boolean, so
	// SUM counts it. Excel ignores logical values in references.
	`SUM(Data!C2:D10,5,Data!F2)`: "1362.99",
	`COUNT(Data!C2:G60)`:         "189", // the 59 booleans in column F counted as numbers
	// Excel's SUMIF/COUNTIF compare numeric text as a number under "=" (a documented quirk, see
	// FastExcel's COUNTIF data-type notes); LibreOffice matches numbers only.
	`SUMIF(Data!G2:G60,4,Data!C2:C60)`: "353.83",
}

func TestLibreOfficeOracle(t *testing.T) {
	if *updateLO {
		regenerateLOOracle(t)
	}
	f, err := Open(loOracle, Limits{})
	if err != nil {
		t.Fatalf("%v (regenerate with: go test -run LibreOfficeOracle -update-lo)", err)
	}
	defer f.Close()
	checked := 0
	for r := 1; r <= len(diffFormulas); r++ {
		for _, col := range []string{"D", "E"} {
			ref := col + itoa(r)
			cv, err := f.Cell("Calc", ref)
			if err != nil {
				t.Fatal(err)
			}
			if cv.Formula == "" || !cv.HasCached {
				t.Fatalf("Calc!%s has no formula or no cached value: %+v", ref, cv)
			}
			got, err := f.Calc(t.Context(), "Calc", ref)
			if err != nil {
				t.Errorf("Calc!%s (%s): %v", ref, cv.Formula, err)
				continue
			}
			if lo, known := loDivergences[cv.Formula]; known {
				if cv.Cached != lo || sameResult(got, lo) {
					t.Errorf("Calc!%s (%s) = %q, LibreOffice %q: the recorded divergence (%q) no longer holds", ref, cv.Formula, got, cv.Cached, lo)
				}
				checked++
				continue
			}
			if !sameResult(got, cv.Cached) {
				t.Errorf("Calc!%s (%s) = %q, LibreOffice %q", ref, cv.Formula, got, cv.Cached)
			}
			checked++
		}
	}
	if checked < 2*len(diffFormulas) {
		t.Fatalf("checked %d results, want %d", checked, 2*len(diffFormulas))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func regenerateLOOracle(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("-update-lo needs LibreOffice: %v", err)
	}
	x := buildDiffWorkbook(t)
	defer x.Close()
	work := t.TempDir()
	in := filepath.Join(work, "lo-oracle.xlsx")
	if err := x.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	// LibreOffice recalculates OOXML formulas on load only when its profile says "always".
	profile := t.TempDir()
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		t.Fatal(err)
	}
	xcu := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>`
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+profile, "--headless", "--calc",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "lo-oracle.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loOracle, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
