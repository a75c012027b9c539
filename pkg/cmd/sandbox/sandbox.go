// Package sandbox is `vat sandbox`: the offline emulator of HMRC's sandbox and its tools.
package sandbox

import (
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/sandbox/authorise"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/createuser"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/rehearse"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/serve"
	"github.com/vatbridge/vat/pkg/cmdutil"
)

// NewCmdSandbox builds `vat sandbox` and its subcommands.
func NewCmdSandbox(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run and use the offline emulator of HMRC's sandbox",
		Long: `The emulator behaves like HMRC's VAT (MTD) sandbox on the wire: OAuth sign-in pages,
the Create Test User API, all eight VAT endpoints with HMRC's real error bodies, Gov-Test-Scenario
values, the Test Fraud Prevention Headers API, and state that behaves like a real account.`,
	}
	cmd.AddCommand(serve.NewCmdServe(f, nil), createuser.NewCmdCreateUser(f, nil), rehearse.NewCmdRehearse(f, nil), authorise.NewCmdAuthorise(f, nil))
	return cmd
}
