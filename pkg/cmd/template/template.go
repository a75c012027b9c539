// Package template is `vat template`: a starter workbook.
package template

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/workbook"
)

// TemplateOptions are the inputs of `vat template`.
type TemplateOptions struct {
	IO       *iostreams.IOStreams
	Status   func(format string, args ...any)
	Settings func() (config.Settings, error)
	HMRC     func(context.Context) (*hmrc.Client, error)
	Explain  func(error) *cmdutil.Error
	Today    func() hmrc.Date
	Output   func(doc any) error

	Path        string
	Force       bool
	PeriodStart string
	PeriodEnd   string
}

// NewCmdTemplate builds `vat template`; runF, when not nil, replaces the run (for tests).
func NewCmdTemplate(f *cmdutil.Factory, runF func(*TemplateOptions) error) *cobra.Command {
	opts := &TemplateOptions{IO: f.IOStreams, Status: f.Status, Settings: f.Settings, HMRC: f.HMRC, Explain: f.Explain, Today: f.Today, Output: f.Output}
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "template FILE",
		Short: "Write a starter workbook with the nine named cells",
		Long: `Write a starter .xlsx: a "Ledger" sheet to fill in and a "VAT Return" sheet whose nine
named cells (VAT_Box1 ... VAT_Box9) hold formulas over the ledger, with PeriodStart, PeriodEnd and VRN.

The period is the open VAT period that has ended (the oldest, when several have), asked of HMRC
when the profile is logged in; the VRN is the profile's. Offline, say them with --period-end
(and --period-start when the period is not the quarter ending then) and --vrn; without either,
the file is for the last calendar quarter, and vat says so.
The ledger starts with example rows: replace them ('vat check' warns while they are there).
Check it with 'vat check --workbook FILE'.`,
		Example: `  vat template q3.xlsx
  vat template q3.xlsx --period-end 2026-09-30 --vrn 123456782`,
		Args: cmdutil.ExactArgs(1, "the file to write, e.g. vat template q4.xlsx"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if opts.PeriodStart != "" && opts.PeriodEnd == "" {
				return cmdutil.FlagErrorf("--period-start needs --period-end")
			}
			if runF != nil {
				return runF(opts)
			}
			return templateRun(cmd.Context(), opts)
		},
	})
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite FILE if it exists")
	cmd.Flags().StringVar(&opts.PeriodEnd, "period-end", "", "last day of the VAT period, YYYY-MM-DD or DD/MM/YYYY (without asking HMRC)")
	cmd.Flags().StringVar(&opts.PeriodStart, "period-start", "", "first day of the VAT period, YYYY-MM-DD or DD/MM/YYYY (default: the quarter ending on --period-end)")
	return cmd
}

// period is what the file is for, and how vat knows.
type period struct {
	start, end hmrc.Date
	vrn        string
	about      string // shown after the dates: the obligation, or why it is a guess
}

func templateRun(ctx context.Context, opts *TemplateOptions) error {
	path := opts.Path
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return cmdutil.FlagErrorf("%s: vat template writes an Excel workbook; give it a .xlsx name (LibreOffice opens it, and can save it as .ods)", path)
	}
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return cmdutil.FlagErrorf("%s already exists; pass --force to overwrite it", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	p, err := choosePeriod(ctx, opts)
	if err != nil {
		return err
	}
	if opts.Force {
		// WriteTemplate never overwrites; --force is the user saying it may.
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := workbook.WriteTemplate(path); err != nil {
		return err
	}
	if err := workbook.FillTemplate(path, p.start.Time(), p.end.Time(), p.vrn); err != nil {
		os.Remove(path) //nolint:errcheck // a half-dated template is worse than none
		return fmt.Errorf("dating the template into its period: %w", err)
	}
	vrn := "no VRN (give --vrn to write it in)"
	if p.vrn != "" {
		vrn = "VRN " + p.vrn
	}
	opts.Status("wrote %s for the VAT period %s to %s %s, %s", path, cmdutil.HumanDate(p.start), cmdutil.HumanDate(p.end), p.about, vrn)
	opts.Status("replace the example rows on its Ledger sheet with the period's transactions, then run: vat check --workbook %s", path)
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	doc := Doc{Path: abs, PeriodStart: p.start.String(), PeriodEnd: p.end.String(), VRN: p.vrn, Names: []string{}}
	// The names are read back from the file written, so the document says what it holds.
	x, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer x.Close()
	for _, dn := range x.GetDefinedName() {
		// Excel's own names (the print area) are not the template's.
		if !strings.HasPrefix(dn.Name, "_xlnm.") {
			doc.Names = append(doc.Names, dn.Name)
		}
	}
	return opts.Output(doc)
}

// Doc is `vat template -o json`.
type Doc struct {
	Path        string   `json:"path" jsonschema:"description=the workbook written\\, as an absolute path"`
	PeriodStart string   `json:"periodStart" jsonschema:"format=date"`
	PeriodEnd   string   `json:"periodEnd" jsonschema:"format=date"`
	VRN         string   `json:"vrn,omitempty"`
	Names       []string `json:"names" jsonschema:"description=the defined names it holds"`
}

// Text is empty: people were told on stderr what to do next.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }

// choosePeriod takes the period from the flags, else from HMRC's open obligations, else the last
// calendar quarter, saying which.
func choosePeriod(ctx context.Context, opts *TemplateOptions) (period, error) {
	s, err := opts.Settings()
	if err != nil {
		return period{}, err
	}
	p := period{vrn: s.VRN}
	if opts.PeriodEnd != "" {
		if p.end, err = cmdutil.ParseDateFlag("period-end", opts.PeriodEnd); err != nil {
			return p, err
		}
		p.start = quarterEnding(p.end)
		p.about = "(as given)"
		if opts.PeriodStart != "" {
			if p.start, err = cmdutil.ParseDateFlag("period-start", opts.PeriodStart); err != nil {
				return p, err
			}
			if !p.start.Before(p.end) {
				return p, cmdutil.FlagErrorf("--period-start %s is not before --period-end %s", p.start, p.end)
			}
		}
		return p, nil
	}
	today := opts.Today()
	guess := func(why string) (period, error) {
		p.end = today.AddDays(-today.D) // the last day of the previous month
		for p.end.M%3 != 0 {
			p.end = p.end.AddDays(-p.end.D)
		}
		p.start = quarterEnding(p.end)
		p.about = "(the last calendar quarter: " + why + "; if your VAT quarters end in other months, write it again with --period-end)"
		return p, nil
	}
	if s.VRN == "" {
		return guess("HMRC was not asked, since the profile has no VRN")
	}
	client, err := opts.HMRC(ctx)
	var obs []hmrc.Obligation
	if err == nil {
		obs, _, err = client.Obligations(ctx, s.VRN, hmrc.ObligationsOptions{Status: "O"})
	}
	if err != nil {
		if ctx.Err() != nil {
			return p, err
		}
		return guess("HMRC could not be asked: " + strings.TrimSuffix(opts.Explain(err).Err.Error(), "."))
	}
	var ended, later []hmrc.Obligation
	for _, o := range obs {
		if o.End.Before(today) {
			ended = append(ended, o)
		} else {
			later = append(later, o)
		}
	}
	if len(ended) == 0 {
		next := "HMRC lists no open VAT period"
		if len(later) > 0 {
			next = fmt.Sprintf("the open one, %s to %s, ends on %s", cmdutil.HumanDate(later[0].Start), cmdutil.HumanDate(later[0].End), cmdutil.HumanDate(later[0].End))
		}
		return p, cmdutil.WithKind(cmdutil.KindUsage, fmt.Errorf("no open VAT period of %s has ended yet: %s", s.VRN, next),
			"to start the workbook for a period now, say which: vat template FILE --period-end YYYY-MM-DD")
	}
	first := ended[0]
	for _, o := range ended[1:] {
		if o.End.Before(first.End) {
			first = o
		}
	}
	p.start, p.end = first.Start, first.End
	p.about = fmt.Sprintf("(HMRC's open period %s, due %s)", first.PeriodKey, cmdutil.HumanDate(first.Due))
	if n := len(ended) - 1; n > 0 {
		p.about = fmt.Sprintf("(HMRC's open period %s, due %s, the oldest of %d that have ended; --period-end chooses another)", first.PeriodKey, cmdutil.HumanDate(first.Due), n+1)
	}
	return p, nil
}

// quarterEnding is the first day of the three-month period that ends on end, the usual VAT
// period.
func quarterEnding(end hmrc.Date) hmrc.Date {
	return hmrc.DateOf(end.Time().AddDate(0, 0, 1).AddDate(0, -3, 0))
}
