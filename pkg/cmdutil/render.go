package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/ui"
)

// A command's document is one typed struct: marshalled as it is, it is the -o json output (and
// the JSON Schema generated from it, the contract scripts rely on). The table and CSV views are
// derived from the same struct through the interfaces below, so the three formats cannot drift.

// Tabular is a document whose people's view is a table.
type Tabular interface{ Table() ui.Table }

// Texter is a document whose people's view is free text (a receipt, a summary).
type Texter interface {
	Text(w io.Writer, t Term) error
}

// CSVer is a document that lists rows. Its CSV holds plain values: numbers as 1234.56, with no
// "£" or thousands separators, and one value per column, so a spreadsheet reads them as numbers.
type CSVer interface{ CSV() ui.Table }

// Term is what a text view may depend on: the palette, whether the output is a terminal, and
// its width.
type Term struct {
	Styles *ui.Styles
	TTY    bool
	Width  int
}

// Output writes doc in the chosen format. It is the one render path of every command.
func (f *Factory) Output(doc any) error {
	out := f.IOStreams.Out
	switch f.format() {
	case "json":
		return ui.WriteJSON(out, doc)
	case "csv":
		c, ok := doc.(CSVer)
		if !ok {
			return FlagErrorf("-o csv: this command lists no rows; use -o json or -o table")
		}
		return c.CSV().WriteCSV(out, f.CSVBOM())
	}
	v := Term{Styles: f.Styles(), TTY: f.IOStreams.IsStdoutTTY(), Width: f.IOStreams.TerminalWidth()}
	switch d := doc.(type) {
	case Texter:
		return d.Text(out, v)
	case Tabular:
		t := d.Table()
		t.Width = v.Width
		return t.Render(out, v.Styles, v.TTY)
	}
	return fmt.Errorf("internal error: %T has no table or text view", doc)
}

// format is table, json or csv. Unlike OutputFormat it answers even when the settings failed
// to resolve, so that the error itself comes out in the format asked for.
func (f *Factory) format() string {
	if f.err == nil && f.settings.Output != "" {
		return f.settings.Output
	}
	if f.flags != nil {
		if fl := f.flags.Lookup("output"); fl != nil && fl.Changed {
			return fl.Value.String()
		}
	} else if out, ok := outputFromArgs(f.args); ok {
		return out
	}
	if v := f.Getenv("VAT_OUTPUT"); v != "" {
		return v
	}
	return "table"
}

// CSVBOM reports whether CSV output starts with a UTF-8 byte-order mark (--bom, VAT_CSV_BOM or
// the profile's csv_bom).
func (f *Factory) CSVBOM() bool {
	if s, err := f.Settings(); err == nil {
		return s.CSVBOM
	}
	return false
}

const annotationNoCSV = "vat:no-csv"

// NoCSV marks a command whose result is not rows (a receipt, a status): -o csv is refused with
// a usage error before it runs, rather than after it has acted.
func NoCSV(cmd *cobra.Command) *cobra.Command {
	return NoCSVUnless(cmd, "")
}

// NoCSVUnless is NoCSV for a command that lists rows only with one of its flags given
// (submit --all-clients: a row per client): with that flag, -o csv is allowed.
func NoCSVUnless(cmd *cobra.Command, flag string) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationNoCSV] = "true"
	if flag != "" {
		cmd.Annotations[annotationNoCSV] = "unless:" + flag
	}
	return cmd
}

// CSVRefusal says whether cmd refuses -o csv, and the flag that makes it list rows ("" when
// none does), for help that lists them from the commands themselves.
func CSVRefusal(cmd *cobra.Command) (refused bool, unless string) {
	mark := cmd.Annotations[annotationNoCSV]
	if flag, ok := strings.CutPrefix(mark, "unless:"); ok {
		unless = flag
	}
	return mark != "", unless
}

// CheckOutput refuses -o csv for a command marked NoCSV. The root command calls it before any
// command runs.
func (f *Factory) CheckOutput(cmd *cobra.Command) error {
	mark := cmd.Annotations[annotationNoCSV]
	if mark == "" || f.format() != "csv" {
		return nil
	}
	if flag, ok := strings.CutPrefix(mark, "unless:"); ok {
		if fl := cmd.Flags().Lookup(flag); fl != nil && fl.Changed {
			return nil
		}
		return FlagErrorf("-o csv: '%s' lists no rows (with --%s, a row per client); use -o json or -o table", cmd.CommandPath(), flag)
	}
	return FlagErrorf("-o csv: '%s' lists no rows; use -o json or -o table", cmd.CommandPath())
}

func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
