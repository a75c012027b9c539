package workbook

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds mutated workbooks to Read: whatever the bytes, it must return a Result or a
// typed error, never panic or hang.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"good-basic.xlsx", "no-cache.xlsx", "legacy.xls", "spreadsheet.ods", "error-cells.xlsx", "good-basic.ods", "value-types.ods"} {
		b, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		res, err := Read(t.Context(), path, Options{})
		var fe *FileError
		var ps *Problems
		switch {
		case err == nil:
			if res == nil {
				t.Fatal("nil Result and nil error")
			}
		case errors.As(err, &fe), errors.As(err, &ps):
		default:
			t.Fatalf("untyped error %T: %v", err, err)
		}
	})
}
