// Package financialdetails is `vat financial-details CHARGE_REF`: one charge, its items, what is
// cleared and outstanding, and the interest on it.
package financialdetails

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// chargeRefPattern is vat-api's rule for the reference (ChargeReferenceValidation.scala): checked
// here so that a typo is a usage error, not a round trip to HMRC.
var chargeRefPattern = regexp.MustCompile(`^X[a-zA-Z]\d{12}$`)

const payVAT = "https://www.gov.uk/pay-vat"

// FinancialDetailsOptions are the inputs of `vat financial-details`.
type FinancialDetailsOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Output     func() (string, error)
	Styles     func() *ui.Styles
	RenderView func(doc any, v cmdutil.View) error
	Today      func() hmrc.Date

	ChargeRef string
}

// NewCmdFinancialDetails builds `vat financial-details`; runF, when not nil, replaces the run.
func NewCmdFinancialDetails(f *cmdutil.Factory, runF func(*FinancialDetailsOptions) error) *cobra.Command {
	opts := &FinancialDetailsOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Output: f.OutputFormat,
		Styles: f.Styles, RenderView: f.RenderView, Today: f.Today}
	return &cobra.Command{
		Use:   "financial-details CHARGE_REF",
		Short: "Show one charge: its items, what is cleared and outstanding, and the interest",
		Long: `Show the financial details HMRC holds for a charge reference, as 'vat penalties' prints
them: a penalty's chargeReference or penaltyChargeReference (e.g. XP123456789012), or the
principalChargeReference of the VAT a late payment penalty is growing on.

-o json prints HMRC's document as HMRC sends it; -o csv one row per item.` +
			cmdutil.ScenarioHelp("DEFAULT"),
		Example: `  vat financial-details XP123456789012`,
		Args:    cmdutil.ExactArgs(1, "one charge reference, as 'vat penalties' prints it"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ChargeRef = args[0]
			if runF != nil {
				return runF(opts)
			}
			return financialDetailsRun(cmd.Context(), opts)
		},
	}
}

func financialDetailsRun(ctx context.Context, opts *FinancialDetailsOptions) error {
	// HMRC issues its references in capitals (XP…, XV…) and its own rule refuses a lower-case
	// first letter, so "xp123456789012", as typed, is the reference meant.
	ref := strings.ToUpper(strings.TrimSpace(opts.ChargeRef))
	if !chargeRefPattern.MatchString(ref) {
		return cmdutil.FlagErrorf("%q is not a charge reference: HMRC's are X, a letter and 12 digits (e.g. XP123456789012), as 'vat penalties' prints them", ref)
	}
	out, err := opts.Output()
	if err != nil {
		return err
	}
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	fd, _, err := client.FinancialDetails(ctx, vrn, ref)
	if errors.Is(err, hmrc.CodeError(hmrc.CodeMatchingResourceNotFound)) {
		return &cmdutil.Error{Kind: cmdutil.KindRejected, Code: hmrc.CodeMatchingResourceNotFound,
			Err:  fmt.Errorf("no such charge: HMRC holds no charge %s for VRN %s", ref, vrn),
			Hint: "copy the reference from 'vat penalties', which lists each charge with its command"}
	}
	if err != nil {
		return cmdutil.ExplainView(err, vrn, "financial details", "financial-details")
	}
	v := itemsView(fd, opts.Today())
	v.Empty = fmt.Sprintf("HMRC holds no items for charge %s", ref)
	if out != "table" || len(v.Rows) == 0 {
		return opts.RenderView(Doc(*fd), v)
	}
	return writeReport(opts.IO.Out, opts.Styles(), opts.IO.IsStdoutTTY(), opts.IO.TerminalWidth(), ref, fd, peopleView(v))
}

// Doc is `vat financial-details -o json`: HMRC's financial details of the charge as HMRC sends
// them, amounts exactly (interest may have more than two decimals).
type Doc hmrc.FinancialDetails

// itemsView is one row per line item, with its document's amounts.
func itemsView(fd *hmrc.FinancialDetails, today hmrc.Date) cmdutil.View {
	v := cmdutil.View{
		// These headers are CSV's alone (people get peopleView): HMRC's field names.
		Headers: []string{"chargeDescription", "periodFromDate", "periodToDate", "netDueDate", "amount", "documentClearedAmount",
			"documentOutstandingAmount", "interestPostedAmount", "interestAccruingAmount", "currentInterestRate"},
		Right: map[int]bool{4: true, 5: true, 6: true, 7: true, 8: true, 9: true},
	}
	for _, d := range fd.DocumentDetails {
		lines := d.LineItemDetails
		if len(lines) == 0 {
			lines = []hmrc.LineItem{{Amount: d.DocumentTotalAmount}}
		}
		for i, li := range lines {
			var cleared, outstanding cmdutil.Cell
			if i == 0 {
				cleared, outstanding = cmdutil.DecimalCell(d.DocumentClearedAmount), cmdutil.DecimalCell(d.DocumentOutstandingAmount)
				if positive(d.DocumentOutstandingAmount) && !li.NetDueDate.IsZero() && li.NetDueDate.Before(today) {
					outstanding.Alert = true
				}
			}
			var posted, accruing, rate cmdutil.Cell
			if in := li.LineItemInterestDetails; in != nil {
				posted, accruing = cmdutil.DecimalCell(in.InterestPostedAmount), cmdutil.DecimalCell(in.InterestAccruingAmount)
				if in.CurrentInterestRate != nil {
					rate = cmdutil.TextCell(in.CurrentInterestRate.String())
				}
				if positive(in.InterestAccruingAmount) {
					accruing.Alert = true
				}
			}
			v.Rows = append(v.Rows, []cmdutil.Cell{cmdutil.TextCell(li.ChargeDescription), cmdutil.DateCell(li.PeriodFromDate),
				cmdutil.DateCell(li.PeriodToDate), cmdutil.DateCell(li.NetDueDate), cmdutil.DecimalCell(li.Amount),
				cleared, outstanding, posted, accruing, rate})
		}
	}
	return v
}

// peopleView folds the period's two dates into one label ("Apr–Jun 2026") so that the table
// fits a terminal; CSV keeps both dates.
func peopleView(v cmdutil.View) cmdutil.View {
	out := cmdutil.View{Headers: []string{"Charge", "Period", "Due", "Amount", "Cleared", "Outstanding", "Interest charged", "Interest accruing", "Rate %"},
		Right: map[int]bool{3: true, 4: true, 5: true, 6: true, 7: true, 8: true},
		// On a narrow terminal the charge, its due date, amount and what is outstanding stay;
		// the interest goes first (its totals follow the table), then what was cleared and the
		// period, and the line under the table names what is not shown.
		Priority: map[int]int{8: 1, 6: 2, 7: 3, 4: 4, 1: 5},
		More:     "-o csv",
	}
	for _, r := range v.Rows {
		label := cmdutil.Cell{}
		if from, err := hmrc.ParseDate(r[1].Raw); err == nil {
			if to, err := hmrc.ParseDate(r[2].Raw); err == nil {
				label = cmdutil.TextCell(cmdutil.PeriodLabel(hmrc.Obligation{Start: from, End: to}))
			}
		}
		out.Rows = append(out.Rows, append([]cmdutil.Cell{r[0], label}, r[3:]...))
	}
	return out
}

func positive(d *hmrc.Decimal) bool { return d != nil && d.Sign() > 0 }

func writeReport(w io.Writer, st *ui.Styles, tty bool, width int, ref string, fd *hmrc.FinancialDetails, v cmdutil.View) error {
	fmt.Fprintln(w, st.Title.Render("Charge "+ref))
	if err := v.Render(w, st, tty, width); err != nil {
		return err
	}
	t := fd.Totalisations
	if t == nil {
		return nil
	}
	type total struct {
		label string
		m     *hmrc.Decimal
		alert bool
	}
	totals := []total{{"Overdue:", t.TotalOverdue, true}, {"Not yet due:", t.TotalNotYetDue, false},
		{"Balance:", t.TotalBalance, false}, {"Credit:", t.TotalCredit, false}, {"Cleared:", t.TotalCleared, false}}
	if a := t.AdditionalReceivableTotalisations; a != nil {
		totals = append(totals, total{"Interest charged:", a.TotalAccountPostedInterest, false},
			total{"Interest still accruing:", a.TotalAccountAccruingInterest, true})
	}
	// The amounts are right-aligned on their decimal points, as in every table.
	amountWidth := 0
	for _, x := range totals {
		if x.m != nil {
			amountWidth = max(amountWidth, len([]rune(cmdutil.DecimalCell(x.m).Text)))
		}
	}
	fmt.Fprintln(w)
	for _, x := range totals {
		if x.m == nil {
			continue
		}
		s := cmdutil.DecimalCell(x.m).Text
		pad := strings.Repeat(" ", amountWidth-len([]rune(s)))
		if x.alert && positive(x.m) {
			s = st.Bad.Render(s)
		}
		fmt.Fprintf(w, "  %-25s %s%s\n", x.label, pad, s)
	}
	var due hmrc.Decimal
	for _, m := range []*hmrc.Decimal{t.TotalOverdue, t.TotalNotYetDue} {
		if m != nil {
			due.Decimal = due.Add(m.Decimal)
		}
	}
	fmt.Fprintln(w)
	if !tty {
		width = 0 // piped, a sentence stays on one line for grep
	}
	if due.Sign() > 0 {
		ui.Prosef(w, width, "%s is still to pay: %s", cmdutil.DecimalCell(&due).Text, payVAT)
		if a := t.AdditionalReceivableTotalisations; a != nil && positive(a.TotalAccountAccruingInterest) {
			ui.Prosef(w, width, "Interest grows every day until the charge is paid; HMRC charges it once the charge is cleared.")
		}
	} else {
		fmt.Fprintln(w, "Nothing is outstanding on this charge.")
	}
	return nil
}
