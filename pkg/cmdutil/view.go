package cmdutil

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Cell is one value of an account view. People read Text ("£1,234.50", "7 Aug 2026"); a
// spreadsheet gets Raw ("1234.50", "2026-08-07"), one value per column, so that it opens as
// numbers and dates rather than as text with symbols in it.
type Cell struct {
	Text string
	Raw  string
	// Alert marks what needs acting on (overdue, unpaid); a terminal shows it in the alarm colour.
	Alert bool
}

// TextCell is the same text for people and spreadsheets.
func TextCell(s string) Cell { return Cell{Text: s, Raw: s} }

// MoneyCell is an amount: £ with thousands separators for people, a plain number in CSV.
func MoneyCell(m vatreturn.Money) Cell { return Cell{Text: m.GBP(), Raw: m.String()} }

// MoneyPtrCell is an optional amount; absent stays empty, which is not the same as £0.00.
func MoneyPtrCell(m *vatreturn.Money) Cell {
	if m == nil {
		return Cell{}
	}
	return MoneyCell(*m)
}

// DateCell is a date: "7 Aug 2026" for people, ISO in CSV.
func DateCell(d hmrc.Date) Cell {
	if d.IsZero() {
		return Cell{}
	}
	return Cell{Text: HumanDate(d), Raw: d.String()}
}

// View is a table of an account view: rows of cells under headers.
type View struct {
	Headers []string
	// CSVHeaders, when set, name the same columns for a spreadsheet: HMRC's field names in
	// camelCase where people read words ("Period from" is periodFrom).
	CSVHeaders []string
	Right      map[int]bool // columns aligned right (money)
	Rows       [][]Cell
	// Empty is said on stderr when there are no rows, instead of a table header with nothing under it.
	Empty string
	// Priority and More are ui.Table's: the columns a terminal too narrow for the table may
	// leave out, lowest first, and where else to see them. CSV and JSON keep every column.
	Priority map[int]int
	More     string
}

// RenderView writes a view in the chosen format through Output: doc as JSON (HMRC's field
// names), the raw values as CSV, or the table for people. A view without rows prints its Empty
// sentence on stderr and, for CSV, the header alone, so a script still sees the columns.
func (f *Factory) RenderView(doc any, v View) error {
	if _, err := f.Settings(); err != nil {
		return err
	}
	if len(v.Rows) == 0 && v.Empty != "" {
		f.Status("%s", v.Empty)
	}
	return f.Output(viewDoc{doc: doc, view: v})
}

// viewDoc gives an account view's document the Output views.
type viewDoc struct {
	doc  any
	view View
}

func (d viewDoc) MarshalJSON() ([]byte, error) { return marshalJSON(d.doc) }

func (d viewDoc) Text(w io.Writer, t Term) error {
	if len(d.view.Rows) == 0 {
		return nil
	}
	return d.view.Render(w, t.Styles, t.TTY, t.Width)
}

func (d viewDoc) CSV() ui.Table {
	t := ui.Table{Headers: d.view.csvHeaders()}
	for _, r := range d.view.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = c.Raw
		}
		t.Rows = append(t.Rows, rec)
	}
	return t
}

// WriteCSV writes the header and the raw values.
func (v View) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(v.csvHeaders()); err != nil {
		return err
	}
	for _, r := range v.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = c.Raw
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (v View) csvHeaders() []string {
	if v.CSVHeaders != nil {
		return v.CSVHeaders
	}
	return v.Headers
}

// fitted is the view as a ui.Table that fits width: every column that holds words (not money)
// may wrap.
func (v View) fitted(rows [][]string, width int) ui.Table {
	t := ui.Table{Headers: v.Headers, Rows: rows, Right: v.Right, Width: width, Wrap: map[int]bool{}, Priority: v.Priority, More: v.More}
	for col := range v.Headers {
		if v.Right[col] {
			continue
		}
		for _, r := range rows {
			if col < len(r) && strings.Contains(r[col], " ") {
				t.Wrap[col] = true
				break
			}
		}
	}
	return t
}

// Render writes the table for people: bordered by lipgloss on a terminal when it fits in width,
// else (and when piped) plain aligned columns; on a terminal too narrow even for those, without
// its Priority columns, named under it.
func (v View) Render(w io.Writer, st *ui.Styles, tty bool, width int) error {
	v = v.dropEmptyColumns()
	if !tty {
		return v.plain(w)
	}
	rows := make([][]string, len(v.Rows))
	for i, r := range v.Rows {
		rows[i] = make([]string, len(r))
		for j, c := range r {
			rows[i][j] = c.Text
			if c.Alert && !st.Colored() && c.Text != "" {
				rows[i][j] += " !"
			}
		}
	}
	alignSuffixes(rows, v.Right)
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(st.Border).
		Headers(v.Headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := st.Label.UnsetForeground().Padding(0, 1)
			if row == table.HeaderRow {
				return s.Bold(true)
			}
			if v.Right[col] {
				s = s.Align(lipgloss.Right)
			}
			if row >= 0 && row < len(v.Rows) && col < len(v.Rows[row]) && v.Rows[row][col].Alert {
				s = s.Inherit(st.Bad)
			}
			return s
		})
	out := tb.Render()
	if width > 0 && lipgloss.Width(out) > width {
		// lipgloss would crop or wrap cells to fit, cutting a charge reference or an amount in
		// two. ui.Table wraps the text columns between words (never an amount or a reference)
		// and drops the borders when that is not enough. ui.Table knows no alerts, so an alert
		// cell comes to it already coloured: an overdue figure must not lose its alarm.
		if st.Colored() {
			for i, r := range v.Rows {
				for j, c := range r {
					if c.Alert && c.Text != "" {
						// Coloured, keeping the padding that lines its amount up.
						rows[i][j] = st.Bad.Render(c.Text) + rows[i][j][len(c.Text):]
					}
				}
			}
		}
		return v.fitted(rows, width).Render(w, st, true)
	}
	_, err := fmt.Fprintln(w, out)
	return err
}

// plain writes aligned columns without borders or colour, amounts right-aligned as on a
// terminal; an alert is marked with " !" so that grep still finds it, and in a column that has
// one the other figures keep their decimal points in line with it.
func (v View) plain(w io.Writer) error {
	t := ui.Table{Headers: v.Headers, Right: v.Right}
	for _, r := range v.Rows {
		texts := make([]string, len(r))
		for i, c := range r {
			texts[i] = c.Text
			if c.Alert && c.Text != "" {
				texts[i] += " !"
			}
		}
		t.Rows = append(t.Rows, texts)
	}
	alignSuffixes(t.Rows, v.Right)
	return t.Render(w, ui.NewStyles(w, false), false)
}

// alignSuffixes pads what follows an amount in a right-aligned column (" !", " unpaid", " to
// pay") to the same width in every row, so that the amounts themselves end in one column and
// their decimal points line up.
func alignSuffixes(rows [][]string, right map[int]bool) {
	for col := range right {
		widest := 0
		for _, r := range rows {
			if col < len(r) {
				if _, suffix, ok := strings.Cut(r[col], " "); ok {
					widest = max(widest, ansi.StringWidth(suffix)+1)
				}
			}
		}
		if widest == 0 {
			continue
		}
		for _, r := range rows {
			if col >= len(r) || r[col] == "" {
				continue
			}
			n := 0
			if _, suffix, ok := strings.Cut(r[col], " "); ok {
				n = ansi.StringWidth(suffix) + 1
			}
			r[col] += strings.Repeat(" ", widest-n)
		}
	}
}

// OutputFormat is the resolved -o: table, json or csv.
func (f *Factory) OutputFormat() (string, error) {
	s, err := f.Settings()
	return s.Output, err
}

// dropEmptyColumns leaves out, for people, a column with nothing in any row (no appeals, say), so
// that a table fits the terminal; CSV keeps every column so that its layout never changes.
func (v View) dropEmptyColumns() View {
	keep := make([]bool, len(v.Headers))
	for _, r := range v.Rows {
		for i, c := range r {
			if i < len(keep) && c.Text != "" {
				keep[i] = true
			}
		}
	}
	out := View{Right: map[int]bool{}, Empty: v.Empty, Priority: map[int]int{}, More: v.More}
	for i, h := range v.Headers {
		if keep[i] {
			if v.Right[i] {
				out.Right[len(out.Headers)] = true
			}
			if p, ok := v.Priority[i]; ok {
				out.Priority[len(out.Headers)] = p
			}
			out.Headers = append(out.Headers, h)
		}
	}
	for _, r := range v.Rows {
		var row []Cell
		for i, c := range r {
			if i < len(keep) && keep[i] {
				row = append(row, c)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// DecimalCell is an exact amount of any precision (HMRC's interest can have more than two
// decimals): at least two decimals, never rounded; absent stays empty.
func DecimalCell(d *hmrc.Decimal) Cell {
	if d == nil {
		return Cell{}
	}
	raw := PlainDecimal(d.Decimal)
	sign, s := "", raw
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return Cell{Text: sign + "£" + b.String() + "." + frac, Raw: raw}
}

// PlainDecimal writes d with at least two decimals ("3" → "3.00", "12.345" stays).
func PlainDecimal(d vatreturn.Decimal) string {
	s := d.String()
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	return whole + "." + frac
}
