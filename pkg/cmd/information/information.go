// Package information is `vat information`: what HMRC holds about the VAT registration.
package information

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
)

// Scenarios are the Gov-Test-Scenario values HMRC documents for the information endpoint.
var Scenarios = []string{"DEFAULT", "CUSTOMER_INFO_NOT_FOUND", "NO_EFFECTREGISTRATIONDATE", "NO_FLATRATESCHEME", "NO_EFFECTREGISTRATIONDATE_NO_FRS"}

// InformationOptions are the inputs of `vat information`.
type InformationOptions struct {
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	RenderView func(doc any, v cmdutil.View) error
}

// NewCmdInformation builds `vat information`; runF, when not nil, replaces the run (for tests).
func NewCmdInformation(f *cmdutil.Factory, runF func(*InformationOptions) error) *cobra.Command {
	opts := &InformationOptions{HMRC: f.HMRC, RequireVRN: f.RequireVRN, RenderView: f.RenderView}
	return &cobra.Command{
		Use:   "information",
		Short: "Show what HMRC holds about the VAT registration: registration date, Flat Rate Scheme",
		Long: `Show the VAT customer information HMRC holds: the effective registration date and, when the
business uses the VAT Flat Rate Scheme, its category and start date. What HMRC leaves out is
left out here too: HMRC sends nothing for a business outside the scheme.

HMRC's customer information carries no insolvency flag: HMRC marks an insolvent business by
refusing the other views (RULE_INSOLVENT_TRADER), which vat reports with exit 5.

-o json prints HMRC's document as HMRC sends it; -o csv one row of the same fields, under
HMRC's names (effectiveRegistrationDate, frsCategory, frsStartDate).` +
			cmdutil.ScenarioHelp(Scenarios...),
		Example: `  vat information
  vat information -o json`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return informationRun(cmd.Context(), opts)
		},
	}
}

func informationRun(ctx context.Context, opts *InformationOptions) error {
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	ci, _, err := client.Information(ctx, vrn)
	if err != nil {
		return cmdutil.ExplainView(err, vrn, "customer information", "information")
	}
	return opts.RenderView(Doc(*ci), view(vrn, ci))
}

// Doc is `vat information -o json`: HMRC's customer information as HMRC sends it, with what
// HMRC leaves out left out ({} when it sends nothing).
type Doc hmrc.CustomerInformation

// view is one row: the fields HMRC sent, empty where it sent none. The VRN is not among them:
// it is what was asked about, not what HMRC answered, and the JSON is HMRC's answer, so the
// table and CSV carry the same fields as the JSON. The CSV names them as HMRC does, the Flat
// Rate Scheme's startDate with the frs prefix of its frsCategory so that it reads apart from
// the registration date.
func view(vrn string, ci *hmrc.CustomerInformation) cmdutil.View {
	v := cmdutil.View{Headers: []string{"Registered from", "Flat Rate Scheme category", "Flat Rate Scheme from"},
		CSVHeaders: []string{"effectiveRegistrationDate", "frsCategory", "frsStartDate"}}
	var reg, cat, frsFrom cmdutil.Cell
	if ci.CustomerDetails != nil {
		reg = cmdutil.DateCell(ci.CustomerDetails.EffectiveRegistrationDate)
	}
	if ci.FlatRateScheme != nil {
		cat = cmdutil.TextCell(ci.FlatRateScheme.FRSCategory)
		frsFrom = cmdutil.DateCell(ci.FlatRateScheme.StartDate)
	} else {
		cat = cmdutil.Cell{Text: "not in the scheme"}
	}
	if reg.Text == "" && ci.FlatRateScheme == nil {
		v.Empty = fmt.Sprintf("HMRC sent no registration date and no Flat Rate Scheme for VRN %s", vrn)
		return v
	}
	v.Rows = [][]cmdutil.Cell{{reg, cat, frsFrom}}
	return v
}
