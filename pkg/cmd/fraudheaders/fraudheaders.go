// Package fraudheaders is `vat fraud-headers`: HMRC's fraud-prevention headers, shown and checked.
package fraudheaders

import (
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/feedback"
	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/show"
	"github.com/vatbridge/vat/pkg/cmd/fraudheaders/validate"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
)

// NewCmdFraudHeaders builds `vat fraud-headers` and its subcommands; on its own it shows the
// headers, as `vat fraud-headers show` does. --method is shared by all three.
func NewCmdFraudHeaders(f *cmdutil.Factory) *cobra.Command {
	showCmd := show.NewCmdShow(f, nil)
	var method string
	cmd := &cobra.Command{
		Use:   "fraud-headers [show | validate | feedback]",
		Short: "Show HMRC's fraud-prevention headers and check them with HMRC's test API",
		Long: `HMRC requires fraud-prevention headers on every VAT request: facts about this device such as
its device ID, local IP and MAC addresses, OS user, time zone, screens and the software's version.
vat collects them itself and adds them to every request.

'show' (the default) prints each header exactly as it would be sent, where its value comes from,
and why any header is empty (for example no display on a headless machine). HMRC allows an empty
value only where the data truly cannot be collected and you have told HMRC why. On a narrow
terminal a long value is broken across lines; a value holds no spaces, so its lines joined
together are the value. -o csv gives each header a row: name, value and source.

'validate' sends the headers to HMRC's Test Fraud Prevention Headers API and prints its verdict;
'feedback' prints HMRC's feedback on the latest sandbox requests. Both are sandbox-only.`,
		Example: `  vat fraud-headers
  vat fraud-headers show -o json
  vat fraud-headers validate
  vat fraud-headers feedback --method BATCH_PROCESS_DIRECT`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return showCmd.RunE(cmd, args)
		},
	}
	cmd.PersistentFlags().StringVar(&method, "method", "",
		"connection method: DESKTOP_APP_DIRECT, OTHER_DIRECT or BATCH_PROCESS_DIRECT (default: the profile's, else DESKTOP_APP_DIRECT) [$VAT_FRAUD_METHOD]")
	_ = cmd.RegisterFlagCompletionFunc("method", cmdutil.FixedValues(config.Methods...))
	cmd.AddCommand(showCmd, validate.NewCmdValidate(f, nil), feedback.NewCmdFeedback(f, nil))
	return cmd
}
