// Package show is `vat fraud-headers show`: each header as it would be sent, with its source.
package show

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// ShowOptions are the inputs of `vat fraud-headers show`.
type ShowOptions struct {
	IO             *iostreams.IOStreams
	FraudMethod    func(name string) (fraud.Method, error)
	FraudCollector func() (fraud.Collector, error)
	Now            func() time.Time
	Output         func(doc any) error
	Status         func(format string, args ...any)

	// Method is --method, inherited from `vat fraud-headers`.
	Method string
}

// NewCmdShow builds `vat fraud-headers show`; runF, when not nil, replaces the run (for tests).
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, FraudMethod: f.FraudMethod, FraudCollector: f.FraudCollector,
		Now: func() time.Time { return f.Now() }, Output: f.Output, Status: f.Status}
	return &cobra.Command{
		Use:   "show",
		Short: "Print each header as it would be sent, with its source or why it is empty",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Method, _ = cmd.Flags().GetString("method")
			if runF != nil {
				return runF(opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
}

// Doc is `vat fraud-headers show -o json`: the connection method and each header as it would be
// sent, in the order HMRC's specification lists them.
type Doc struct {
	ConnectionMethod fraud.Method `json:"connectionMethod"`
	Headers          []fraud.Line `json:"headers"`
}

// CSV is a header a row: its name, its value and where the value comes from.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"header", "value", "source"}}
	for _, l := range d.Headers {
		tbl.Rows = append(tbl.Rows, []string{l.Header, l.Value, l.Explanation})
	}
	return tbl
}

// Text draws the same rows, fitted to the terminal: a long value is broken across lines (a value
// holds no spaces, so its lines joined together are the value exactly) and a source is wrapped
// between words.
func (d Doc) Text(w io.Writer, t cmdutil.Term) error {
	tbl := d.CSV()
	tbl.Headers = []string{"Header", "Value", "Source"}
	if t.TTY && t.Width > 0 && tbl.BorderedWidth() > t.Width {
		return d.blocks(w, t)
	}
	tbl.Wrap = map[int]bool{1: true, 2: true}
	tbl.Break = map[int]bool{1: true}
	tbl.Width = t.Width
	return tbl.Render(w, t.Styles, t.TTY)
}

// blocks is the narrow terminal's layout: a header per block, its value and source labelled
// under it. Three columns of a third of the screen each cut most values at every few
// characters; here a value has all but ten columns, and only one longer than that is broken
// (at the width, so that its lines joined are the value).
func (d Doc) blocks(w io.Writer, t cmdutil.Term) error {
	const label = 10 // "  value   "
	room := max(t.Width-label, 20)
	for i, l := range d.Headers {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, t.Styles.Strong.Render(l.Header))
		value := "(empty)"
		if l.Value != "" {
			value = ansi.Hardwrap(l.Value, room, false)
		}
		fmt.Fprintf(w, "  %-8s%s\n", "value", ui.Indent(value, label))
		fmt.Fprintf(w, "  %-8s%s\n", "source", ui.Indent(ui.WrapProse(l.Explanation, room), label))
	}
	return nil
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	m, err := opts.FraudMethod(opts.Method)
	if err != nil {
		return err
	}
	c, err := opts.FraudCollector()
	if err != nil {
		return err
	}
	facts, err := c.Collect(ctx)
	if err != nil {
		return fmt.Errorf("collect fraud-prevention data: %w", err)
	}
	lines := fraud.Describe(m, facts, opts.Now())
	empty := 0
	for _, l := range lines {
		if l.Empty {
			empty++
		}
	}
	if err := opts.Output(Doc{ConnectionMethod: m, Headers: lines}); err != nil {
		return err
	}
	if empty > 0 {
		opts.Status("%d of %d headers are empty; HMRC expects you to explain each to SDSTeam@hmrc.gov.uk", empty, len(lines))
	}
	return nil
}
