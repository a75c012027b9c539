package submit

// `vat submit --all-clients`: an agent files every client's return in one run. The command
// hands over to submitAllClients when --all-clients (or another batch flag) is given; nothing
// else in this file is shared with the one-business submission.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"

	"github.com/vatbridge/vat/pkg/batch"
	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// allClientsHelp is the paragraph the submit command's help adds about batch runs.
const allClientsHelp = `With --all-clients (an agent's profile, see 'vat clients'), every client's return is filed in
one run: for each, the earliest ended open period is chosen, its workbook found from the
client's pattern, read, checked and filed, each exactly once. A workbook whose Ledger still
holds the template's example rows is refused (invalid workbook): a run made with --yes has
nobody to read the warning. Each result carries the workbook's warnings and the nine boxes
filed (or, with --dry-run, that would be). All clients' requests share one
limit of --rate requests a second (default 3, HMRC's limit for an application), and HMRC's
429 answers are waited out. One client failing never stops the others; a summary table (or with
-o json one result object per client) ends the run, and the exit code is that of the worst
outcome: 3 workbook missing or invalid, 4 not authorised, 5 or 6 HMRC error, 7 outcome unknown.`

// batchConcurrency is how many clients are worked on at once; the rate limit sets the pace, a few
// in parallel keep it busy while workbooks are read.
const batchConcurrency = 4

// submitAllClients files the returns of the clients the flags select. fs is the submit command's flag set,
// to refuse the flags that choose one business's return.
func submitAllClients(ctx context.Context, f *cmdutil.Factory, fs *pflag.FlagSet, cf *cmdutil.ClientFlags, yes, dryRun bool) error {
	clients, err := cf.Clients(f)
	if err != nil {
		return err
	}
	for _, name := range []string{"workbook", "map", "period-key", "period-end", "receipt-pdf", "round", "password-env"} {
		if fl := fs.Lookup(name); fl != nil && fl.Changed {
			return cmdutil.FlagErrorf("--%s is for one business's return: with --all-clients each client's workbook and map come from 'vat clients' and the period from HMRC", name)
		}
	}
	if !yes && !dryRun && !f.IOStreams.CanPrompt() {
		return cmdutil.FlagErrorf("no terminal to confirm HMRC's declaration: pass --yes to make it (e.g. under cron), or --dry-run")
	}
	s, err := f.Settings()
	if err != nil {
		return err
	}
	declKey, declText, err := f.Declaration()
	if err != nil {
		return err
	}
	if !dryRun {
		showBatchDeclaration(f, declText, len(clients), yes)
		if !yes {
			ok, err := f.IOStreams.Confirm(fmt.Sprintf("Do you make this declaration for each of these %d clients' returns and submit them to HMRC?", len(clients)))
			if err != nil || !ok {
				return cmdutil.WithKind(cmdutil.KindFailure, errors.New("not submitted: the declaration was not made"), "")
			}
		}
	}

	journal, err := f.Journal()
	if err != nil {
		return err
	}
	defer journal.Close()
	// One client for every VRN: its rate limiter is the run's, shared by all clients.
	client, err := f.HMRC(ctx)
	if err != nil {
		return err
	}
	sub := &batch.Submitter{
		Filer: &filing.Filer{API: client, Journal: journal, Now: f.Now}, Home: config.HomeDir(), DryRun: dryRun,
		Declaration: declKey, Profile: s.Profile, ToolVersion: build.Version,
	}
	verb := "filing"
	if dryRun {
		verb = "checking"
	}
	prog := f.NewProgress(ctx, verb, len(clients))
	results := batch.Each(ctx, clients, batch.Options{Concurrency: batchConcurrency, Done: func(_ int, c config.Client) { prog.Done(c.Name) }}, sub.File)
	prog.Wait()
	if err := ctx.Err(); err != nil {
		// Clients not started have no result; those started finished their own work (the journal
		// keeps any return in doubt for the next run).
		results = startedResults(results, clients)
	}

	if err := renderBatch(f, results, declKey, dryRun); err != nil {
		return err
	}
	worst := batch.Worst(results)
	var causes []error
	for _, r := range results {
		if r.Outcome == worst && r.Err != nil {
			causes = append(causes, r.Err)
		}
	}
	if ctx.Err() != nil {
		return context.Canceled
	}
	if code := cmdutil.BatchExit(worst, causes); code != cmdutil.ExitOK {
		return &cmdutil.SilentError{Code: code}
	}
	return nil
}

// startedResults drops the slots of clients that an interrupted run never reached.
func startedResults(results []batch.SubmitResult, clients []config.Client) []batch.SubmitResult {
	var out []batch.SubmitResult
	for i, r := range results {
		if r.Client == clients[i] {
			out = append(out, r)
		}
	}
	return out
}

// showBatchDeclaration shows the declaration once for the run, on stderr.
func showBatchDeclaration(f *cmdutil.Factory, text string, n int, yes bool) {
	if f.JSONOutput() && !f.IOStreams.IsStderrTTY() {
		return
	}
	st := f.ErrStyles()
	head := fmt.Sprintf("Declaration, for each of %d client%s' returns", n, map[bool]string{true: "", false: "s"}[n == 1])
	if yes {
		head += " (made with --yes)"
	}
	fmt.Fprintln(f.IOStreams.ErrOut, st.Box.Width(min(f.IOStreams.TerminalWidth()-2, 78)).Render(st.Strong.Render(head)+"\n"+text))
}

// BatchDoc is `vat submit --all-clients -o json`: each client's outcome in the order of the
// profile, and a count of every outcome (zero included, so a script need not test for a key).
type BatchDoc struct {
	DryRun  bool              `json:"dryRun"`
	Results []BatchResultJSON `json:"results"`
	Summary BatchSummary      `json:"summary"`

	// details explain each client's outcome in words, the JSON's error document in one line;
	// built beside the document because they need the error itself.
	details     []batchDetail
	outcomeText []string
	returns     []*vatreturn.Return
}

// BatchSummary counts the clients of each outcome. Its keys are camelCase like every other
// key of vat's JSON; the outcome values themselves stay kebab-case, as they are values a
// script compares, already published, not names of fields.
type BatchSummary struct {
	Filed           int `json:"filed"`
	Ready           int `json:"ready"`
	NothingDue      int `json:"nothingDue"`
	WorkbookMissing int `json:"workbookMissing"`
	InvalidWorkbook int `json:"invalidWorkbook"`
	NotAuthorised   int `json:"notAuthorised"`
	HMRCError       int `json:"hmrcError"`
	OutcomeUnknown  int `json:"outcomeUnknown"`
}

// of is the count of outcome o.
func (s *BatchSummary) of(o batch.Outcome) *int {
	return [...]*int{
		batch.Filed: &s.Filed, batch.Ready: &s.Ready, batch.NothingDue: &s.NothingDue, batch.WorkbookMissing: &s.WorkbookMissing,
		batch.InvalidWorkbook: &s.InvalidWorkbook, batch.NotAuthorised: &s.NotAuthorised, batch.HMRCError: &s.HMRCError, batch.OutcomeUnknown: &s.OutcomeUnknown,
	}[o]
}

// CSV is a client a row, plain values one per column for a spreadsheet to sort and filter:
// the period's key and dates apart, the outcome's stable name, the form bundle number alone,
// then the workbook's warnings and the nine boxes filed (or that a dry run would file) as
// plain numbers. The new columns come last, so that a script reading the earlier ones by
// position is not broken. A warning's own words may hold "; ", so the warnings are one a line
// in their (quoted) cell.
func (d BatchDoc) CSV() ui.Table {
	t := ui.Table{Headers: append([]string{"client", "vrn", "periodKey", "start", "end", "due", "outcome", "formBundleNumber", "workbook", "errorCode", "detail", "warnings"},
		cmdutil.BoxFields()...)}
	for i, r := range d.Results {
		boxes := make([]string, len(cmdutil.BoxFields()))
		if rt := d.returns[i]; rt != nil {
			boxes = cmdutil.BoxValues(*rt)
		}
		dd := d.details[i]
		dd.warnings, dd.amount = nil, "" // columns of their own
		row := append([]string{r.Client, r.VRN, "", "", "", "", r.Outcome, "", r.Workbook, "", dd.line(), strings.Join(r.Warnings, "\n")}, boxes...)
		if p := r.Period; p != nil {
			row[2], row[3], row[4], row[5] = p.PeriodKey, p.Start.String(), p.End.String(), p.Due.String()
		}
		if r.Receipt != nil {
			// The number has its own column; the detail keeps what came with it (a warning).
			row[7] = r.Receipt.FormBundleNumber
			dd.bundle = ""
			row[10] = dd.line()
		}
		if r.Error != nil {
			row[9] = r.Error.Code
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Text is a client a row for people. Piped, each row stays one line for grep; at a terminal
// the table fits its width: names, periods, outcomes and details wrap, each of a workbook's
// problems starts a line of its own, and a path may be cut (a form bundle number never is:
// it is shorter than the narrowest column).
func (d BatchDoc) Text(w io.Writer, t cmdutil.Term) error {
	tbl := ui.Table{Headers: []string{"Client", "VRN", "Period", "Outcome", "Detail"}}
	for i, r := range d.Results {
		period := ""
		if p := r.Period; p != nil {
			period = cmdutil.PeriodLabel(hmrc.Obligation{PeriodKey: p.PeriodKey, Start: p.Start, End: p.End, Due: p.Due})
		}
		detail := d.details[i].line()
		if t.TTY {
			detail = d.details[i].cell()
		}
		tbl.Rows = append(tbl.Rows, []string{r.Client, r.VRN, period, d.outcomeText[i], detail})
	}
	if t.TTY {
		tbl.Width = t.Width
		tbl.Wrap = map[int]bool{0: true, 2: true, 3: true, 4: true}
		tbl.Break = map[int]bool{4: true}
	}
	if err := tbl.Render(w, t.Styles, t.TTY); err != nil || !t.TTY {
		return err
	}
	// A workbook's problems, one per box, would make a row tens of lines tall in a narrow
	// column: at a terminal they follow the table, client by client, at the terminal's width.
	icon := t.Styles.Warn.Render(t.Styles.WarningIcon())
	hang := 2 + ansi.StringWidth(icon) + 1
	for i, r := range d.Results {
		items, warnings := d.details[i].items, d.details[i].warnings
		if len(items) == 0 && len(warnings) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s):\n", r.Client, r.VRN)
		for _, it := range items {
			fmt.Fprintf(w, "  %s\n", ui.WrapWords(it, t.Width, 4))
		}
		for _, wn := range warnings {
			fmt.Fprintf(w, "  %s %s\n", icon, ui.Indent(ui.WrapProse(wn, t.Width-hang), hang))
		}
		if h := d.details[i].hint; h != "" {
			fmt.Fprintf(w, "  %s\n", ui.WrapWords(h, t.Width, 2))
		}
	}
	return nil
}

// batchDetail explains one client's outcome: what happened, the problems found one by one, and
// what to do.
type batchDetail struct {
	bundle string // the form bundle number of a return filed now
	head   string
	// code is HMRC's error code, for a log to be searched; a terminal's narrow column leaves it
	// out, as it could only cut it (-o json and the CSV carry it apart).
	code  string
	then  string // what to do, after the head
	items []string
	hint  string
	// warnings are the workbook's: at a terminal they follow the table with the problems.
	warnings []string
	// amount is box 5 and its direction, for a return filed or ready to be.
	amount string
}

// start is the form bundle number, or what happened.
func (d batchDetail) start() string {
	s := d.head
	switch {
	case d.bundle != "" && d.head != "":
		s = "form bundle " + d.bundle + "; " + d.head
	case d.bundle != "":
		s = "form bundle " + d.bundle
	}
	if d.amount != "" {
		s += " (" + d.amount + ")"
	}
	return s
}

// line is the detail on one line, for a piped table and the CSV.
func (d batchDetail) line() string {
	s := d.start()
	if d.code != "" {
		s += " (" + d.code + ")"
	}
	if d.then != "" {
		s += ": " + d.then
	}
	if len(d.items) > 0 {
		s += ": " + strings.Join(d.items, "; ")
	}
	if d.hint != "" {
		s += " (" + d.hint + ")"
	}
	for _, w := range d.warnings {
		s += "; warning: " + w
	}
	return s
}

// cell is the detail in a terminal's table; the problems themselves are listed under the
// table.
func (d batchDetail) cell() string {
	s := d.start()
	if d.then != "" {
		s += ": " + d.then
	}
	switch {
	case len(d.items) > 0:
		return s + " (listed below the table)" // the hint follows them there
	case len(d.warnings) > 0:
		return s + " (warnings below the table)" // and the hint after them
	case d.hint != "":
		s += "\n(" + d.hint + ")"
	}
	return s
}

// BatchResultJSON is one client in BatchDoc: period is null when no open period was found,
// receipt when nothing was filed, return when no return was filed nor would be (a dry run's
// return is the one it would file), error when nothing went wrong. warnings are the
// workbook's, as 'vat check -o json' gives them, whenever it was read: a refused workbook's too.
type BatchResultJSON struct {
	Client      string               `json:"client"`
	VRN         string               `json:"vrn"`
	Outcome     string               `json:"outcome" jsonschema:"enum=filed,enum=ready,enum=nothing-due,enum=workbook-missing,enum=invalid-workbook,enum=not-authorised,enum=hmrc-error,enum=outcome-unknown"`
	Period      *BatchPeriodJSON     `json:"period" jsonschema:"nullable"`
	Workbook    string               `json:"workbook,omitempty"`
	Declaration string               `json:"declaration,omitempty"`
	Receipt     *cmdutil.ReceiptJSON `json:"receipt" jsonschema:"nullable"`
	Return      *cmdutil.ReturnJSON  `json:"return" jsonschema:"nullable"`
	Warnings    []string             `json:"warnings"`
	Error       *cmdutil.ErrorJSON   `json:"error" jsonschema:"nullable"`
}

// BatchPeriodJSON is the period a client's return is (or would be) for.
type BatchPeriodJSON struct {
	PeriodKey string    `json:"periodKey"`
	Start     hmrc.Date `json:"start"`
	End       hmrc.Date `json:"end"`
	Due       hmrc.Date `json:"due"`
}

func renderBatch(f *cmdutil.Factory, results []batch.SubmitResult, declKey string, dryRun bool) error {
	doc := BatchDoc{DryRun: dryRun, Results: []BatchResultJSON{}}
	for _, r := range results {
		var ex *batch.ExampleRowsError
		if errors.As(r.Err, &ex) {
			r.Err = cmdutil.WithKind(cmdutil.KindInvalidData, r.Err, "replace the example rows on the Ledger sheet with the client's own transactions, and run again")
		}
		j := BatchResultJSON{Client: r.Client.Name, VRN: r.Client.VRN, Outcome: r.Outcome.Key(), Workbook: r.Workbook, Error: cmdutil.ErrorJSONOf(r.Err),
			Warnings: warningsOf(r.Warnings)}
		if r.Return != nil {
			rt := cmdutil.ReturnOf(*r.Return)
			j.Return = &rt
		}
		if r.Period != nil {
			o := r.Period
			j.Period = &BatchPeriodJSON{PeriodKey: o.PeriodKey, Start: o.Start, End: o.End, Due: o.Due}
		}
		var detail batchDetail
		switch {
		case r.Filed != nil:
			rc := cmdutil.ReceiptJSONOf(&r.Filed.Receipt)
			rc.VRN, rc.PeriodKey = r.Client.VRN, r.Period.PeriodKey
			j.Receipt, j.Declaration = &rc, declKey
			detail.bundle = rc.FormBundleNumber
			if r.Err != nil {
				detail.head = r.Err.Error() // a warning: HMRC has the return
			}
		case r.Reconciled != nil:
			rc := cmdutil.ReceiptJSONOf(&r.Reconciled.Receipt)
			rc.VRN, rc.PeriodKey = r.Client.VRN, r.Reconciled.Intent.PeriodKey
			j.Receipt, j.Declaration = &rc, r.Reconciled.Intent.Declaration
			detail.head = "an earlier attempt was found accepted by HMRC; nothing was sent again"
		case r.Outcome == batch.Ready:
			detail.head = "would file " + r.Workbook
		case r.Err != nil:
			detail = explainBatch(r)
		}
		if r.Return != nil {
			detail.amount = cmdutil.Amount(*r.Return)
		}
		detail.warnings = r.Warnings
		outcome := r.Outcome.String()
		if n := len(r.Warnings); n > 0 && r.Outcome.OK() {
			// A return filed (or ready) despite warnings says so where the eye lands first.
			outcome += fmt.Sprintf(", with %d warning%s", n, plural(n))
		}
		doc.Results = append(doc.Results, j)
		*doc.Summary.of(r.Outcome)++
		doc.details = append(doc.details, detail)
		doc.outcomeText = append(doc.outcomeText, outcome)
		doc.returns = append(doc.returns, r.Return)
	}
	if err := f.Output(doc); err != nil {
		return err
	}
	if !f.JSONOutput() {
		var parts []string
		for _, o := range batch.Outcomes {
			if n := *doc.Summary.of(o); n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, o))
			}
		}
		f.Status("%d client%s: %s", len(results), map[bool]string{true: "", false: "s"}[len(results) == 1], strings.Join(parts, ", "))
		for _, r := range results {
			if r.Err != nil && batch.SignInError(r.Err) {
				f.Status("%s", cmdutil.SignInProblem(r.Err))
				break
			}
		}
		if doc.Summary.OutcomeUnknown > 0 {
			f.Status("For the clients whose outcome is unknown, run the same command again: it asks HMRC whether each return arrived before sending anything.")
		}
	}
	return nil
}

// explainBatch is a client's failure for people: the cause and what to do.
func explainBatch(r batch.SubmitResult) batchDetail {
	e := cmdutil.Classify(r.Err)
	var ae *hmrc.APIError
	if r.Outcome == batch.NotAuthorised && errors.As(r.Err, &ae) && ae.Has(hmrc.CodeClientOrAgentNotAuthorised) {
		return batchDetail{head: "the client has not authorised this agent", code: hmrc.CodeClientOrAgentNotAuthorised,
			then: "ask them to accept your request from your Agent Services Account"}
	}
	if batch.SignInError(r.Err) {
		return batchDetail{head: "not signed in to HMRC (see below)"}
	}
	var ex *batch.ExampleRowsError
	if errors.As(r.Err, &ex) {
		// The path is the Workbook column's (and the JSON's); a narrow cell says only why.
		return batchDetail{head: fmt.Sprintf("the ledger still holds %d of the template's example rows; nothing was sent", ex.Rows), hint: e.Hint}
	}
	return batchDetail{head: e.Err.Error(), items: e.Lines(), hint: e.Hint}
}
