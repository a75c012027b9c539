package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestTableModes(t *testing.T) {
	t.Parallel()
	tb := Table{Headers: []string{"Box", "Value"}, Rows: [][]string{{"1", "£1,000.00"}, {"5", "£7.50"}}, Right: map[int]bool{1: true}}

	var plain bytes.Buffer
	if err := tb.Render(&plain, NewStyles(&plain, false), false); err != nil {
		t.Fatal(err)
	}
	// Piped, amounts are right-aligned as at a terminal, so that they line up on the point.
	want := "Box      Value\n1    £1,000.00\n5        £7.50\n"
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

// A return history cannot fit 80 columns however its dates wrap: its amounts are never cut, so
// the lowest-priority columns are left out whole, and the line under the table names them and
// says how to see them.
func TestTableLeavesOutLowPriorityColumns(t *testing.T) {
	t.Parallel()
	tb := Table{
		Headers:  []string{"Period", "Start", "End", "Box 1", "Box 4", "Box 5", "Box 6", "Box 7", "Key"},
		Rows:     [][]string{{"Apr–Jun 2026", "1 Apr 2026", "30 Jun 2026", "£42,230.57", "£16,470.13", "£25,760.44", "£267,284.00", "£84,031.00", "26A2"}},
		Right:    map[int]bool{3: true, 4: true, 5: true, 6: true, 7: true},
		Wrap:     map[int]bool{0: true, 1: true, 2: true},
		Priority: map[int]int{1: 1, 2: 1, 6: 2, 7: 3},
		More:     "-o csv",
	}
	render := func(width int) string {
		var b bytes.Buffer
		tb.Width = width
		if err := tb.Render(&b, NewStyles(&b, false), true); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, c := range []struct {
		width int
		gone  []string
	}{
		{120, nil},
		{80, []string{"Start", "End"}},
		{70, []string{"Start", "End", "Box 6"}},
		{56, []string{"Start", "End", "Box 6", "Box 7"}},
	} {
		out := render(c.width)
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if n := len([]rune(line)); n > c.width {
				t.Errorf("width %d: a line of %d:\n%s", c.width, n, out)
			}
		}
		first := strings.SplitN(out, "\n", 3)
		if strings.HasPrefix(first[0], "╭") {
			first = first[1:]
		}
		header := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(strings.ReplaceAll(first[0], "│", "  ")), -1)
		for _, h := range tb.Headers {
			shown := contains(header, h)
			if gone := contains(c.gone, h); gone == shown {
				t.Errorf("width %d: column %q shown %v, want %v:\n%s", c.width, h, shown, !gone, out)
			}
		}
		for _, a := range []string{"£42,230.57", "£16,470.13", "£25,760.44"} {
			if !strings.Contains(out, a) {
				t.Errorf("width %d: amount %s was cut:\n%s", c.width, a, out)
			}
		}
		if c.gone == nil {
			if strings.Contains(out, "Not shown") {
				t.Errorf("width %d: a footnote with every column shown:\n%s", c.width, out)
			}
			continue
		}
		flat := strings.Join(strings.Fields(out), " ")
		want := fmt.Sprintf("Not shown at %d columns: %s.", c.width, strings.Join(c.gone, ", "))
		if !strings.Contains(flat, want) || !strings.Contains(flat, "a terminal 104 columns wide, or -o csv.") {
			t.Errorf("width %d: footnote, want %q and how to see them:\n%s", c.width, want, out)
		}
	}
	// At the width the footnote names every column is shown and nothing is wrapped: a period
	// label or a date broken over two lines is not what the note promises.
	out := render(104)
	if strings.Contains(out, "Not shown") || !strings.Contains(out, "Apr–Jun 2026") || !strings.Contains(out, "30 Jun 2026") {
		t.Errorf("at the width the footnote names, a column is left out or wrapped:\n%s", out)
	}
	// Piped, every column stays, whatever the width.
	tb.Width = 40
	var b bytes.Buffer
	if err := tb.Render(&b, NewStyles(&b, false), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Start") || !strings.Contains(b.String(), "£267,284.00") || strings.Contains(b.String(), "Not shown") {
		t.Errorf("piped table lost a column:\n%s", b.String())
	}
}

// Too narrow even without every priority column, the table is drawn over-wide rather than with
// an amount cut or a column without a priority left out.
func TestTableNeverCutsAnAmount(t *testing.T) {
	t.Parallel()
	tb := Table{Headers: []string{"Box", "Value", "Note"}, Rows: [][]string{{"6", "£1,234,567,890.00 unpaid", "whole pounds"}},
		Right: map[int]bool{1: true}, Wrap: map[int]bool{2: true}, Priority: map[int]int{2: 1}, Width: 16}
	var b bytes.Buffer
	if err := tb.Render(&b, NewStyles(&b, false), true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "£1,234,567,890.00") || !strings.Contains(out, "Box") || strings.Contains(out, "whole") {
		t.Errorf("got\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "Not shown at 16 columns: Note.") {
		t.Errorf("the footnote does not name Note:\n%s", out)
	}
	// The width it names counts the amount column whole, as it is drawn: at that width every
	// column is shown.
	m := regexp.MustCompile(`a terminal (\d+) columns wide`).FindStringSubmatch(flat)
	if m == nil || m[1] != "43" {
		t.Fatalf("footnote %q, want a terminal 43 columns wide (every column unwrapped)", flat)
	}
	tb.Width = 43
	b.Reset()
	if err := tb.Render(&b, NewStyles(&b, false), true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Not shown") {
		t.Errorf("at 41 columns:\n%s", b.String())
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Prose wraps between words to the width, keeps its indentation, and never breaks a URL: one
// wider than the line goes whole on a line of its own.
func TestWrapProseKeepsURLsWhole(t *testing.T) {
	t.Parallel()
	guide := "https://www.gov.uk/guidance/penalty-points-and-penalties-if-you-submit-your-vat-return-late"
	s := "How points and penalties work: " + guide + "\n" +
		"£800.00 of penalties is payable now. Pay it at https://www.gov.uk/pay-vat (if you cannot pay in full: https://www.gov.uk/difficulties-paying-hmrc).\n" +
		"  # the first late payment penalty on the VAT for Jan–Mar 2024, which keeps its indent"
	got := WrapProse(s, 40)
	want := "How points and penalties work:\n" + guide + "\n" +
		"£800.00 of penalties is payable now. Pay\nit at https://www.gov.uk/pay-vat (if you\ncannot pay in full:\nhttps://www.gov.uk/difficulties-paying-hmrc).\n" +
		"  # the first late payment penalty on\n  the VAT for Jan–Mar 2024, which keeps\n  its indent"
	if got != want {
		t.Errorf("WrapProse =\n%s\nwant\n%s", got, want)
	}
	for _, line := range strings.Split(got, "\n") {
		if len([]rune(line)) > 40 && !IsURLLine(line) {
			t.Errorf("a line of %d that is not a URL: %q", len([]rune(line)), line)
		}
	}
	if WrapProse(s, 0) != s {
		t.Error("width 0 (piped) changed the text")
	}
	// A word that is not a URL is cut rather than left over-wide.
	if got := WrapProse("see XP12345678901234567890", 10); got != "see\nXP12345678\n9012345678\n90" {
		t.Errorf("long word: %q", got)
	}
	// A no-break space keeps a command on one line, and is written as a plain space.
	if got := WrapProse("to see them, use -o"+NoBreak+"csv", 16); got != "to see them, use\n-o csv" {
		t.Errorf("no-break space: %q", got)
	}
	if got := WrapProse("use -o"+NoBreak+"csv", 0); got != "use -o csv" {
		t.Errorf("piped, no-break space: %q", got)
	}
	if IsURLLine("see https://x.example") || !IsURLLine("  (https://www.gov.uk/pay-vat).") {
		t.Error("IsURLLine")
	}
}

// A column is left out only when the table as drawn does not fit: a wrapped cell is often
// narrower than its column ("appeal upheld (HMRC review)" wrapped to 10 is 7 wide).
func TestTableLeavesOutAColumnOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	tb := Table{Headers: []string{"Key", "Amount", "Appeal"}, Rows: [][]string{{"26A2", "£1,234.56", "appeal upheld (HMRC review)"}},
		Right: map[int]bool{1: true}, Wrap: map[int]bool{2: true}, Priority: map[int]int{0: 1}, Width: 25}
	var b bytes.Buffer
	if err := tb.Render(&b, NewStyles(&b, false), true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "26A2") || strings.Contains(out, "Not shown") {
		t.Errorf("a column left out of a table that fits:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if n := len([]rune(line)); n > 25 {
			t.Errorf("a line of %d:\n%s", n, out)
		}
	}
}

// Piped, a row whose last cell is empty ends at its last character: tabwriter's padding would
// leave trailing spaces that diff and grep see.
func TestPipedTableHasNoTrailingSpaces(t *testing.T) {
	var b strings.Builder
	tbl := Table{Headers: []string{"Name", "Note"}, Rows: [][]string{{"Acme Widgets Ltd", ""}, {"Zed", "late"}}}
	if err := tbl.Render(&b, NewStyles(&b, false), false); err != nil {
		t.Fatal(err)
	}
	want := "Name              Note\nAcme Widgets Ltd\nZed               late\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// Prose wraps at spaces only: a hyphen inside a date, a flag, a negative amount or a URL is
// not a place to break, and no line is wider than the terminal unless one word is.
func TestWrapWordsKeepsWordsWhole(t *testing.T) {
	t.Parallel()
	s := "then run vat submit --workbook YOUR.xlsx on 2026-07-01 for -£1,234.56 as https://www.gov.uk/guidance/use-software-to-submit-your-vat-returns says"
	for _, width := range []int{20, 31, 40, 80} {
		got := WrapWords(s, width, 2)
		if strings.Join(strings.Fields(got), " ") != s {
			t.Errorf("width %d: words changed:\n%s", width, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if n := ansi.StringWidth(line); n > width && !strings.Contains(line, "https://") {
				t.Errorf("width %d: a line of %d: %q", width, n, line)
			}
		}
		for _, word := range strings.Fields(s) {
			if !strings.Contains(got, word) {
				t.Errorf("width %d: %q was split:\n%s", width, word, got)
			}
		}
	}
}

// Piped, a right-aligned column in the middle keeps two spaces either side and its header over
// its right edge; a cell on several lines continues under its own column.
func TestPipedTableRightAlignsAmounts(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	tbl := Table{Headers: []string{"Box", "Value", "Note"}, Right: map[int]bool{1: true},
		Rows: [][]string{{"1", "£1,300.10", "sales"}, {"2", "£60.00", "two\nlines"}, {"3", "-£0.50", ""}}}
	if err := tbl.Render(&b, NewStyles(&b, true), false); err != nil {
		t.Fatal(err)
	}
	want := "Box      Value  Note\n" +
		"1    £1,300.10  sales\n" +
		"2       £60.00  two\n" +
		"                lines\n" +
		"3       -£0.50\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// A quoted vat command in a message stays on one line, so it can be copied as it is.
func TestWrapProseKeepsQuotedCommandsWhole(t *testing.T) {
	s := "no submission matches that ID; see the IDs with 'vat receipts list' and try again"
	for _, width := range []int{40, 50, 60, 70} {
		got := WrapProse(s, width)
		if !strings.Contains(got, "'vat receipts list'") {
			t.Errorf("at %d the command broke:\n%s", width, got)
		}
		for _, l := range strings.Split(got, "\n") {
			if len([]rune(l)) > width {
				t.Errorf("at %d a line of %d:\n%s", width, len([]rune(l)), got)
			}
		}
	}
}
