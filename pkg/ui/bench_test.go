package ui

import (
	"fmt"
	"io"
	"testing"
)

// A table as long as an agent's 1,000-client summary or a decade of monthly returns, drawn
// piped (the aligned text scripts read) and on an 80-column terminal (wrapped, columns left
// out).
func benchTable() Table {
	t := Table{Headers: []string{"Period", "Start", "End", "Due", "Box 1", "Box 4", "Box 5", "Description"},
		Right: map[int]bool{4: true, 5: true, 6: true}, Wrap: map[int]bool{7: true}, Priority: map[int]int{1: 1, 2: 1, 3: 2}}
	for i := range 1000 {
		t.Rows = append(t.Rows, []string{"Apr–Jun 2026", "1 Apr 2026", "30 Jun 2026", "7 Aug 2026",
			fmt.Sprintf("£%d,%03d.57", 40+i%50, i%1000), "£16,470.13", "-£25,760.44", "a description long enough to wrap at a narrow terminal's width"})
	}
	return t
}

func BenchmarkTablePiped(b *testing.B) {
	t := benchTable()
	s := NewStyles(io.Discard, false)
	for b.Loop() {
		if err := t.Render(io.Discard, s, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTableTerminal80(b *testing.B) {
	t := benchTable()
	t.Width = 80
	s := NewStyles(io.Discard, false)
	for b.Loop() {
		if err := t.Render(io.Discard, s, true); err != nil {
			b.Fatal(err)
		}
	}
}
