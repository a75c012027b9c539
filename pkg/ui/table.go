package ui

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/ansi"
)

// Table is rows of text under headers. Right lists the columns to right-align (money). Wrap
// lists the columns that may be wrapped onto several lines to fit the terminal (descriptions,
// names, cell references): an amount is never in it, so a figure is never split or shortened.
// Break lists the wrapped columns whose cells may also be cut inside a word (a formula, a path).
// Width is the terminal's width; zero means no limit.
type Table struct {
	Headers []string
	Rows    [][]string
	Right   map[int]bool
	Wrap    map[int]bool
	Break   map[int]bool
	Width   int
	// Priority marks the columns that may be left out on a terminal too narrow for the table
	// even wrapped and without borders: the lowest priority goes first, columns of equal
	// priority together. A column without a priority is always shown, and a column is shown
	// whole or not at all, so an amount is never cut.
	Priority map[int]int
	// More says where else the columns left out can be seen ("-o csv"), for the line that
	// names them under the table.
	More string
}

// minWrap is the narrowest a wrapped column gets: narrower, a description reads as noise.
const minWrap = 10

// minWidth is the narrowest column i may get: its header, its longest word (a cell breaks only
// between words, so an amount or an identifier is never split) and, when wrapped, minWrap.
func (t Table) minWidth(i int, natural int) int {
	m := min(minWrap, natural)
	if i < len(t.Headers) {
		m = max(m, ansi.StringWidth(t.Headers[i]))
	}
	for _, r := range t.Rows {
		if i < len(r) && !t.Break[i] {
			for _, word := range strings.Fields(r[i]) {
				m = max(m, ansi.StringWidth(word))
			}
		}
	}
	return m
}

// Render writes the table: bordered with lipgloss on a terminal, and as plain aligned columns
// (no borders, no colour, two spaces apart, Right columns right-aligned) otherwise, so that
// `vat obligations | grep` works under cron. On a terminal narrower than the table, the Wrap
// columns are wrapped first; when that is not enough the borders go, which gives back three
// columns per column; when even that is not enough the Priority columns are left out, lowest
// first, and one line under the table names them and says how to see them. Piped output keeps every column: a script's columns never move.
func (t Table) Render(w io.Writer, s *Styles, tty bool) error {
	if !tty {
		// Plain columns at their natural widths, amounts right-aligned as at a terminal so that
		// they line up on the decimal point; never coloured, whatever the terminal's palette.
		return t.renderPlain(w, NewStyles(w, false), t.naturalWidths())
	}
	shown, widths, bordered, _ := t.fit()
	if bordered {
		if err := shown.renderBordered(w, s, widths); err != nil {
			return err
		}
	} else if err := shown.renderPlain(w, s, widths); err != nil {
		return err
	}
	if len(shown.Headers) < len(t.Headers) {
		fmt.Fprintln(w, RenderLines(s.Muted, WrapProse(t.footnote(shown), t.Width)))
	}
	return nil
}

// fit chooses what to draw: the table with as many columns as fit in Width, bordered when the
// borders fit too. ok is false when even without every Priority column the table is wider than
// Width; then the narrowest table is drawn, over-wide rather than with an amount cut.
func (t Table) fit() (shown Table, widths []int, bordered, ok bool) {
	levels := []int{}
	for _, p := range t.Priority {
		if !slices.Contains(levels, p) {
			levels = append(levels, p)
		}
	}
	slices.Sort(levels)
	shown = t
	for i := 0; ; i++ {
		if i > 0 {
			shown = t.without(func(col int) bool { p, ok := t.Priority[col]; return ok && p <= levels[i-1] })
		}
		widths, bordered, ok = shown.layout()
		if ok || i == len(levels) {
			return shown, widths, bordered, ok
		}
	}
}

// layout gives each column its width: natural when the bordered table fits, else wrapped to fit
// with borders, else wrapped to fit without them; ok is false when none fits.
func (t Table) layout() (widths []int, bordered, ok bool) {
	widths = t.naturalWidths()
	n := len(widths)
	withBorders := 3*n + 1 // "│ " before each column, " " after it, and the closing "│"
	if t.Width <= 0 || sum(widths)+withBorders <= t.Width {
		return widths, true, true
	}
	if fitted, ok := t.shrink(widths, t.Width-withBorders); ok {
		return fitted, true, true
	}
	fitted, ok := t.shrink(widths, t.Width-t.gaps())
	// The column widths are upper bounds: a cell wrapped between words is often narrower than
	// its column, and the last column is not padded. The table fits when what is drawn fits.
	return fitted, false, ok || t.plainWidth(fitted) <= t.Width
}

// plainWidth is the width of the widest line renderPlain draws.
func (t Table) plainWidth(widths []int) int {
	var b strings.Builder
	_ = t.renderPlain(&b, NewStyles(&b, false), widths)
	n := 0
	for _, line := range strings.Split(b.String(), "\n") {
		n = max(n, ansi.StringWidth(line))
	}
	return n
}

// BorderedWidth is how wide the table is drawn with borders and nothing wrapped, for a view
// that picks another layout when that does not fit.
func (t Table) BorderedWidth() int { return sum(t.naturalWidths()) + 3*len(t.Headers) + 1 }

// gaps is the room the borderless table puts between its columns.
func (t Table) gaps() int { return 2 * max(0, len(t.Headers)-1) }

// without is the table less the columns drop picks.
func (t Table) without(drop func(col int) bool) Table {
	out := Table{Width: t.Width, Right: map[int]bool{}, Wrap: map[int]bool{}, Break: map[int]bool{}, More: t.More}
	var keep []int
	for i, h := range t.Headers {
		if drop(i) {
			continue
		}
		j := len(keep)
		keep = append(keep, i)
		out.Headers = append(out.Headers, h)
		out.Right[j], out.Wrap[j], out.Break[j] = t.Right[i], t.Wrap[i], t.Break[i]
	}
	for _, r := range t.Rows {
		row := make([]string, 0, len(keep))
		for _, i := range keep {
			if i < len(r) {
				row = append(row, r[i])
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// footnote names the columns left out of shown, and how to see them: the terminal width at
// which every column is drawn unwrapped, and More.
func (t Table) footnote(shown Table) string {
	var gone []string
	for _, h := range t.Headers {
		if !slices.Contains(shown.Headers, h) {
			gone = append(gone, h)
		}
	}
	// The width at which every column is drawn whole, nothing wrapped: at the narrowest width
	// that merely holds them, every date and period label would break over two lines.
	need := t.gaps() + sum(t.naturalWidths())
	s := fmt.Sprintf("Not shown at %d columns: %s. To see %s: a terminal %d columns wide", t.Width, strings.Join(gone, ", "),
		map[bool]string{true: "it", false: "them"}[len(gone) == 1], need)
	if t.More != "" {
		// A command or an option in it ('vat returns 26A2', -o csv) is never split over lines.
		s += ", or " + commandRE.ReplaceAllStringFunc(t.More, KeepWhole)
	}
	return s + "."
}

var commandRE = regexp.MustCompile(`'[^']*'|-o [a-z]+`)

func (t Table) renderBordered(w io.Writer, s *Styles, widths []int) error {
	rows := t.wrapped(widths)
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(s.Border).
		Headers(t.Headers...).
		Rows(rows...).
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

func (t Table) naturalWidths() []int {
	widths := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		widths[i] = ansi.StringWidth(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			if i >= len(widths) {
				break
			}
			for _, line := range strings.Split(c, "\n") {
				widths[i] = max(widths[i], ansi.StringWidth(line))
			}
		}
	}
	return widths
}

// shrink narrows the widest wrappable column, one cell at a time, until the columns fit in
// room; ok is false when they cannot.
func (t Table) shrink(natural []int, room int) ([]int, bool) {
	w := append([]int(nil), natural...)
	floor := make([]int, len(w))
	for i := range w {
		floor[i] = t.minWidth(i, natural[i])
	}
	for sum(w) > room {
		widest := -1
		for i := range w {
			if t.Wrap[i] && w[i] > floor[i] && (widest < 0 || w[i] > w[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return w, false
		}
		w[widest]--
	}
	return w, true
}

// wrapped returns the rows with each wrappable cell broken into lines no wider than its column.
func (t Table) wrapped(widths []int) [][]string {
	rows := make([][]string, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]string, len(row))
		for i, c := range row {
			if t.Wrap[i] && i < len(widths) && ansi.StringWidth(c) > widths[i] {
				c = ansi.Wrap(c, widths[i], "")
			}
			rows[r][i] = c
		}
	}
	return rows
}

// renderPlain draws a terminal table without borders: bold headers, two spaces between
// columns, wrapped cells continued on the next lines.
func (t Table) renderPlain(w io.Writer, s *Styles, widths []int) error {
	line := func(cells []string, header bool) {
		split := make([][]string, len(cells))
		height := 1
		for i, c := range cells {
			split[i] = strings.Split(c, "\n")
			height = max(height, len(split[i]))
		}
		for l := 0; l < height; l++ {
			var b strings.Builder
			for i := range cells {
				part := ""
				if l < len(split[i]) {
					part = split[i][l]
				}
				width := 0
				if i < len(widths) {
					width = widths[i]
				}
				pad := strings.Repeat(" ", max(0, width-ansi.StringWidth(part)))
				if header {
					part = s.Strong.Render(part)
				}
				if t.Right[i] {
					part = pad + part
				} else if i < len(cells)-1 {
					part += pad
				}
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(part)
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	line(t.Headers, true)
	for _, r := range t.wrapped(widths) {
		line(r, false)
	}
	return nil
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// WriteCSV writes the table as RFC 4180 CSV with a header row. With bom, the file starts with
// UTF-8's byte-order mark, without which Excel on Windows reads "£" as "Â£".
func (t Table) WriteCSV(w io.Writer, bom ...bool) error {
	if len(bom) > 0 && bom[0] {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
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

// Indent indents every line of s but the first by n spaces, for a wrapped value that continues
// under its own column.
func Indent(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// WrapWords breaks s between words (at spaces only) into lines of at most width columns, the
// lines after the first indented by indent spaces (the first line's indent is the caller's). It
// never breaks inside a word, not even at a hyphen: a date, a flag, a negative amount or a URL
// stays whole, and a word longer than the line has a line of its own.
func WrapWords(s string, width, indent int) string {
	if width <= indent+10 {
		return s
	}
	limit := width - indent
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var line strings.Builder
		n := 0
		for _, word := range strings.Fields(para) {
			w := ansi.StringWidth(word)
			if n > 0 && n+1+w > limit {
				lines = append(lines, line.String())
				line.Reset()
				n = 0
			}
			if n > 0 {
				line.WriteByte(' ')
				n++
			}
			line.WriteString(word)
			n += w
		}
		lines = append(lines, line.String())
	}
	return Indent(strings.Join(lines, "\n"), indent)
}
