// Package clients is `vat clients`: the businesses an agent files for, kept in the profile.
package clients

import (
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/add"
	"github.com/vatbridge/vat/pkg/cmd/clients/edit"
	importcmd "github.com/vatbridge/vat/pkg/cmd/clients/import"
	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmd/clients/remove"
	"github.com/vatbridge/vat/pkg/cmd/clients/show"
	"github.com/vatbridge/vat/pkg/cmdutil"
)

// NewCmdClients builds `vat clients` and its subcommands.
func NewCmdClients(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clients",
		Short: "Manage the businesses an agent files for",
		Long: `An agent (an accountant with an HMRC Agent Services Account) signs in once and files for
every client who has authorised it. Each client has a name, a VRN, and a workbook: a path, or a
pattern naming the file for each period:

  {vrn}                  the client's VRN
  {period-key}           HMRC's period key, e.g. 26A3
  {period-end:LAYOUT}    the period's last day in a Go time layout, e.g. {period-end:2006-01}
  {period-start:LAYOUT}  the period's first day; without :LAYOUT, 2006-01-02

Clients are kept in the profile's config file; 'vat obligations --all-clients' and
'vat submit --all-clients' work through them.`,
		Example: `  vat clients add "Acme Ltd" --vrn 123456782 --workbook '~/clients/acme/{period-end:2006-01}.xlsx'
  vat clients import practice.csv
  vat clients list`,
	}
	cmd.AddCommand(add.NewCmdAdd(f, nil), list.NewCmdList(f, nil), show.NewCmdShow(f, nil),
		edit.NewCmdEdit(f, nil), remove.NewCmdRemove(f, nil), importcmd.NewCmdImport(f, nil))
	return cmd
}
