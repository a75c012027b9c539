package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// SubmitResult is one client's part of a batch submission.
type SubmitResult struct {
	Client  config.Client
	Outcome Outcome
	// Period is the obligation chosen, when one was.
	Period *hmrc.Obligation
	// Workbook is the file read (or looked for), when the pattern could be expanded.
	Workbook string
	// Filed holds the intent and HMRC's receipt for Filed (nil when an earlier attempt was
	// found accepted: then Reconciled is set).
	Filed      *filing.Outcome
	Reconciled *filing.Settled
	// Return is the nine boxes filed (Filed), or that would be (Ready); nil otherwise.
	Return *vatreturn.Return
	// Warnings are the workbook's, whenever it was read: nobody may be watching the run, so
	// they travel with the result rather than being printed as they arise.
	Warnings []string
	// Err says why the client did not end Filed, Ready or NothingDue; for those it may carry a
	// warning (a receipt that could not be saved).
	Err error
}

func (r SubmitResult) outcome() Outcome { return r.Outcome }

// Submitter files one client's return. One Submitter serves the whole run: its Filer's API is
// the one shared HMRC client, whose rate limiter every client's requests wait on.
type Submitter struct {
	Filer *filing.Filer
	// Home expands a leading ~/ in workbook patterns.
	Home string
	// Read reads a workbook with the client's map file ("" for none); nil means workbook.Read
	// with the map file parsed.
	Read func(ctx context.Context, path, mapFile string) (*workbook.Result, error)
	// DryRun stops before anything is sent.
	DryRun bool
	// Declaration is the wording shown (and made) for these returns, recorded with each intent.
	Declaration string
	Profile     string
	ToolVersion string

	signIn signIn
}

// File runs the whole workflow for one client. It never panics on a client's data and never
// returns an error: everything ends in the result's Outcome.
func (s *Submitter) File(ctx context.Context, c config.Client) SubmitResult {
	r := s.file(ctx, c)
	s.signIn.note(r.Err)
	return r
}

func (s *Submitter) file(ctx context.Context, c config.Client) SubmitResult {
	r := SubmitResult{Client: c}
	fail := func(o Outcome, err error) SubmitResult { r.Outcome, r.Err = o, err; return r }
	if err := s.signIn.failed(); err != nil {
		return fail(NotAuthorised, err)
	}

	// An earlier submission whose fate is unknown is settled before anything else is sent.
	settled, err := s.Filer.Reconcile(ctx, c.VRN)
	if err != nil {
		var ue *filing.UnknownOutcomeError
		if errors.As(err, &ue) || errors.Is(err, receipts.ErrOpenIntent) {
			return fail(OutcomeUnknown, err)
		}
		return fail(classifyHMRC(err), err)
	}

	ob, err := s.choose(ctx, c.VRN)
	if err != nil {
		var none *filing.NothingOpenError
		var notEnded *filing.NotEndedError
		switch {
		case errors.As(err, &none), errors.As(err, &notEnded):
			return fail(NothingDue, err)
		}
		return fail(classifyHMRC(err), err)
	}
	r.Period = ob
	for i := range settled {
		if st := settled[i]; st.Intent.PeriodKey == ob.PeriodKey && st.Verdict == filing.Accepted {
			// HMRC lists the period open yet holds our return: it was filed, and is not sent again.
			r.Reconciled = &settled[i]
			r.Outcome = Filed
			ret := settled[i].Intent.Return
			r.Return, r.Warnings = &ret, settled[i].Intent.Evidence.Warnings
			return r
		}
	}

	if c.Workbook == "" {
		return fail(WorkbookMissing, fmt.Errorf("client %q has no workbook set: 'vat clients edit %s --workbook PATTERN'", c.Name, c.Name))
	}
	path, err := config.ExpandWorkbook(c.Workbook, config.PeriodVars{VRN: c.VRN, PeriodKey: ob.PeriodKey, Start: ob.Start.Time(), End: ob.End.Time()}, s.Home)
	if err != nil {
		return fail(WorkbookMissing, fmt.Errorf("client %q: workbook pattern %q: %w", c.Name, c.Workbook, err))
	}
	r.Workbook = path
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fail(WorkbookMissing, fmt.Errorf("no workbook for period %s at %s", filing.Label(*ob), path))
	}
	res, err := s.read(ctx, path, c.Map)
	if err != nil {
		return fail(InvalidWorkbook, err)
	}
	r.Warnings = res.Warnings
	if err := agrees(c, *ob, res); err != nil {
		return fail(InvalidWorkbook, err)
	}
	if res.ExampleRows > 0 {
		// Alone at a terminal the user reads this warning before making the declaration; a
		// batch made with --yes has nobody to read it, and an example row is never one of the
		// client's transactions: filing would be certainly wrong, so the return is refused.
		return fail(InvalidWorkbook, &ExampleRowsError{Path: res.Path, Rows: res.ExampleRows})
	}
	if s.DryRun {
		r.Outcome, r.Return = Ready, &res.Return
		return r
	}

	sub := filing.Submission{VRN: c.VRN, Obligation: *ob, Return: res.Return, Evidence: evidenceOf(res),
		Profile: s.Profile, ToolVersion: s.ToolVersion, Declaration: s.Declaration}
	out, err := s.Filer.Submit(ctx, sub)
	var notSaved *filing.ReceiptNotSavedError
	var dup *filing.DuplicateError
	switch {
	case err == nil:
		r.Filed, r.Outcome, r.Return = out, Filed, &res.Return
		return r
	case errors.As(err, &notSaved):
		// HMRC has the return; the journal's failure is a warning carried with the receipt.
		r.Filed, r.Outcome, r.Err, r.Return = out, Filed, err, &res.Return
		return r
	case errors.As(err, &dup):
		return fail(HMRCError, err)
	case errors.Is(err, hmrc.ErrOutcomeUnknown):
		return s.settleNow(ctx, r, err)
	case errors.Is(err, receipts.ErrOpenIntent):
		// Another vat process is sending this period's return right now.
		return fail(OutcomeUnknown, err)
	}
	return fail(classifyHMRC(err), err)
}

// settleNow asks HMRC at once whether a return whose answer was lost arrived, so that a run
// that ends "outcome unknown" really could not tell: a 5xx before HMRC processed anything is
// then reported as what it was, an HMRC error with nothing filed.
func (s *Submitter) settleNow(ctx context.Context, r SubmitResult, cause error) SubmitResult {
	settled, err := s.Filer.Reconcile(ctx, r.Client.VRN)
	if err != nil {
		r.Outcome, r.Err = OutcomeUnknown, cause
		return r
	}
	for i := range settled {
		st := settled[i]
		if st.Intent.PeriodKey != r.Period.PeriodKey {
			continue
		}
		switch st.Verdict {
		case filing.Accepted:
			ret := st.Intent.Return
			r.Outcome, r.Reconciled, r.Return = Filed, &settled[i], &ret
			return r
		case filing.NotReceived:
			// HMRC's own refusal is the cause to report, no longer a doubt about the outcome.
			var ae *hmrc.APIError
			if errors.As(cause, &ae) {
				cause = ae
			}
			r.Outcome, r.Err = HMRCError, fmt.Errorf("not filed, as HMRC confirms: %w", cause)
			return r
		case filing.HeldOther:
			r.Outcome, r.Err = HMRCError, fmt.Errorf("HMRC holds a different return for %s, filed by other means", r.Period.PeriodKey)
			return r
		}
	}
	r.Outcome, r.Err = OutcomeUnknown, cause
	return r
}

// choose picks the period to file: the one ended open period, or the earliest of several (a
// practice catching up files them in order, one a run).
func (s *Submitter) choose(ctx context.Context, vrn string) (*hmrc.Obligation, error) {
	ob, err := s.Filer.ChoosePeriod(ctx, vrn, filing.Choice{})
	var amb *filing.AmbiguousError
	if errors.As(err, &amb) && len(amb.Open) > 0 {
		first := slices.MinFunc(amb.Open, func(a, b hmrc.Obligation) int { return a.End.Compare(b.End) })
		return &first, nil
	}
	return ob, err
}

func (s *Submitter) read(ctx context.Context, path, mapFile string) (*workbook.Result, error) {
	if s.Read != nil {
		return s.Read(ctx, path, mapFile)
	}
	return ReadWorkbook(ctx, path, mapFile)
}

// ReadWorkbook reads a client's workbook with its map file, if any.
func ReadWorkbook(ctx context.Context, path, mapFile string) (*workbook.Result, error) {
	var opts workbook.Options
	if mapFile != "" {
		f, err := os.Open(mapFile)
		if err != nil {
			return nil, fmt.Errorf("map file: %w", err)
		}
		m, err := workbook.ParseMap(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("map file %s: %w", mapFile, err)
		}
		opts.Map = m
	}
	return workbook.Read(ctx, path, opts)
}

// agrees refuses a workbook that names another business or another period than the one chosen:
// with dozens of clients, a file copied into the wrong folder is the likely mistake.
func agrees(c config.Client, ob hmrc.Obligation, res *workbook.Result) error {
	if res.VRN != "" && res.VRN != c.VRN {
		return fmt.Errorf("%s: the workbook's VRN name holds %s but client %q has VRN %s; nothing was sent", res.Path, res.VRN, c.Name, c.VRN)
	}
	if !res.PeriodEnd.IsZero() && hmrc.DateOf(res.PeriodEnd) != ob.End {
		return fmt.Errorf("%s: the workbook's PeriodEnd is %s but the period due, %s, ends on %s; nothing was sent", res.Path, hmrc.DateOf(res.PeriodEnd), filing.Label(ob), ob.End)
	}
	if !res.PeriodStart.IsZero() && hmrc.DateOf(res.PeriodStart) != ob.Start {
		return fmt.Errorf("%s: the workbook's PeriodStart is %s but the period due, %s, starts on %s; nothing was sent", res.Path, hmrc.DateOf(res.PeriodStart), filing.Label(ob), ob.Start)
	}
	return nil
}

// ExampleRowsError refuses a workbook whose ledger still holds the template's example rows.
type ExampleRowsError = workbook.ExampleRowsError

func evidenceOf(res *workbook.Result) receipts.Evidence {
	ev := receipts.Evidence{WorkbookPath: res.Path, WorkbookSHA256: res.SHA256, Warnings: res.Warnings}
	if abs, err := filepath.Abs(res.Path); err == nil {
		ev.WorkbookPath = abs
	}
	for i, src := range res.Sources {
		ev.Cells = append(ev.Cells, receipts.CellEvidence{
			Box: i + 1, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Raw: src.Raw, Formula: src.Formula,
			Computed: src.Computed, Value: res.Return.Box(i + 1),
		})
	}
	return ev
}
