// Package feedback is `vat fraud-headers feedback`: prints HMRC's feedback on the headers of the latest sandbox requests.
package feedback

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// FeedbackOptions are the inputs of `vat fraud-headers feedback`.
type FeedbackOptions struct {
	IO          *iostreams.IOStreams
	FraudMethod func(name string) (fraud.Method, error)
	// AppClient is the application-restricted client whose requests carry the headers of the
	// given method (empty: the profile's), so that --method tests exactly what would be sent.
	AppClient func(ctx context.Context, method string) (*hmrc.Client, error)
	Output    func(doc any) error
	Status    func(format string, args ...any)

	// Method is --method, inherited from `vat fraud-headers`.
	Method string
}

// NewCmdFeedback builds `vat fraud-headers feedback`; runF, when not nil, replaces the run (for tests).
func NewCmdFeedback(f *cmdutil.Factory, runF func(*FeedbackOptions) error) *cobra.Command {
	opts := &FeedbackOptions{IO: f.IOStreams, FraudMethod: f.FraudMethod, Output: f.Output, Status: f.Status,
		AppClient: func(ctx context.Context, method string) (*hmrc.Client, error) {
			// --method overrides the profile's connection method for this run only.
			f.OverrideFraudMethod(method)
			return f.AppHMRC(ctx)
		}}
	return &cobra.Command{
		Use:   "feedback",
		Short: "Print HMRC's feedback on the headers of the latest sandbox VAT requests",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Method, _ = cmd.Flags().GetString("method")
			if runF != nil {
				return runF(opts)
			}
			return feedbackRun(cmd.Context(), opts)
		},
	}
}

func feedbackRun(ctx context.Context, opts *FeedbackOptions) error {
	m, err := opts.FraudMethod(opts.Method)
	if err != nil {
		return err
	}
	client, err := opts.AppClient(ctx, opts.Method)
	if err != nil {
		return err
	}
	fb, _, err := client.FraudHeadersFeedback(ctx, hmrc.FraudAPIVATMTD, string(m))
	if err != nil {
		return err
	}
	if len(fb.Requests) == 0 {
		opts.Status("HMRC has no recent %s requests from this application to give feedback on", m)
	}
	return opts.Output(Doc{FraudFeedback: *fb})
}

// Doc is `vat fraud-headers feedback -o json`: HMRC's feedback as it sent it.
type Doc struct {
	hmrc.FraudFeedback
}

// CSV is a header of a request a row, with its errors and warnings joined, then a row for each
// of HMRC's checks across headers (their names joined by spaces). The request's method and path
// are columns apart, as HMRC's feedback gives them.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"method", "path", "header", "code", "problems"}}
	for _, r := range d.Requests {
		for _, row := range requestRows(r, " ") {
			tbl.Rows = append(tbl.Rows, append([]string{r.Method, r.Path}, row...))
		}
	}
	return tbl
}

// tableHeaders head the table of one request's rows: Header, Code, Problems.
var tableHeaders = []string{"Header", "Code", "Problems"}

// requestRows are one request's rows without the request: header, code, problems. sep joins the
// names of the headers a check across headers names.
func requestRows(r hmrc.FraudRequestFeedback, sep string) [][]string {
	var rows [][]string
	for _, h := range r.Headers {
		rows = append(rows, []string{h.Header, h.Code, problems(h.Errors, h.Warnings)})
	}
	for _, x := range r.CrossValidation {
		rows = append(rows, []string{strings.Join(x.Headers, sep), x.Code, problems(x.Errors, x.Warnings)})
	}
	return rows
}

func problems(errs, warns []hmrc.FraudItem) string {
	var out []string
	for _, it := range errs {
		out = append(out, "error: "+it.Message)
	}
	for _, it := range warns {
		out = append(out, "warning: "+it.Message)
	}
	return strings.Join(out, "; ")
}

// Text draws a table per request under a line naming it, rather than the request on every row
// as the CSV has it: a request's path alone is half an 80-column terminal.
func (d Doc) Text(w io.Writer, t cmdutil.Term) error {
	if len(d.Requests) == 0 {
		empty := ui.Table{Headers: append([]string{"Request"}, tableHeaders...), Width: t.Width}
		return empty.Render(w, t.Styles, t.TTY)
	}
	for i, r := range d.Requests {
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := strings.TrimSpace(r.Method + " " + r.Path)
		if r.RequestTimestamp != "" {
			title += " at " + r.RequestTimestamp
		}
		fmt.Fprintln(w, ui.WrapWords(title+": "+r.Code, t.Width, 2))
		// A check across headers names several: a terminal shows them one under another, whole,
		// where wrapping would break a name at a hyphen.
		sep := " "
		if t.TTY {
			sep = "\n"
		}
		tbl := ui.Table{Headers: tableHeaders, Rows: requestRows(r, sep), Wrap: map[int]bool{2: true}, Width: t.Width}
		if err := tbl.Render(w, t.Styles, t.TTY); err != nil {
			return err
		}
	}
	return nil
}
