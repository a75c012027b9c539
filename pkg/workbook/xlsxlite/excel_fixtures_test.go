package xlsxlite

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// excelFixtures are workbooks saved by Microsoft Excel (testdata/workbooks/SOURCES.txt says
// where each comes from): tables with structured references and totals-row SUBTOTALs, array
// formulas, and the functions VAT workbooks use, each with the results Excel computed.
const excelFixtures = "../../../testdata/workbooks/excel"

// TestExcelSavedFixtures reads every formula of each Excel-saved workbook twice: its saved
// result (the cached path), and the result computed from a copy with every saved formula
// result stripped (the computed path, as for a file written by a script). The two must agree
// wherever vat computes the formula; what it refuses is listed, and each file must have
// formulas it computes.
func TestExcelSavedFixtures(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(excelFixtures, "*.xlsx"))
	if err != nil || len(files) < 10 {
		t.Fatalf("Excel fixtures: %v, %d files", err, len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			cached, err := Open(path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer cached.Close()
			stripped, err := Open(stripResults(t, path), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer stripped.Close()
			compared := 0
			for _, sheet := range cached.SheetNames() {
				cells, err := formulaCells(cached, sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, ref := range cells {
					cv, err := cached.Cell(sheet, ref)
					if err != nil {
						t.Fatal(err)
					}
					if !cv.HasCached {
						continue
					}
					sv, err := stripped.Cell(sheet, ref)
					if err != nil || sv.HasCached && sv.Formula != "" {
						t.Fatalf("%s!%s: stripping left %+v, %v", sheet, ref, sv, err)
					}
					got, err := stripped.Calc(t.Context(), sheet, ref)
					var u interface{ Unsupported() bool }
					if asUnsupported(err, &u) {
						t.Logf("%s!%s (%s): refused: %v", sheet, ref, cv.Formula, err)
						continue
					}
					if err != nil || !sameResult(got, cv.Cached) {
						t.Errorf("%s!%s (%s): computed %q, %v; Excel saved %q", sheet, ref, cv.Formula, got, err, cv.Cached)
					}
					compared++
				}
			}
			if compared == 0 {
				t.Errorf("no formula computed: the fixture tests nothing")
			}
		})
	}
}

func asUnsupported(err error, u *interface{ Unsupported() bool }) bool {
	for err != nil {
		if x, ok := err.(interface{ Unsupported() bool }); ok && x.Unsupported() {
			*u = x
			return true
		}
		w, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = w.Unwrap()
	}
	return false
}

var cellRefRE = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"[^>]*>(<f[ >/])`)

// formulaCells lists the cells of a sheet that hold a formula, read from the sheet's XML.
func formulaCells(f *File, sheet string) ([]string, error) {
	idx, err := f.sheetIndex(sheet)
	if err != nil {
		return nil, err
	}
	if f.sheets[idx].part == "" {
		return nil, nil
	}
	rc, err := f.open(f.sheets[idx].part, f.limits.MaxPartSize)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range cellRefRE.FindAllSubmatch(b, -1) {
		out = append(out, string(m[1]))
	}
	return out, nil
}

var savedResultRE = regexp.MustCompile(`(<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>[^<]*</v>`)

// stripResults writes a copy of the workbook with every formula's saved result removed.
func stripResults(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml") {
			b = savedResultRE.ReplaceAll(b, []byte("$1"))
		}
		if zf.Name == "xl/calcChain.xml" {
			continue
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
