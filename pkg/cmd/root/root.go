package root

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/check"
	"github.com/vatbridge/vat/pkg/cmd/clients"
	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/financialdetails"
	"github.com/vatbridge/vat/pkg/cmd/fraudheaders"
	"github.com/vatbridge/vat/pkg/cmd/information"
	"github.com/vatbridge/vat/pkg/cmd/liabilities"
	"github.com/vatbridge/vat/pkg/cmd/login"
	"github.com/vatbridge/vat/pkg/cmd/logout"
	"github.com/vatbridge/vat/pkg/cmd/obligations"
	"github.com/vatbridge/vat/pkg/cmd/payments"
	"github.com/vatbridge/vat/pkg/cmd/penalties"
	"github.com/vatbridge/vat/pkg/cmd/receipts"
	"github.com/vatbridge/vat/pkg/cmd/returns"
	"github.com/vatbridge/vat/pkg/cmd/sandbox"
	"github.com/vatbridge/vat/pkg/cmd/status"
	"github.com/vatbridge/vat/pkg/cmd/submit"
	"github.com/vatbridge/vat/pkg/cmd/template"
	"github.com/vatbridge/vat/pkg/cmd/version"
	"github.com/vatbridge/vat/pkg/cmdutil"
)

// NewCmdRoot assembles the command tree.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "vat",
		Short: "Submit UK VAT returns to HMRC from the named cells of a spreadsheet",
		Long: `vat links an accountant's spreadsheet to HMRC under Making Tax Digital for VAT.

It reads the nine VAT boxes from named cells (Excel defined names) of a workbook, checks them
against HMRC's rules, finds the open obligation, shows HMRC's legal declaration, submits the
return and keeps the receipt. It also shows obligations, returns, liabilities, payments and
penalties, and ships an offline emulator of HMRC's sandbox ('vat demo', 'vat sandbox serve').

` + cmdutil.ExitCodeDoc,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f.SetFlags(cmd.Flags())
			return f.CheckOutput(cmd)
		},
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// Parsing stopped at the bad flag, so a later -o json is unparsed: the raw words decide
		// the error's format, or 'vat obligations --bogus -o json' would print text.
		f.SetFlags(nil)
		return &cmdutil.FlagError{Err: err}
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
	cmdutil.AddTestScenarioFlag(pf)
	pf.Bool("bom", false, "start -o csv output with a UTF-8 byte-order mark, so Excel on Windows reads it right [$VAT_CSV_BOM]")

	for flag, complete := range map[string]cobra.CompletionFunc{
		"output":      cmdutil.FixedValues("table", "json", "csv"),
		"env":         cmdutil.FixedValues("sandbox", "production", "local"),
		"token-store": cmdutil.FixedValues("auto", "keyring", "file"),
		"profile":     f.CompleteProfiles,
	} {
		_ = root.RegisterFlagCompletionFunc(flag, complete)
	}

	// --version is 'vat version', -o json included. cobra's own flag would print text, and
	// as cobra adds it only after finding the command, 'vat --version -o json' read "json" as
	// a command.
	versionCmd := version.NewCmdVersion(f, nil)
	root.Flags().BoolP("version", "v", false, "show the version (as 'vat version')")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if v, _ := cmd.Flags().GetBool("version"); v {
			return versionCmd.RunE(versionCmd, nil)
		}
		return cmd.Help()
	}
	for _, c := range []*cobra.Command{
		check.NewCmdCheck(f, nil),
		submit.NewCmdSubmit(f, nil),
		obligations.NewCmdObligations(f, nil),
		clients.NewCmdClients(f),
		returns.NewCmdReturns(f, nil),
		liabilities.NewCmdLiabilities(f, nil),
		payments.NewCmdPayments(f, nil),
		penalties.NewCmdPenalties(f, nil),
		financialdetails.NewCmdFinancialDetails(f, nil),
		information.NewCmdInformation(f, nil),
		receipts.NewCmdReceipts(f),
		template.NewCmdTemplate(f, nil),
		demo.NewCmdDemo(f, Run, nil),
		sandbox.NewCmdSandbox(f),
		versionCmd,
		fraudheaders.NewCmdFraudHeaders(f),
		login.NewCmdLogin(f, nil),
		logout.NewCmdLogout(f, nil),
		status.NewCmdStatus(f, nil),
	} {
		root.AddCommand(c)
	}
	root.AddCommand(helpTopics()...)
	outputTopic(root)
	groupsNeedASubcommand(f, root)
	root.SetHelpCommand(newCmdHelp())
	root.SetHelpTemplate(helpTemplate(helpWidth(f)))
	root.SetUsageTemplate(usageTemplate(helpWidth(f)))
	return root
}

// newCmdHelp is cobra's help command, except that an unknown topic is a usage error (exit 2):
// cobra's own prints "Unknown help topic" and exits 0, which a script reads as success.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var names []cobra.Completion
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return cmdutil.FlagErrorf("no help topic %q: see 'vat --help' for the commands and topics", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}

// groupsNeedASubcommand makes each command that only groups others ('vat clients', 'vat
// sandbox') refuse what it cannot do: cobra prints a group's help and exits 0 for 'vat clients
// bogus' and for 'vat clients -o json', which a script reads as success. Alone at a terminal
// (or piped), a group still prints its help.
func groupsNeedASubcommand(f *cmdutil.Factory, root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c == root || c.Runnable() || !c.HasAvailableSubCommands() {
			return
		}
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if f.JSONOutput() {
				return cmdutil.FlagErrorf("'%s' needs a subcommand: see '%s --help'", cmd.CommandPath(), cmd.CommandPath())
			}
			return cmd.Help()
		}
	}
	walk(root)
}
