package ui

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableModes(t *testing.T) {
	t.Parallel()
	tb := Table{Headers: []string{"Box", "Value"}, Rows: [][]string{{"1", "£1,000.00"}, {"5", "£7.50"}}, Right: map[int]bool{1: true}}

	var plain bytes.Buffer
	if err := tb.Render(&plain, NewStyles(&plain, false), false); err != nil {
		t.Fatal(err)
	}
	want := "Box  Value\n1    £1,000.00\n5    £7.50\n"
	if plain.String() != want {
		t.Errorf("piped table = %q, want %q", plain.String(), want)
	}

	var tty bytes.Buffer
	if err := tb.Render(&tty, NewStyles(&tty, false), true); err != nil {
		t.Fatal(err)
	}
	out := tty.String()
	if !strings.Contains(out, "╭") || !strings.Contains(out, "£1,000.00") || strings.Contains(out, "\x1b[") {
		t.Errorf("terminal table without colour = %q", out)
	}

	var c bytes.Buffer
	if err := tb.WriteCSV(&c); err != nil || c.String() != "Box,Value\n1,\"£1,000.00\"\n5,£7.50\n" {
		t.Errorf("csv = %q, %v", c.String(), err)
	}
}

func TestStylesWithoutColourArePlain(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	s := NewStyles(&b, false)
	if got := s.Bad.Render("x") + s.Good.Render("y"); got != "xy" {
		t.Errorf("plain styles rendered %q", got)
	}
	if s.SuccessIcon() != "ok:" {
		t.Errorf("plain icon = %q", s.SuccessIcon())
	}
	c := NewStyles(&b, true)
	if !strings.Contains(c.Bad.Render("x"), "\x1b[") {
		t.Error("coloured style has no escape sequence")
	}
}

// On a narrow terminal the description wraps between words, the amount stays whole, and when
// wrapping is not enough the borders go.
func TestTableFitsTheTerminal(t *testing.T) {
	t.Parallel()
	tb := Table{
		Headers: []string{"Box", "Description", "Value"},
		Rows:    [][]string{{"5", "Net VAT to pay to HMRC or reclaim (difference between boxes 3 and 4)", "£1,234,567.89"}},
		Right:   map[int]bool{2: true},
		Wrap:    map[int]bool{1: true},
	}
	render := func(width int) string {
		var b bytes.Buffer
		tb.Width = width
		if err := tb.Render(&b, NewStyles(&b, false), true); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, width := range []int{40, 80, 120} {
		out := render(width)
		if !strings.Contains(out, "£1,234,567.89") {
			t.Errorf("width %d: the amount was split:\n%s", width, out)
		}
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if n := len([]rune(line)); n > width {
				t.Errorf("width %d: a line of %d:\n%s", width, n, out)
			}
		}
	}
	if out := render(120); strings.Count(out, "\n") != 5 || !strings.Contains(out, "╭") {
		t.Errorf("at 120 the table fits on one row with borders:\n%s", out)
	}
	if out := render(30); strings.Contains(out, "│") {
		t.Errorf("at 30 the borders should go:\n%s", out)
	}
	// The widest word bounds the wrapping: "(difference" is never cut.
	if out := render(30); !strings.Contains(out, "(difference") {
		t.Errorf("a word was cut:\n%s", out)
	}
}

func TestCSVByteOrderMark(t *testing.T) {
	t.Parallel()
	tb := Table{Headers: []string{"a"}, Rows: [][]string{{"£1"}}}
	var b bytes.Buffer
	if err := tb.WriteCSV(&b, true); err != nil || b.String() != "\uFEFFa\n£1\n" {
		t.Errorf("csv with bom = %q, %v", b.String(), err)
	}
}
