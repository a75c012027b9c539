// Package booktest keeps the books of the template workbooks tests file.
package booktest

import (
	"context"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook"
)

// KeepBooks turns the example rows of a workbook written by workbook.WriteTemplate into the
// business's own transactions, as its bookkeeping would: the same amounts, described without
// the template's "Example:" marker. A batch run refuses a ledger that still holds the examples,
// so the tests that file a template's figures keep their books first. It fails the test if
// the reader still counts an example row afterwards.
func KeepBooks(t testing.TB, path string) {
	t.Helper()
	if err := workbook.ReplaceExamples(path); err != nil {
		t.Fatal(err)
	}
	res, err := workbook.Read(context.Background(), path, workbook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExampleRows != 0 {
		t.Fatalf("%s after keeping the books: %d example rows left", path, res.ExampleRows)
	}
}
