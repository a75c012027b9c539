package batch

import (
	"context"
	"slices"

	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
)

// ObligationsAPI is the part of HMRC's API the practice-wide view needs.
type ObligationsAPI interface {
	Obligations(ctx context.Context, vrn string, opts hmrc.ObligationsOptions) ([]hmrc.Obligation, *hmrc.Response, error)
}

// DueResult is one client's open obligations, or why they could not be read.
type DueResult struct {
	Client  config.Client
	Outcome Outcome // Filed stands for "read" here: only NothingDue, NotAuthorised and HMRCError are used otherwise
	Open    []hmrc.Obligation
	Err     error
}

func (r DueResult) outcome() Outcome { return r.Outcome }

// Due reads every client's open obligations: one request a client, all through api's limiter.
func Due(ctx context.Context, api ObligationsAPI, clients []config.Client, opts Options) []DueResult {
	var g signIn
	return Each(ctx, clients, opts, func(ctx context.Context, c config.Client) DueResult {
		r := DueResult{Client: c}
		if err := g.failed(); err != nil {
			r.Outcome, r.Err = NotAuthorised, err
			return r
		}
		obs, _, err := api.Obligations(ctx, c.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
		g.note(err)
		if err != nil {
			r.Outcome, r.Err = classifyHMRC(err), err
			return r
		}
		r.Open = obs
		if len(obs) == 0 {
			r.Outcome = NothingDue
		}
		return r
	})
}

// DueRow is one open obligation of one client, for the practice-wide view.
type DueRow struct {
	Client     config.Client
	Obligation hmrc.Obligation
	// DaysLeft is the days from today to the due date: negative when overdue.
	DaysLeft int
}

// Urgent flattens results into rows, most urgent first: the longest overdue, then the soonest
// due; ties by client name, then period end.
func Urgent(results []DueResult, today hmrc.Date) []DueRow {
	var rows []DueRow
	for _, r := range results {
		for _, o := range r.Open {
			rows = append(rows, DueRow{Client: r.Client, Obligation: o, DaysLeft: DaysBetween(today, o.Due)})
		}
	}
	slices.SortStableFunc(rows, func(a, b DueRow) int {
		if c := a.Obligation.Due.Compare(b.Obligation.Due); c != 0 {
			return c
		}
		if a.Client.Name != b.Client.Name {
			if a.Client.Name < b.Client.Name {
				return -1
			}
			return 1
		}
		return a.Obligation.End.Compare(b.Obligation.End)
	})
	return rows
}

// DaysBetween counts calendar days from a to b (negative when b is before a).
func DaysBetween(a, b hmrc.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}
