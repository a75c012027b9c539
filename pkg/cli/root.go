package cli

import (
	"github.com/spf13/cobra"
)

// NewCmdRoot assembles the command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "vat",
		Short: "Submit UK VAT returns to HMRC from the named cells of a spreadsheet",
		Long: `vat links an accountant's spreadsheet to HMRC under Making Tax Digital for VAT.

It reads the nine VAT boxes from named cells (Excel defined names) of a workbook, checks them
against HMRC's rules, finds the open obligation, shows HMRC's legal declaration, submits the
return and keeps the receipt. It also shows obligations, returns, liabilities, payments and
penalties, and ships an offline emulator of HMRC's sandbox ('vat demo', 'vat sandbox serve').

` + exitCodeDoc,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       versionString(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f.flags = cmd.Flags()
			return nil
		},
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		f.flags = cmd.Flags()
		return &FlagError{Err: err}
	})
	root.CompletionOptions.HiddenDefaultCmd = false

	pf := root.PersistentFlags()
	pf.String("profile", "default", "named profile (own VRN, environment, credentials, tokens) [$VAT_PROFILE]")
	pf.String("env", "sandbox", "HMRC environment: sandbox, production or local [$VAT_ENV]")
	pf.String("api-url", "", "API base URL override (emulator, proxy); OAuth URLs follow it [$VAT_API_URL]")
	pf.String("vrn", "", "VAT registration number, 9 digits [$VAT_VRN]")
	pf.StringP("output", "o", "table", "output format: table, json or csv [$VAT_OUTPUT]")
	pf.String("config-dir", "", "config, device ID and receipts directory (default: the OS user config dir + /vat) [$VAT_CONFIG_DIR]")
	pf.String("token-store", "auto", "where tokens live: auto, keyring or file [$VAT_TOKEN_STORE]")
	pf.Bool("debug", false, "trace HTTP to stderr, secrets redacted [$VAT_DEBUG]")
	pf.Bool("no-color", false, "plain output without colour [$NO_COLOR]")

	for _, c := range []*cobra.Command{
		newCmdCheck(f),
		newCmdSubmit(f),
		newCmdObligations(f),
		newCmdReturns(f),
		newCmdLiabilities(f),
		newCmdPayments(f),
		newCmdReceipts(f),
		newCmdTemplate(f),
		newCmdDemo(f),
		newCmdSandbox(f),
		newCmdVersion(f),
		newCmdFraudHeaders(f),
		newCmdLogin(f, nil),
		newCmdLogout(f, nil),
		newCmdStatus(f, nil),
	} {
		root.AddCommand(c)
	}
	return root
}

// requireNoArgs is cobra.NoArgs with a usage-error exit code and a clearer message.
func requireNoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return flagErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// exactArgs is cobra.ExactArgs with a usage-error exit code.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return flagErrorf("%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}
