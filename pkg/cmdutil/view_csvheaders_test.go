package cmdutil

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/ui"
)

// CSVHeaders name the columns for a spreadsheet; people still read the words of Headers.
func TestViewCSVHeaders(t *testing.T) {
	v := testView()
	v.CSVHeaders = []string{"amount", "due", "appeal"}
	var b bytes.Buffer
	if err := v.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "amount,due,appeal\n") {
		t.Errorf("WriteCSV = %q", got)
	}
	if got := (viewDoc{view: v}).CSV().Headers; strings.Join(got, ",") != "amount,due,appeal" {
		t.Errorf("Output's CSV headers = %v", got)
	}
	b.Reset()
	if err := v.Render(&b, ui.NewStyles(&b, false), false, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimLeft(b.String(), " "), "Amount") {
		t.Errorf("table = %q", b.String())
	}
}

// Piped, a view's amounts are right-aligned as on a terminal, and a column with an alert keeps
// its decimal points in line.
func TestPipedViewAlignsAmounts(t *testing.T) {
	v := View{Headers: []string{"Type", "Outstanding"}, Right: map[int]bool{1: true}, Rows: [][]Cell{
		{{Text: "Credit"}, {Text: "£0.00"}},
		{{Text: "Debit"}, {Text: "£13,747.44", Alert: true}},
	}}
	var b bytes.Buffer
	if err := v.Render(&b, ui.NewStyles(&b, false), false, 0); err != nil {
		t.Fatal(err)
	}
	want := "Type     Outstanding\nCredit       £0.00\nDebit   £13,747.44 !\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// A word after an amount (" unpaid", " !") never pushes the amount out of line: in every row
// of the column the amounts end in one place.
func TestViewAmountsEndInOneColumn(t *testing.T) {
	v := View{Headers: []string{"Point", "Penalty"}, Right: map[int]bool{1: true}, Rows: [][]Cell{
		{{Text: "4"}, {Text: "£200.00"}},
		{{Text: "5"}, {Text: "£1,200.00 unpaid", Alert: true}},
		{{Text: "6"}, {Text: "£20.00"}},
	}}
	for _, tty := range []bool{false, true} {
		var b bytes.Buffer
		if err := v.Render(&b, ui.NewStyles(&b, false), tty, 80); err != nil {
			t.Fatal(err)
		}
		end := -1
		for _, line := range strings.Split(b.String(), "\n") {
			i := strings.Index(line, ".00")
			if i < 0 {
				continue
			}
			if end >= 0 && i != end {
				t.Errorf("tty %v: amounts end in different columns:\n%s", tty, b.String())
				break
			}
			end = i
		}
	}
}
