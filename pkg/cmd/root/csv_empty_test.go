package root

import (
	"strings"
	"testing"
)

// A CSV with no rows is still a CSV: its header, so that a script or spreadsheet reading it
// finds the columns (and an empty file is not mistaken for a failed run). What is said about
// the emptiness goes to stderr.
func TestEmptyCSVHasItsHeader(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		head string
	}{
		{[]string{"clients", "list", "-o", "csv"}, "name,vrn,workbook,map,method"},
		{[]string{"receipts", "list", "-o", "csv"}, "recorded,id,vrn,periodKey,"},
	} {
		code, out, errOut := runCLI(t, nil, tt.args...)
		if code != 0 || !strings.HasPrefix(out, tt.head) || strings.Count(out, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q (want the header alone), stderr %q", tt.args, code, out, errOut)
		}
	}
}
