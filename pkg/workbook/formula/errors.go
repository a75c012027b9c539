package formula

import (
	"errors"
	"fmt"
)

// ErrUnsupported is matched (errors.Is) by every error for a formula feature this package does
// not implement. The caller must refuse the value rather than guess it.
var ErrUnsupported = errors.New("unsupported formula feature")

// UnsupportedError names the feature that is not implemented and the formula cell that uses
// it, which may be a precedent several cells away from the one asked for: the user needs to
// know where to look.
type UnsupportedError struct {
	Feature string
	Sheet   string // the formula cell using Feature; "" when the formula was given as text
	Cell    string
	// Volatile is set when Feature is a volatile function (TODAY, NOW, RAND, OFFSET, INDIRECT…),
	// whose result depends on when the workbook was calculated.
	Volatile bool
}

func (e *UnsupportedError) Error() string {
	if e.Cell == "" {
		return "unsupported formula feature: " + e.Feature
	}
	return fmt.Sprintf("unsupported formula feature: %s (in %s!%s)", e.Feature, QuoteSheet(e.Sheet), e.Cell)
}

// Unsupported reports true; pkg/workbook looks for this method to refuse the box with advice.
func (e *UnsupportedError) Unsupported() bool { return true }

// Is makes errors.Is(err, ErrUnsupported) true.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

func unsupported(feature string) error { return &UnsupportedError{Feature: feature} }

// SyntaxError is a formula that cannot be parsed.
type SyntaxError struct {
	Formula string
	Pos     int // byte offset
	Msg     string
}

func (e *SyntaxError) Error() string {
	if e.Formula == "" {
		return "formula syntax: " + e.Msg
	}
	return fmt.Sprintf("formula syntax at byte %d of %q: %s", e.Pos, e.Formula, e.Msg)
}

func synErr(src string, pos int, msg string) error {
	if len(src) > 200 {
		src = src[:200] + "…"
	}
	return &SyntaxError{Formula: src, Pos: pos, Msg: msg}
}

// CircularError is a formula that depends on itself.
type CircularError struct{ Sheet, Cell string }

func (e *CircularError) Error() string {
	return fmt.Sprintf("circular reference through %s!%s", QuoteSheet(e.Sheet), e.Cell)
}

// LimitError is an evaluation that would exceed a resource bound (nesting, cells visited).
type LimitError struct{ What string }

func (e *LimitError) Error() string { return "formula evaluation limit: " + e.What }
