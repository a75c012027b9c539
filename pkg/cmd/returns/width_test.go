package returns_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// At any width from 64 columns the history fits the terminal; boxes 1, 4 and 5 of every return
// are there whole, as is each period key; what is left out is named under the table. Piped, every
// column is there.
func TestReturnsHistoryFitsNarrowTerminals(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("returns", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v %q", err, r.Out)
	}
	for _, width := range []int{64, 80, 100, 120} {
		out := viewtest.Fits(t, w, width, "returns").Out
		flat := strings.Join(strings.Fields(out), " ")
		for _, row := range rows[1:] {
			for _, want := range []string{row[1], gbp(row[6]), gbp(row[9]), gbp(row[10])} {
				if !strings.Contains(out, want) {
					t.Errorf("at %d columns %s is missing or cut:\n%s", width, want, out)
				}
			}
		}
		if !strings.Contains(flat, "Not shown at") || !strings.Contains(flat, "Box 7") || !strings.Contains(flat, "'vat returns 26A2'") {
			t.Errorf("at %d columns no line names what is not shown:\n%s", width, out)
		}
	}
	piped := w.Run("returns").Out
	if !strings.Contains(piped, "Start") || !strings.Contains(piped, "Box 7") || strings.Contains(piped, "Not shown") {
		t.Errorf("piped lost a column:\n%s", piped)
	}
}

// gbp writes a CSV amount ("42230.57") as the table does ("£42,230.57").
func gbp(raw string) string {
	whole, frac, _ := strings.Cut(raw, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return "£" + b.String() + "." + frac
}
