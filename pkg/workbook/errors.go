package workbook

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// ErrPasswordRequired reports a password-protected (encrypted) workbook opened without a
// password; the CLI asks for one or takes it from --password-env.
var ErrPasswordRequired = errors.New("workbook is password-protected")

// ErrWrongPassword reports that the password given does not open the workbook.
var ErrWrongPassword = errors.New("wrong workbook password")

// FileError reports a file that cannot be read as a workbook at all, in one sentence a user can
// act on ("save it as .xlsx", "it is damaged"). Err, when set, is a sentinel such as
// ErrPasswordRequired, reachable with errors.Is.
type FileError struct {
	Path    string
	Message string
	Err     error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Message }

// Unwrap returns the sentinel behind the message, if any.
func (e *FileError) Unwrap() error { return e.Err }

// CellError is one problem with one box (or with PeriodStart, PeriodEnd or VRN, when Box is 0),
// naming where it came from so the user can go straight to the cell. Name, Sheet and Cell are
// empty when the problem is that no such name exists.
type CellError struct {
	Box     int
	Name    string // defined name, or "" when the box came from a plain reference in --map
	Sheet   string
	Cell    string
	Message string
	Err     error // underlying cause when there is one, e.g. vatreturn.ErrPrecision
}

func (e *CellError) Error() string {
	var b strings.Builder
	if e.Box >= 1 && e.Box <= 9 {
		info := vatreturn.Boxes[e.Box-1]
		fmt.Fprintf(&b, "box %d (%s, %s)", e.Box, info.Field, info.Description)
	} else {
		b.WriteString(e.Name)
	}
	if e.Sheet != "" || e.Cell != "" {
		b.WriteString(": ")
		if e.Name != "" && e.Box != 0 {
			fmt.Fprintf(&b, "name %s → ", e.Name)
		}
		b.WriteString(cellRef(e.Sheet, e.Cell))
	} else if e.Name != "" && e.Box != 0 {
		fmt.Fprintf(&b, ": name %s", e.Name)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *CellError) Unwrap() error { return e.Err }

// Problems is every problem found in a workbook, reported together so that one edit fixes them all.
type Problems struct {
	Path  string
	Cells []*CellError
}

func (p *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem", p.Path, len(p.Cells))
	if len(p.Cells) != 1 {
		b.WriteString("s")
	}
	for _, c := range p.Cells {
		b.WriteString("\n  ")
		b.WriteString(c.Error())
	}
	return b.String()
}

// cellRef writes a reference the way Excel shows it, quoting sheet names that need it.
func cellRef(sheet, cell string) string {
	if sheet == "" {
		return cell
	}
	return quoteSheet(sheet) + "!" + cell
}

func quoteSheet(s string) string { return formula.QuoteSheet(s) }
