// Package validate is `vat fraud-headers validate`: checks the headers with HMRC's Test Fraud Prevention Headers API.
package validate

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// ValidateOptions are the inputs of `vat fraud-headers validate`.
type ValidateOptions struct {
	IO          *iostreams.IOStreams
	FraudMethod func(name string) (fraud.Method, error)
	// AppClient is the application-restricted client whose requests carry the headers of the
	// given method (empty: the profile's), so that --method tests exactly what would be sent.
	AppClient func(ctx context.Context, method string) (*hmrc.Client, error)
	// UserClient is the signed-in user's client, tried when HMRC's validator refuses the
	// application's token (it reportedly does since August 2026).
	UserClient func(ctx context.Context, method string) (*hmrc.Client, error)
	Output     func(doc any) error
	Status     func(format string, args ...any)

	// Method is --method, inherited from `vat fraud-headers`.
	Method string
}

// NewCmdValidate builds `vat fraud-headers validate`; runF, when not nil, replaces the run (for tests).
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IOStreams, FraudMethod: f.FraudMethod, Output: f.Output, Status: f.Status,
		AppClient: func(ctx context.Context, method string) (*hmrc.Client, error) {
			// --method overrides the profile's connection method for this run only.
			f.OverrideFraudMethod(method)
			return f.AppHMRC(ctx)
		},
		UserClient: func(ctx context.Context, method string) (*hmrc.Client, error) {
			f.OverrideFraudMethod(method)
			return f.HMRC(ctx)
		}}
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the headers with HMRC's Test Fraud Prevention Headers API (sandbox)",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Method, _ = cmd.Flags().GetString("method")
			if runF != nil {
				return runF(opts)
			}
			return validateRun(cmd.Context(), opts)
		},
	}
}

// Doc is `vat fraud-headers validate -o json`: HMRC's validator's answer as it sent it.
type Doc struct {
	hmrc.FraudValidation
}

// CSV is an error or a warning a row, errors first.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"severity", "code", "headers", "message"}}
	for _, it := range d.Errors {
		tbl.Rows = append(tbl.Rows, []string{"error", it.Code, strings.Join(it.Headers, " "), it.Message})
	}
	for _, it := range d.Warnings {
		tbl.Rows = append(tbl.Rows, []string{"warning", it.Code, strings.Join(it.Headers, " "), it.Message})
	}
	return tbl
}

// Text draws the same rows, fitted to the terminal: the headers and HMRC's message wrap between
// words.
func (d Doc) Text(w io.Writer, t cmdutil.Term) error {
	tbl := d.CSV()
	tbl.Headers = []string{"Severity", "Code", "Headers", "Message"}
	tbl.Wrap = map[int]bool{2: true, 3: true}
	tbl.Width = t.Width
	return tbl.Render(w, t.Styles, t.TTY)
}

func validateRun(ctx context.Context, opts *ValidateOptions) error {
	if _, err := opts.FraudMethod(opts.Method); err != nil {
		return err
	}
	client, err := opts.AppClient(ctx, opts.Method)
	if err != nil {
		return err
	}
	v, _, err := client.ValidateFraudHeaders(ctx)
	used := "application"
	if errors.Is(err, hmrc.ErrValidatorRefusedToken) {
		user, uerr := opts.UserClient(ctx, opts.Method)
		if uerr != nil {
			// Only here does signing in help: the validator wants a user's token and there is none.
			return cmdutil.WithKind(cmdutil.KindAuth, err, "HMRC's validator refused the application token and no user is signed in: run 'vat login' so your user token can be used")
		}
		v, _, err = user.ValidateFraudHeaders(ctx)
		used = "user"
	}
	if err != nil {
		return err
	}
	opts.Status("validated with the %s token", used)
	if err := opts.Output(Doc{FraudValidation: *v}); err != nil {
		return err
	}
	opts.Status("%s: %s (specification %s)", v.Code, v.Message, v.SpecVersion)
	if !v.Valid() {
		return cmdutil.WithKind(cmdutil.KindRejected, errors.New("HMRC found invalid fraud-prevention headers"),
			"run 'vat fraud-headers show' to see each value and where it comes from")
	}
	return nil
}
