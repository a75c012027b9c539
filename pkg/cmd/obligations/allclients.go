package obligations

import (
	"context"
	"fmt"

	"github.com/vatbridge/vat/pkg/batch"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// dueJSON is one open obligation in `vat obligations --all-clients -o json`.
type dueJSON struct {
	Client    string `json:"client"`
	VRN       string `json:"vrn"`
	PeriodKey string `json:"periodKey"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Due       string `json:"due"`
	DaysLeft  int    `json:"daysLeft"` // negative when overdue
}

// clientJSON is one client's result in the same document.
type clientJSON struct {
	Client  string             `json:"client"`
	VRN     string             `json:"vrn"`
	Outcome string             `json:"outcome"` // "read", "nothing-due", "not-authorised", "hmrc-error"
	Open    int                `json:"open"`
	Error   *cmdutil.ErrorJSON `json:"error"`
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
	doc := struct {
		Due     []dueJSON    `json:"due"`
		Clients []clientJSON `json:"clients"`
	}{Due: []dueJSON{}, Clients: []clientJSON{}}
	tbl := ui.Table{Headers: []string{"Client", "VRN", "Period", "Due", "Days"}, Right: map[int]bool{4: true}}
	for _, r := range rows {
		o := r.Obligation
		doc.Due = append(doc.Due, dueJSON{Client: r.Client.Name, VRN: r.Client.VRN, PeriodKey: o.PeriodKey,
			Start: o.Start.String(), End: o.End.String(), Due: o.Due.String(), DaysLeft: r.DaysLeft})
		tbl.Rows = append(tbl.Rows, []string{r.Client.Name, r.Client.VRN, cmdutil.PeriodLabel(o), o.Due.String(), daysText(r.DaysLeft, o, today)})
	}
	var failed []error
	for _, r := range results {
		key := r.Outcome.Key()
		if r.Outcome == batch.Filed {
			key = "read"
		}
		doc.Clients = append(doc.Clients, clientJSON{Client: r.Client.Name, VRN: r.Client.VRN, Outcome: key, Open: len(r.Open), Error: cmdutil.ErrorJSONOf(r.Err)})
	}
	if err := opts.Render(doc, tbl); err != nil {
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
