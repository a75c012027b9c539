package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

type fraudHeadersOptions struct {
	Method string
}

func newCmdFraudHeaders(f *Factory) *cobra.Command {
	opts := &fraudHeadersOptions{}
	cmd := &cobra.Command{
		Use:   "fraud-headers [show | validate | feedback]",
		Short: "Show HMRC's fraud-prevention headers and check them with HMRC's test API",
		Long: `HMRC requires fraud-prevention headers on every VAT request: facts about this device such as
its device ID, local IP and MAC addresses, OS user, time zone, screens and the software's version.
vat collects them itself and adds them to every request.

'show' (the default) prints each header exactly as it would be sent, where its value comes from,
and why any header is empty (for example no display on a headless machine). HMRC allows an empty
value only where the data truly cannot be collected and you have told HMRC why.

'validate' sends the headers to HMRC's Test Fraud Prevention Headers API and prints its verdict;
'feedback' prints HMRC's feedback on the latest sandbox requests. Both are sandbox-only.`,
		Example: `  vat fraud-headers
  vat fraud-headers show -o json
  vat fraud-headers validate
  vat fraud-headers feedback --method BATCH_PROCESS_DIRECT`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return fraudShowRun(cmd.Context(), f, opts)
		},
	}
	cmd.PersistentFlags().StringVar(&opts.Method, "method", "",
		"connection method: DESKTOP_APP_DIRECT, OTHER_DIRECT or BATCH_PROCESS_DIRECT (default: the profile's, else DESKTOP_APP_DIRECT) [$VAT_FRAUD_METHOD]")
	cmd.AddCommand(
		&cobra.Command{
			Use:   "show",
			Short: "Print each header as it would be sent, with its source or why it is empty",
			Args:  requireNoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return fraudShowRun(cmd.Context(), f, opts)
			},
		},
		&cobra.Command{
			Use:   "validate",
			Short: "Check the headers with HMRC's Test Fraud Prevention Headers API (sandbox)",
			Args:  requireNoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return fraudValidateRun(cmd.Context(), f, opts)
			},
		},
		&cobra.Command{
			Use:   "feedback",
			Short: "Print HMRC's feedback on the headers of the latest sandbox VAT requests",
			Args:  requireNoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return fraudFeedbackRun(cmd.Context(), f, opts)
			},
		},
	)
	return cmd
}

// fraudMethod resolves the connection method: --method, else the profile's setting.
func (f *Factory) fraudMethod(opts *fraudHeadersOptions) (fraud.Method, error) {
	name := opts.Method
	if name == "" {
		s, err := f.Settings()
		if err != nil {
			return "", err
		}
		name = s.FraudMethod
	}
	m, err := fraud.ParseMethod(name)
	if err != nil {
		return "", &FlagError{Err: err}
	}
	return m, nil
}

// fraudShowDoc is the stable JSON of 'vat fraud-headers show'.
type fraudShowDoc struct {
	ConnectionMethod fraud.Method `json:"connectionMethod"`
	Headers          []fraud.Line `json:"headers"`
}

func fraudShowRun(ctx context.Context, f *Factory, opts *fraudHeadersOptions) error {
	m, err := f.fraudMethod(opts)
	if err != nil {
		return err
	}
	c, err := f.FraudCollector()
	if err != nil {
		return err
	}
	facts, err := c.Collect(ctx)
	if err != nil {
		return fmt.Errorf("collect fraud-prevention data: %w", err)
	}
	lines := fraud.Describe(m, facts, f.Now())
	tbl := ui.Table{Headers: []string{"HEADER", "VALUE", "SOURCE"}}
	empty := 0
	for _, l := range lines {
		if l.Empty {
			empty++
		}
		tbl.Rows = append(tbl.Rows, []string{l.Header, l.Value, l.Explanation})
	}
	if err := f.render(fraudShowDoc{ConnectionMethod: m, Headers: lines}, tbl); err != nil {
		return err
	}
	if empty > 0 {
		f.status("%d of %d headers are empty; HMRC expects you to explain each to SDSTeam@hmrc.gov.uk", empty, len(lines))
	}
	return nil
}

func fraudValidateRun(ctx context.Context, f *Factory, opts *fraudHeadersOptions) error {
	if _, err := f.fraudMethod(opts); err != nil {
		return err
	}
	client, err := f.fraudAppClient(ctx, opts)
	if err != nil {
		return err
	}
	v, _, err := client.ValidateFraudHeaders(ctx)
	if err != nil {
		return err
	}
	tbl := ui.Table{Headers: []string{"SEVERITY", "CODE", "HEADERS", "MESSAGE"}}
	for _, it := range v.Errors {
		tbl.Rows = append(tbl.Rows, []string{"error", it.Code, strings.Join(it.Headers, " "), it.Message})
	}
	for _, it := range v.Warnings {
		tbl.Rows = append(tbl.Rows, []string{"warning", it.Code, strings.Join(it.Headers, " "), it.Message})
	}
	if err := f.render(v, tbl); err != nil {
		return err
	}
	f.status("%s: %s (specification %s)", v.Code, v.Message, v.SpecVersion)
	if !v.Valid() {
		return withKind(KindRejected, errors.New("HMRC found invalid fraud-prevention headers"),
			"run 'vat fraud-headers show' to see each value and where it comes from")
	}
	return nil
}

func fraudFeedbackRun(ctx context.Context, f *Factory, opts *fraudHeadersOptions) error {
	m, err := f.fraudMethod(opts)
	if err != nil {
		return err
	}
	client, err := f.fraudAppClient(ctx, opts)
	if err != nil {
		return err
	}
	fb, _, err := client.FraudHeadersFeedback(ctx, hmrc.FraudAPIVATMTD, string(m))
	if err != nil {
		return err
	}
	tbl := ui.Table{Headers: []string{"REQUEST", "HEADER", "CODE", "PROBLEMS"}}
	for _, r := range fb.Requests {
		req := strings.TrimSpace(r.Method + " " + r.Path)
		for _, h := range r.Headers {
			var problems []string
			for _, it := range h.Errors {
				problems = append(problems, "error: "+it.Message)
			}
			for _, it := range h.Warnings {
				problems = append(problems, "warning: "+it.Message)
			}
			tbl.Rows = append(tbl.Rows, []string{req, h.Header, h.Code, strings.Join(problems, "; ")})
		}
	}
	if len(fb.Requests) == 0 {
		f.status("HMRC has no recent %s requests from this application to give feedback on", m)
	}
	return f.render(fb, tbl)
}

// fraudAppClient is the application-restricted client whose requests carry the headers of the
// chosen method, so that --method tests exactly what would be sent.
func (f *Factory) fraudAppClient(ctx context.Context, opts *fraudHeadersOptions) (*hmrc.Client, error) {
	// --method overrides the profile's connection method for this run only.
	f.methodOverride = opts.Method
	return f.AppHMRC(ctx)
}
