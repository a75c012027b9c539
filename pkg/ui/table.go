package ui

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
)

// Table is rows of text under headers. Right lists the columns to right-align (money).
type Table struct {
	Headers []string
	Rows    [][]string
	Right   map[int]bool
}

// Render writes the table: bordered with lipgloss on a terminal, and as plain aligned columns
// (no borders, no colour) otherwise, so that `vat obligations | grep` works under cron.
func (t Table) Render(w io.Writer, s *Styles, tty bool) error {
	if !tty {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(t.Headers, "\t"))
		for _, r := range t.Rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		return tw.Flush()
	}
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(s.Border).
		Headers(t.Headers...).
		Rows(t.Rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			st := s.r.NewStyle().Padding(0, 1)
			if row == table.HeaderRow {
				return st.Bold(true)
			}
			if t.Right[col] {
				st = st.Align(lipgloss.Right)
			}
			return st
		})
	_, err := fmt.Fprintln(w, tb.Render())
	return err
}

// WriteCSV writes the table as RFC 4180 CSV with a header row.
func (t Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Headers); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes one indented JSON document followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
