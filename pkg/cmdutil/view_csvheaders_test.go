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
