package cmdutil

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

func testView() View {
	d, _ := hmrc.ParseDate("2026-08-07")
	due := DateCell(d)
	due.Alert = true
	return View{Headers: []string{"Amount", "Due", "Appeal"}, Right: map[int]bool{0: true},
		Rows: [][]Cell{{MoneyCell(vatreturn.Money(123456)), due, {}}}}
}

// People get pounds and UK dates; a spreadsheet gets plain numbers and ISO dates, every column.
func TestViewCSVIsRaw(t *testing.T) {
	var b bytes.Buffer
	if err := testView().WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "Amount,Due,Appeal\n1234.56,2026-08-07,\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}
}

func TestViewPlainMarksAlertsAndDropsEmptyColumns(t *testing.T) {
	var b bytes.Buffer
	if err := testView().Render(&b, ui.NewStyles(&b, false), false, 0); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.Contains(got, "£1,234.56") || !strings.Contains(got, "7 Aug 2026 !") || strings.Contains(got, "Appeal") || strings.Contains(got, "\x1b[") {
		t.Errorf("plain = %q", got)
	}
}

// With colour the alert is coloured rather than marked; without (NO_COLOR) there is no escape.
func TestViewColourOnlyWhenEnabled(t *testing.T) {
	var on, off bytes.Buffer
	if err := testView().Render(&on, ui.NewStyles(&on, true), true, 120); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(on.String(), "\x1b[") || strings.Contains(on.String(), " !") {
		t.Errorf("colour on: %q", on.String())
	}
	if err := testView().Render(&off, ui.NewStyles(&off, false), true, 120); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(off.String(), "\x1b[") || !strings.Contains(off.String(), "7 Aug 2026 !") || !strings.Contains(off.String(), "╭") {
		t.Errorf("colour off: %q", off.String())
	}
}

// A table wider than the terminal is never cropped: it falls back to plain columns.
func TestViewTooWideFallsBackToPlain(t *testing.T) {
	var b bytes.Buffer
	if err := testView().Render(&b, ui.NewStyles(&b, false), true, 20); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "╭") || !strings.Contains(b.String(), "£1,234.56") {
		t.Errorf("narrow = %q", b.String())
	}
}

// Interest can have more than two decimals: shown exactly, never rounded to pence.
func TestDecimalCellKeepsEveryDecimal(t *testing.T) {
	var d hmrc.Decimal
	if err := d.UnmarshalJSON([]byte("12345.678")); err != nil {
		t.Fatal(err)
	}
	if c := DecimalCell(&d); c.Text != "£12,345.678" || c.Raw != "12345.678" {
		t.Errorf("cell = %+v", c)
	}
	if err := d.UnmarshalJSON([]byte("-3")); err != nil {
		t.Fatal(err)
	}
	if c := DecimalCell(&d); c.Text != "-£3.00" || c.Raw != "-3.00" {
		t.Errorf("cell = %+v", c)
	}
}

// A table too wide for the terminal goes through ui.Table, which knows no alerts: the overdue
// date must still be coloured.
func TestViewTooWideKeepsAlertColour(t *testing.T) {
	var b bytes.Buffer
	if err := testView().Render(&b, ui.NewStyles(&b, true), true, 20); err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(b.String(), "\n") // past the header, which is bold anyway
	if strings.Contains(b.String(), "╭") || !strings.Contains(body, "\x1b[") {
		t.Errorf("narrow, colour on: %q", b.String())
	}
}

// Priority follows its column when an empty column before it is left out: the low-priority
// column goes, not its neighbour, and the line under the table names it.
func TestViewPriorityFollowsEmptyColumns(t *testing.T) {
	v := View{Headers: []string{"Appeal", "Amount", "Note", "Key"}, Right: map[int]bool{1: true},
		Rows:     [][]Cell{{{}, MoneyCell(vatreturn.Money(123456789)), TextCell("a long note"), TextCell("26A2")}},
		Priority: map[int]int{2: 1}, More: "-o csv"}
	var b bytes.Buffer
	if err := v.Render(&b, ui.NewStyles(&b, false), true, 20); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.Contains(got, "£1,234,567.89") || !strings.Contains(got, "26A2") || strings.Contains(got, "long") ||
		!strings.Contains(strings.Join(strings.Fields(got), " "), "Not shown at 20 columns: Note.") {
		t.Errorf("got\n%s", got)
	}
}
