package cli

import (
	"fmt"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// render writes a command's result in the chosen format: doc as JSON, or tbl as a table or CSV.
func (f *Factory) render(doc any, tbl ui.Table) error {
	s, err := f.Settings()
	if err != nil {
		return err
	}
	switch s.Output {
	case "json":
		return ui.WriteJSON(f.IOStreams.Out, doc)
	case "csv":
		return tbl.WriteCSV(f.IOStreams.Out)
	}
	return tbl.Render(f.IOStreams.Out, f.Styles(), f.IOStreams.IsStdoutTTY())
}

// status writes a progress line to stderr, where it never mixes with data. With -o json stderr
// is reserved for the error document, so scripts can parse it; progress is dropped.
func (f *Factory) status(format string, args ...any) {
	if f.jsonOutputRequested() {
		return
	}
	fmt.Fprintf(f.IOStreams.ErrOut, format+"\n", args...)
}

// parseDateFlag reads a YYYY-MM-DD flag value, naming the flag when it is wrong.
func parseDateFlag(name, v string) (hmrc.Date, error) {
	if v == "" {
		return hmrc.Date{}, nil
	}
	d, err := hmrc.ParseDate(v)
	if err != nil {
		return d, flagErrorf("--%s %q: want a date as YYYY-MM-DD", name, v)
	}
	return d, nil
}

// today is the calendar date in the user's own zone: a UK business's "today" is not UTC's at
// 00:30 BST.
func (f *Factory) today() hmrc.Date { return hmrc.DateOf(f.Now()) }

// humanDate formats a date for people, e.g. "7 Aug 2026".
func humanDate(d hmrc.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 Jan 2006")
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
