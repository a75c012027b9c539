// Package list is `vat receipts list`: every recorded submission, newest first.
package list

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// ListOptions are the inputs of `vat receipts list`.
type ListOptions struct {
	IO            *iostreams.IOStreams
	Journal       func() (*receipts.Journal, error)
	Filer         func(context.Context) (*filing.Filer, error)
	SayReconciled func(filing.Settled)
	Output        func(doc any) error
	Status        func(format string, args ...any)
	JSONOutput    func() bool
}

// NewCmdList builds `vat receipts list`; runF, when not nil, replaces the run (for tests).
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Journal: f.Journal, Filer: f.Filer, SayReconciled: f.SayReconciled, Output: f.Output, Status: f.Status, JSONOutput: f.JSONOutput}
	return &cobra.Command{
		Use:   "list",
		Short: "List recorded submissions, newest first",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
}

// Doc is `vat receipts list -o json`: the submissions with a receipt, and those whose outcome
// is not yet known.
type Doc struct {
	Receipts   []ReceiptItem    `json:"receipts"`
	Unresolved []UnresolvedItem `json:"unresolved"`

	rows []row
}

// ReceiptItem is one submission in `vat receipts list -o json`. The embedded receipt has the
// same fields as `vat submit -o json`.
type ReceiptItem struct {
	ID string `json:"id"`
	cmdutil.ReceiptJSON
	Period     cmdutil.PeriodJSON `json:"period"`
	RecordedAt string             `json:"recordedAt" jsonschema:"format=date-time"`
	NetVATDue  vatreturn.Money    `json:"netVatDue"`
	Position   string             `json:"position" jsonschema:"enum=payable,enum=repayable,enum=nil"`
	Return     cmdutil.ReturnJSON `json:"return"`
}

// UnresolvedItem is a submission whose outcome is not yet known.
type UnresolvedItem struct {
	ID        string             `json:"id"`
	VRN       string             `json:"vrn"`
	PeriodKey string             `json:"periodKey"`
	Period    cmdutil.PeriodJSON `json:"period"`
	State     receipts.State     `json:"state"`
	InFlight  bool               `json:"inFlight"`
	Reason    string             `json:"reason,omitempty"`
	CreatedAt string             `json:"createdAt" jsonschema:"format=date-time"`
	NetVATDue vatreturn.Money    `json:"netVatDue"`
	Position  string             `json:"position" jsonschema:"enum=payable,enum=repayable,enum=nil"`
	Return    cmdutil.ReturnJSON `json:"return"`
}

// row is one line of the table and of the CSV, unresolved submissions first.
type row struct {
	at, id, vrn, key, outcome, bundle string
	// state is the outcome as one word for CSV: accepted, unknown, pending, in-flight...
	state string
	// label names the period for people: "Jul–Sep 2026 (26A3)".
	label  string
	period cmdutil.PeriodJSON
	ret    vatreturn.Return
}

// Table is one line per submission, the period named as the other tables name it.
func (d Doc) Table() ui.Table {
	tbl := ui.Table{
		Headers: []string{"Recorded", "ID", "VRN", "Period", "Outcome", "Form bundle", "Amount"},
		Right:   map[int]bool{6: true},
		// On a narrow terminal these wrap between words: the amount's "to pay" goes under it.
		Wrap: map[int]bool{0: true, 3: true, 4: true, 6: true},
	}
	for _, r := range d.rows {
		tbl.Rows = append(tbl.Rows, []string{tableTime(r.at), shortID(r.id), r.vrn, r.label, r.outcome, r.bundle, cmdutil.Amount(r.ret)})
	}
	return tbl
}

// CSV is one row per submission with its period's dates apart and all nine boxes as numbers.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: append([]string{"recorded", "id", "vrn", "periodKey", "periodStart", "periodEnd", "periodDue", "outcome",
		"formBundleNumber", "position"}, cmdutil.BoxFields()...)}
	for _, r := range d.rows {
		tbl.Rows = append(tbl.Rows, append([]string{r.at, r.id, r.vrn, r.key, r.period.Start, r.period.End, r.period.Due, r.state,
			r.bundle, cmdutil.Position(r.ret)}, cmdutil.BoxValues(r.ret)...))
	}
	return tbl
}

func listRun(ctx context.Context, opts *ListOptions) error {
	j, err := opts.Journal()
	if err != nil {
		return err
	}
	reconcileAll(ctx, opts, j)
	list, err := j.List(ctx)
	if err != nil {
		return err
	}
	open, err := j.OpenIntents(ctx, "")
	if err != nil {
		return err
	}
	doc := Doc{Receipts: []ReceiptItem{}, Unresolved: []UnresolvedItem{}}
	// Unresolved first: they are what the user must act on (the next 'vat submit' reconciles them).
	for i := len(open) - 1; i >= 0; i-- {
		in := open[i]
		e, err := j.Get(ctx, in.ID)
		if err != nil {
			return err
		}
		item := UnresolvedItem{
			ID: in.ID, VRN: in.VRN, PeriodKey: in.PeriodKey, Period: cmdutil.PeriodOf(in), State: e.State, InFlight: e.InFlight,
			Reason: lastEventReason(e), CreatedAt: cmdutil.FormatTime(in.CreatedAt), NetVATDue: in.Return.NetVATDue, Position: cmdutil.Position(in.Return),
			Return: cmdutil.ReturnOf(in.Return),
		}
		doc.Unresolved = append(doc.Unresolved, item)
		outcome := "UNKNOWN: run 'vat submit' to reconcile"
		if e.InFlight {
			outcome = "being sent now"
		}
		state := string(e.State)
		if e.InFlight {
			state = "in-flight"
		}
		doc.rows = append(doc.rows, row{cmdutil.FormatTime(in.CreatedAt), in.ID, in.VRN, in.PeriodKey, outcome, "", state, cmdutil.SubmissionPeriod(in), item.Period, in.Return})
	}
	for _, e := range list {
		in, r := e.Intent, e.Receipt
		item := ReceiptItem{
			ID: in.ID, ReceiptJSON: cmdutil.ReceiptJSONFor(in, r), Period: cmdutil.PeriodOf(in), RecordedAt: cmdutil.FormatTime(r.RecordedAt),
			NetVATDue: in.Return.NetVATDue, Position: cmdutil.Position(in.Return), Return: cmdutil.ReturnOf(in.Return),
		}
		doc.Receipts = append(doc.Receipts, item)
		doc.rows = append(doc.rows, row{item.RecordedAt, in.ID, item.VRN, item.PeriodKey, r.Outcome, r.FormBundleNumber, r.Outcome, cmdutil.SubmissionPeriod(in), item.Period, in.Return})
	}
	if len(doc.rows) == 0 && !opts.JSONOutput() {
		opts.Status("no submissions recorded yet in %s", j.Dir())
	}
	return opts.Output(doc)
}

// tableTime writes an RFC 3339 UTC time as "2026-11-24 10:30:00 UTC": words a narrow table can
// wrap between.
func tableTime(at string) string {
	if !strings.HasSuffix(at, "Z") {
		return at
	}
	return strings.Replace(strings.TrimSuffix(at, "Z"), "T", " ", 1) + " UTC"
}

// shortID is enough of an ID to pass to 'vat receipts show'.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func lastEventReason(e *receipts.Entry) string {
	for i := len(e.Events) - 1; i >= 0; i-- {
		if e.Events[i].Reason != "" {
			return e.Events[i].Reason
		}
	}
	return ""
}

// reconcileAll asks HMRC about every submission whose outcome is unknown before the journal is
// shown, so the list says what HMRC knows. Listing must work offline too: when HMRC cannot be
// asked (not logged in, no network), the unresolved entries are shown as they are.
func reconcileAll(ctx context.Context, opts *ListOptions, j *receipts.Journal) {
	open, err := j.OpenIntents(ctx, "")
	if err != nil || len(open) == 0 {
		return
	}
	filer, err := opts.Filer(ctx)
	if err != nil {
		opts.Status("could not ask HMRC about %d unresolved submission(s): %v", len(open), err)
		return
	}
	seen := map[string]bool{}
	for _, in := range open {
		if seen[in.VRN] {
			continue
		}
		seen[in.VRN] = true
		settled, err := filer.Reconcile(ctx, in.VRN)
		for _, s := range settled {
			opts.SayReconciled(s)
		}
		if err != nil {
			opts.Status("could not settle the unresolved submission(s) for VRN %s: %v", in.VRN, err)
		}
	}
}
