package workbook

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A template's example rows count in the boxes, so reading one says so until they are replaced.
func TestTemplateExampleRowsAreWarnedAbout(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	warned := func() bool {
		t.Helper()
		res, err := Read(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The count lets a caller refuse such a return without parsing the warning's words.
		if n := res.ExampleRows; (n > 0) != strings.Contains(strings.Join(res.Warnings, "\n"), "example rows") {
			t.Errorf("ExampleRows = %d, warnings %q", n, res.Warnings)
		}
		for _, w := range res.Warnings {
			if strings.Contains(w, "still holds") && strings.Contains(w, "example rows") {
				return true
			}
		}
		return false
	}
	if !warned() {
		t.Error("no warning for the template's example rows")
	}
	if res, err := Read(context.Background(), path, Options{}); err != nil || res.ExampleRows != 5 {
		t.Errorf("ExampleRows of a fresh template = %v (%v), want its 5 example rows", res, err)
	}

	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for row := 2; row < 2+exampleRows; row++ {
		if v, _ := x.GetCellValue(templateLedger, fmt.Sprintf("B%d", row)); strings.HasPrefix(v, exampleMarker) {
			if err := x.SetCellStr(templateLedger, fmt.Sprintf("B%d", row), "Invoice "+fmt.Sprint(row)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if warned() {
		t.Error("warned about example rows after they were replaced")
	}
}
