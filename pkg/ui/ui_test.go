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
