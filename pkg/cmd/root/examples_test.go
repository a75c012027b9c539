package root_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/workbook"
)

// A return made with --yes has nobody to read the warning that the template's example rows are
// still in the ledger, and an example row is never a transaction of the business: submit
// refuses it (exit 3, nothing sent), as a batch does. --dry-run still shows it, with the warning;
// once the books are kept it files.
func TestSubmitYesRefusesTheTemplatesExampleRows(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	path := filepath.Join(t.TempDir(), "q3.xlsx")
	if r := w.Run("template", path); r.Code != 0 {
		t.Fatalf("template: exit %d\n%s", r.Code, r.Err)
	}

	r := w.Run("submit", "--workbook", path, "--yes")
	if r.Code != cmdutil.ExitInvalidData || !strings.Contains(r.Err, "still holds 5 of the template's example rows, which count in the boxes; nothing was sent") ||
		!strings.Contains(r.Err, "replace the example rows") {
		t.Errorf("submit --yes: exit %d\n%s", r.Code, r.Err)
	}
	if n := w.Srv.Stats().Requests["submit"]; n != 0 {
		t.Errorf("%d submit requests reached HMRC, want none", n)
	}
	if r := w.Run("submit", "--workbook", path, "--dry-run"); r.Code != 0 || !strings.Contains(r.Err, "example rows") {
		t.Errorf("submit --dry-run: exit %d\n%s", r.Code, r.Err)
	}

	if err := workbook.ReplaceExamples(path); err != nil {
		t.Fatal(err)
	}
	if r := w.Run("submit", "--workbook", path, "--yes"); r.Code != 0 || strings.Contains(r.Err, "example rows") {
		t.Errorf("submit --yes after keeping the books: exit %d\n%s", r.Code, r.Err)
	}
	if n := w.Srv.Stats().Requests["submit"]; n != 1 {
		t.Errorf("%d submit requests, want 1", n)
	}
}
