package obligations

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/vatbridge/vat/pkg/batch"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// AllClientsDoc is `vat obligations --all-clients -o json`: every client's open obligations,
// most urgent first, and how reading each client went.
type AllClientsDoc struct {
	Due     []DueJSON    `json:"due"`
	Clients []ClientJSON `json:"clients"`

	// tbl is the people's view, built beside the document because its Days column is worded
	// against today's date.
	tbl ui.Table
}

// DueJSON is one open obligation in AllClientsDoc.
type DueJSON struct {
	Client    string    `json:"client"`
	VRN       string    `json:"vrn"`
	PeriodKey string    `json:"periodKey"`
	Start     hmrc.Date `json:"start"`
	End       hmrc.Date `json:"end"`
	Due       hmrc.Date `json:"due"`
	DaysLeft  int       `json:"daysLeft" jsonschema:"description=days until due; negative when overdue"`
}

// ClientJSON is one client's result in AllClientsDoc; error is null when it was read.
type ClientJSON struct {
	Client  string             `json:"client"`
	VRN     string             `json:"vrn"`
	Outcome string             `json:"outcome" jsonschema:"enum=read,enum=nothing-due,enum=not-authorised,enum=hmrc-error,enum=outcome-unknown"`
	Open    int                `json:"open"`
	Error   *cmdutil.ErrorJSON `json:"error" jsonschema:"nullable"`
}

// CSV is the due periods, one a row.
func (d AllClientsDoc) CSV() ui.Table {
	// Plain values, one per column, for a spreadsheet to sort: the days as a number (negative
	// when overdue), the period's dates apart.
	t := ui.Table{Headers: []string{"client", "vrn", "periodKey", "start", "end", "due", "daysLeft"}}
	for _, r := range d.Due {
		t.Rows = append(t.Rows, []string{r.Client, r.VRN, r.PeriodKey, r.Start.String(), r.End.String(), r.Due.String(), strconv.Itoa(r.DaysLeft)})
	}
	return t
}

// Text draws the rows for people, the days in words, fitted to the terminal.
func (d AllClientsDoc) Text(w io.Writer, t cmdutil.Term) error {
	tbl := d.tbl
	tbl.Width, tbl.Wrap = t.Width, map[int]bool{0: true}
	return tbl.Render(w, t.Styles, t.TTY)
}

// allClientsRun is the practice-wide "what is due": every client's open obligations, most
// urgent first, with the clients whose obligations could not be read listed after.
func allClientsRun(ctx context.Context, opts *ObligationsOptions) error {
	f := opts.Factory
	if opts.StatusFilter != "open" || opts.From != "" || opts.To != "" {
		return cmdutil.FlagErrorf("--all-clients shows the open obligations: --status, --from and --to are for one business")
	}
	clients, err := opts.Batch.Clients(f)
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	prog := f.NewProgress(ctx, "reading", len(clients))
	results := batch.Due(ctx, client, clients, batch.Options{Done: func(_ int, c config.Client) { prog.Done(c.Name) }})
	prog.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}

	today := opts.Today()
	rows := batch.Urgent(results, today)
	doc := AllClientsDoc{Due: []DueJSON{}, Clients: []ClientJSON{}}
	tbl := ui.Table{Headers: []string{"Client", "VRN", "Period", "Due", "Days"}, Right: map[int]bool{4: true}}
	for _, r := range rows {
		o := r.Obligation
		doc.Due = append(doc.Due, DueJSON{Client: r.Client.Name, VRN: r.Client.VRN, PeriodKey: o.PeriodKey,
			Start: o.Start, End: o.End, Due: o.Due, DaysLeft: r.DaysLeft})
		tbl.Rows = append(tbl.Rows, []string{r.Client.Name, r.Client.VRN, cmdutil.PeriodLabel(o), cmdutil.HumanDate(o.Due), daysText(r.DaysLeft, o, today)})
	}
	var failed []error
	for _, r := range results {
		key := r.Outcome.Key()
		if r.Outcome == batch.Filed {
			key = "read"
		}
		doc.Clients = append(doc.Clients, ClientJSON{Client: r.Client.Name, VRN: r.Client.VRN, Outcome: key, Open: len(r.Open), Error: cmdutil.ErrorJSONOf(r.Err)})
	}
	doc.tbl = tbl
	if err := opts.Output(doc); err != nil {
		return err
	}
	worst := batch.Worst(results)
	var signIn error
	for _, r := range results {
		if r.Err == nil {
			continue
		}
		if r.Outcome == worst {
			failed = append(failed, r.Err)
		}
		if batch.SignInError(r.Err) {
			signIn = r.Err // said once below: it is the same for every client
			continue
		}
		opts.Status("%s (VRN %s): %s", r.Client.Name, r.Client.VRN, problem(r.Outcome, r.Err))
	}
	if signIn != nil {
		opts.Status("%s", cmdutil.SignInProblem(signIn))
	}
	if code := cmdutil.BatchExit(worst, failed); code != cmdutil.ExitOK {
		return &cmdutil.SilentError{Code: code}
	}
	return nil
}

// daysText says how urgent a period is, in words a practice scans for.
func daysText(days int, o hmrc.Obligation, today hmrc.Date) string {
	switch {
	case days < 0:
		return fmt.Sprintf("%d overdue", -days)
	case days == 0:
		return "due today"
	case !o.End.Before(today):
		return fmt.Sprintf("%d (period not ended)", days)
	}
	return fmt.Sprintf("%d left", days)
}

// problem explains a client's failure with what to do about it.
func problem(o batch.Outcome, err error) string {
	e := cmdutil.Classify(err)
	if o == batch.NotAuthorised {
		if hmrc.IsAuth(err) && e.Code == hmrc.CodeClientOrAgentNotAuthorised {
			return "the client has not authorised this agent (CLIENT_OR_AGENT_NOT_AUTHORISED): ask them to accept your authorisation request from your Agent Services Account"
		}
		return e.Err.Error() + ": " + e.Hint
	}
	msg := o.String() + ": " + e.Err.Error()
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}
