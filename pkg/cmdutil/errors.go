package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"github.com/vatbridge/vat/pkg/faults"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"net"
	"os"
	"slices"

	"github.com/vatbridge/vat/pkg/config"
)

// Exit codes. Scripts and cron jobs depend on them: never renumber.
const (
	ExitOK          = 0
	ExitFailure     = 1   // anything else
	ExitUsage       = 2   // bad flag or argument
	ExitInvalidData = 3   // workbook, mapping or boxes invalid; nothing was sent
	ExitAuth        = 4   // login needed: not logged in, token expired beyond refresh, authority revoked
	ExitRejected    = 5   // HMRC rejected the request (validation or business error)
	ExitUnavailable = 6   // HMRC or the network unavailable; safe to retry later
	ExitUnknown     = 7   // submission outcome unknown; the next run reconciles first
	ExitInterrupted = 130 // Ctrl-C
)

// ExitCodeDoc is shown in `vat --help` so the table lives next to the code that applies it.
const ExitCodeDoc = `EXIT STATUS
  0    success
  1    other failure
  2    usage error (bad flag or argument)
  3    invalid input data (workbook, mapping, boxes); nothing was sent
  4    authorisation needed: run 'vat login'
  5    HMRC rejected the request (validation or business error)
  6    HMRC or the network unavailable; safe to retry later
  7    submission outcome unknown; the next 'vat submit' reconciles first
  130  interrupted`

// FlagError is a usage mistake: a bad flag, argument or combination. It exits 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// Kind classifies an error for exit codes and JSON error codes. Packages below the commands do not know
// about exit codes; commands wrap what they learn with these kinds, and Classify below turns
// typed errors from the lower packages into kinds. That mapping is the only one in vat.
type Kind int

// The kinds, one per exit code.
const (
	KindFailure Kind = iota
	KindUsage
	KindInvalidData
	KindAuth
	KindRejected
	KindUnavailable
	KindUnknownOutcome
	KindInterrupted
)

var kindInfo = map[Kind]struct {
	exit int
	code string
}{
	KindFailure:        {ExitFailure, "FAILURE"},
	KindUsage:          {ExitUsage, "USAGE"},
	KindInvalidData:    {ExitInvalidData, "INVALID_DATA"},
	KindAuth:           {ExitAuth, "AUTHORISATION_REQUIRED"},
	KindRejected:       {ExitRejected, "REJECTED"},
	KindUnavailable:    {ExitUnavailable, "UNAVAILABLE"},
	KindUnknownOutcome: {ExitUnknown, "OUTCOME_UNKNOWN"},
	KindInterrupted:    {ExitInterrupted, "INTERRUPTED"},
}

// Error is an error with a kind, an optional HMRC code, a hint a person can act on, and details
// for the human and JSON displays: Items when they name a box, field or cell (every invalid box),
// Details when they are plain lines. JSON shows both as its "details", Items first.
type Error struct {
	Kind    Kind
	Code    string // e.g. HMRC's DUPLICATE_SUBMISSION; defaults to the kind's code
	Err     error
	Hint    string
	Items   []Detail
	Details []string
}

// Detail is one item of an error: a box, a cell or an HMRC field with what is wrong with it.
// The fields a script needs to find the thing to fix are kept apart; Message says it in words.
type Detail struct {
	Box     int    `json:"box,omitempty" jsonschema:"minimum=1,maximum=9"`
	Field   string `json:"field,omitempty" jsonschema:"description=HMRC's field name\\, e.g. vatDueSales"`
	Name    string `json:"name,omitempty" jsonschema:"description=the workbook's defined name"`
	Sheet   string `json:"sheet,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Code    string `json:"code,omitempty" jsonschema:"description=HMRC's or vat's code for the problem"`
	Message string `json:"message"`
	// text is the whole line shown to people when it says more than Message (the box and cell).
	text string
}

// String is the detail as one line for people.
func (d Detail) String() string {
	if d.text != "" {
		return d.text
	}
	return d.Message
}

// WithText sets the line shown to people, keeping the structured fields for JSON.
func (d Detail) WithText(line string) Detail { d.text = line; return d }

// Lines is every detail as the lines people see, Items first.
func (e *Error) Lines() []string {
	var out []string
	for _, d := range e.Items {
		out = append(out, d.String())
	}
	return append(out, e.Details...)
}

// TextDetails makes details of plain lines, for errors that have no box or cell to name.
func TextDetails(lines ...string) []Detail {
	if len(lines) == 0 {
		return nil
	}
	ds := make([]Detail, len(lines))
	for i, l := range lines {
		ds[i] = Detail{Message: l}
	}
	return ds
}

// ErrorDoc is the JSON error document written to stderr with -o json.
type ErrorDoc struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the error inside ErrorDoc.
type ErrorBody struct {
	Code    string   `json:"code" jsonschema:"description=HMRC's error code when HMRC gave one\\, else vat's: USAGE\\, INVALID_DATA\\, AUTHORISATION_REQUIRED\\, REJECTED\\, UNAVAILABLE\\, OUTCOME_UNKNOWN\\, INTERRUPTED or FAILURE"`
	Message string   `json:"message"`
	Hint    string   `json:"hint,omitempty"`
	Details []Detail `json:"details"`
}

// Doc is the error as its JSON document.
func (e *Error) Doc() ErrorDoc {
	code := e.Code
	if code == "" {
		code = e.Kind.Code()
	}
	d := append(append([]Detail{}, e.Items...), TextDetails(e.Details...)...)
	return ErrorDoc{ErrorBody{Code: code, Message: e.Err.Error(), Hint: e.Hint, Details: d}}
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// WithKind wraps err with a kind and a hint.
func WithKind(k Kind, err error, hint string, details ...string) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err, Hint: hint, Details: details}
}

// SilentError exits with a code having already told the user everything.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// classifier lets lower packages' typed errors be mapped without errors.go importing them all here;
// each is registered in classify.go.
type classifier func(err error) (*Error, bool)

// Classify turns any error into an *Error with a kind. This is the one place where errors become
// exit codes.
func Classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		return &Error{Kind: KindUsage, Err: err}
	}
	// A return sent and then interrupted is an unknown outcome, not an interruption: the
	// cancellation inside it must not hide that HMRC may have filed it.
	if errors.Is(err, context.Canceled) && !errors.Is(err, hmrc.ErrOutcomeUnknown) && !errors.As(err, new(*filing.UnknownOutcomeError)) {
		return &Error{Kind: KindInterrupted, Err: errors.New("interrupted")}
	}
	for _, c := range classifiers {
		if ce, ok := c(err); ok {
			return ce
		}
	}
	// Before the network checks: syscall.Errno satisfies net.Error, so a full disk or a read-only
	// config dir would otherwise be reported as "check the network connection".
	if le, ok := faults.Local(err); ok {
		return &Error{Kind: KindFailure, Err: le, Hint: le.Hint()}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return &Error{Kind: KindUnavailable, Err: err, Hint: "check the network connection and try again later"}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return &Error{Kind: KindUnavailable, Err: err, Hint: "check the network connection and try again later"}
	}
	return &Error{Kind: KindFailure, Err: err}
}

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var se *SilentError
	if errors.As(err, &se) {
		return se.Code
	}
	return kindInfo[Classify(err).Kind].exit
}

// Code is the kind's error code in the JSON error document.
func (k Kind) Code() string { return kindInfo[k].code }

// Explain classifies err for display and adds what only this run knows: the emulator to check
// when the profile talks to it.
func (f *Factory) Explain(err error) *Error {
	c := *Classify(err)
	e := &c
	var ne *NetworkError
	if errors.As(e.Err, &ne) && ne.Refused {
		if s, serr := f.Settings(); serr == nil && s.Env == config.EnvLocal {
			e.Hint = "is 'vat sandbox serve' running at " + ne.Host + "? Start it, or point --api-url (VAT_API_URL) at it"
		}
	}
	if p := f.WithProfile(e.Hint); p != e.Hint {
		e.Hint = p
	}
	if m := e.Err.Error(); f.WithProfile(m) != m {
		e.Err = errors.New(f.WithProfile(m))
	}
	for i, d := range e.Details {
		if i == 0 {
			e.Details = slices.Clone(e.Details)
		}
		e.Details[i] = f.WithProfile(d)
	}
	return e
}
