package xlsxlite

import (
	"errors"
	"fmt"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// Errors that tell a caller what kind of file it has. pkg/workbook turns them into one-sentence
// messages; an encrypted workbook is decrypted there and opened with OpenBytes.
var (
	// ErrNotZip: the file is not a zip archive at all (an OLE2 compound file, which is either an
	// encrypted workbook or a legacy .xls, or something else entirely).
	ErrNotZip = errors.New("not a zip archive")
	// ErrOLE2 is wrapped together with ErrNotZip when the file starts with the OLE2 signature.
	ErrOLE2 = errors.New("ole2 compound file (encrypted workbook or legacy .xls)")
	// ErrODS: an OpenDocument spreadsheet (.ods), which is a zip but not OOXML.
	ErrODS = errors.New("opendocument spreadsheet, not an xlsx workbook")
	// ErrNotWorkbook: a zip without an OOXML workbook part.
	ErrNotWorkbook = errors.New("zip archive without an xlsx workbook part")
	// ErrCorrupt: the zip or one of its XML parts is damaged.
	ErrCorrupt = errors.New("corrupt workbook")
	// ErrNoSheet: a sheet name that the workbook does not have.
	ErrNoSheet = errors.New("no such sheet")
	// ErrBadRef: a cell reference that is not a single A1 cell.
	ErrBadRef = errors.New("not a cell reference")
)

// ErrUnsupported is matched (errors.Is) by Calc errors for formulas outside the evaluator's
// subset; such errors also have an Unsupported method. It is formula.ErrUnsupported.
var ErrUnsupported = formula.ErrUnsupported

// LimitError reports a part or an amount of data beyond the reader's Limits, as a zip bomb or
// an absurdly large workbook would be.
type LimitError struct {
	Part  string // zip entry name, or "" for the whole archive
	What  string // what was too large
	Size  int64
	Limit int64
}

func (e *LimitError) Error() string {
	if e.Part == "" {
		return fmt.Sprintf("workbook too large: %s is %d, limit %d", e.What, e.Size, e.Limit)
	}
	return fmt.Sprintf("workbook part %s too large: %s is %d, limit %d", e.Part, e.What, e.Size, e.Limit)
}
