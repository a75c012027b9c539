// Package receipts is `vat receipts`: the local record of every submission.
package receipts

import (
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/receipts/list"
	"github.com/vatbridge/vat/pkg/cmd/receipts/show"
	"github.com/vatbridge/vat/pkg/cmdutil"
)

// NewCmdReceipts builds `vat receipts` and its subcommands; on its own it lists, as
// `vat receipts list` does.
func NewCmdReceipts(f *cmdutil.Factory) *cobra.Command {
	listCmd := list.NewCmdList(f, nil)
	cmd := &cobra.Command{
		Use:   "receipts [list | show ID]",
		Short: "The local record of every submission: HMRC's receipts and where each box came from",
		Long: `vat keeps a journal of every submission in the config directory (receipts/journal.jsonl,
append-only, readable only by you). Before a return is sent it records the nine boxes and the
digital-link evidence: the workbook's path and SHA-256, and for each box the defined name, sheet,
cell, raw value and formula. After HMRC answers it records the receipt: processing date, form
bundle number, payment indicator, charge reference, Receipt-ID, Receipt-Timestamp and the
correlation ID.

'vat receipts' (or 'vat receipts list') lists them, newest first, with any submission whose
outcome is still unknown at the top. 'vat receipts show ID' shows one in full; ID is an intent
ID, a Receipt-ID, a form bundle number, or the first few characters of an ID.`,
		Example: `  vat receipts
  vat receipts show 1b2c3d4e
  vat receipts list -o json`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listCmd.RunE(cmd, args)
		},
	}
	cmd.AddCommand(listCmd, show.NewCmdShow(f, nil))
	return cmd
}
