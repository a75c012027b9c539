// Package batch runs a job for each of a practice's clients: bounded concurrency, one shared
// HMRC client (and so one rate limiter for them all), and one failing client never stopping the
// others. Each client ends with one Outcome; the worst of them decides how the run went.
//
// It prints nothing and knows nothing of the command line.
package batch

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
)

// Outcome is how one client's part of a run ended. The order is severity: a later outcome is
// worse, and the worst one of a run decides its exit code.
type Outcome int

// The outcomes.
const (
	// Filed: HMRC holds the return (accepted now, or an earlier attempt found accepted).
	Filed Outcome = iota
	// Ready: a dry run found everything in order; nothing was sent.
	Ready
	// NothingDue: no ended period is open (or, for obligations, none is open at all).
	NothingDue
	// WorkbookMissing: the client has no workbook set, or the file for the period does not exist.
	WorkbookMissing
	// InvalidWorkbook: the workbook could not be read or breaks HMRC's rules; nothing was sent.
	InvalidWorkbook
	// NotAuthorised: the client has not authorised the agent, or the agent must sign in again.
	NotAuthorised
	// HMRCError: HMRC refused the request or could not be reached; nothing was filed.
	HMRCError
	// OutcomeUnknown: a return was sent and HMRC's answer was lost; the next run settles it.
	OutcomeUnknown
)

var outcomeNames = [...]struct{ key, text string }{
	Filed:           {"filed", "filed"},
	Ready:           {"ready", "ready (dry run)"},
	NothingDue:      {"nothing-due", "nothing due"},
	WorkbookMissing: {"workbook-missing", "workbook missing"},
	InvalidWorkbook: {"invalid-workbook", "invalid workbook"},
	NotAuthorised:   {"not-authorised", "not authorised"},
	HMRCError:       {"hmrc-error", "HMRC error"},
	OutcomeUnknown:  {"outcome-unknown", "outcome unknown"},
}

// Outcomes lists every outcome in order of severity, for summaries.
var Outcomes = []Outcome{Filed, Ready, NothingDue, WorkbookMissing, InvalidWorkbook, NotAuthorised, HMRCError, OutcomeUnknown}

// Key is the outcome's stable name in JSON output.
func (o Outcome) Key() string { return outcomeNames[o].key }

// String is the outcome for people.
func (o Outcome) String() string { return outcomeNames[o].text }

// OK reports whether the outcome needs nobody's attention.
func (o Outcome) OK() bool { return o <= NothingDue }

// Worst returns the most severe outcome among results (Filed for none).
func Worst[R interface{ outcome() Outcome }](results []R) Outcome {
	w := Filed
	for _, r := range results {
		if o := r.outcome(); o > w {
			w = o
		}
	}
	return w
}

// Options bound a run.
type Options struct {
	// Concurrency is how many clients are worked on at once (default 4). The shared rate limiter,
	// not this, sets the pace; a few in parallel keep it busy while others read workbooks.
	Concurrency int
	// Done, when set, is called once per client as it finishes, never concurrently.
	Done func(i int, c config.Client)
}

// Each runs job for every client, with the client's connection method (when it has one) in the
// job's context for the fraud-prevention headers, and returns when all have finished (or ctx ends, after which
// the jobs not yet started are not started and their slots stay zero). Results are in the order
// of clients.
func Each[R any](ctx context.Context, clients []config.Client, opts Options, job func(ctx context.Context, c config.Client) R) []R {
	n := opts.Concurrency
	if n <= 0 {
		n = 4
	}
	out := make([]R, len(clients))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next = make(chan int)
	)
	for range min(n, len(clients)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cctx := ctx
				if m := clients[i].Method; m != "" {
					// The client's own connection method, for its requests only.
					cctx = fraud.WithMethod(ctx, fraud.Method(m))
				}
				r := job(cctx, clients[i])
				mu.Lock()
				out[i] = r
				if opts.Done != nil {
					opts.Done(i, clients[i])
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range clients {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return out
}

// notAuthorised reports whether err means HMRC will not let the signed-in user act for the
// client: the client has not authorised the agent, or the agent's own sign-in has lapsed.
func notAuthorised(err error) bool {
	return hmrc.IsAuth(err) || SignInError(err)
}

// SignInError reports whether err is about the sign-in itself (none stored, its 18 months over,
// HMRC refusing the token), not about one client: every other client would fail the same way.
func SignInError(err error) bool {
	if errors.Is(err, auth.ErrReauthRequired) || errors.Is(err, auth.ErrNotFound) || errors.Is(err, auth.ErrAccessDenied) {
		return true
	}
	var oe *auth.OAuthError
	if errors.As(err, &oe) && oe.Status < 500 {
		return true
	}
	var ae *hmrc.APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized
}

// signIn remembers the first sign-in failure of a run, so that the clients not yet started end
// at once with it instead of each asking HMRC's token endpoint again.
type signIn struct{ err atomic.Pointer[error] }

func (g *signIn) failed() error {
	if p := g.err.Load(); p != nil {
		return *p
	}
	return nil
}

func (g *signIn) note(err error) {
	if err != nil && SignInError(err) {
		g.err.CompareAndSwap(nil, &err)
	}
}

// classifyHMRC sorts an error from talking to HMRC (not from a submission in doubt).
func classifyHMRC(err error) Outcome {
	if errors.Is(err, hmrc.ErrOutcomeUnknown) {
		return OutcomeUnknown
	}
	if notAuthorised(err) {
		return NotAuthorised
	}
	return HMRCError
}
