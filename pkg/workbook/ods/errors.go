package ods

import "errors"

// Errors that tell a caller what kind of file it has; pkg/workbook turns them into one-sentence
// messages. Limits are reported with *xlsxlite.LimitError, as for .xlsx files.
var (
	// ErrNotODS: a zip archive that is not an OpenDocument spreadsheet.
	ErrNotODS = errors.New("not an OpenDocument spreadsheet")
	// ErrEncrypted: the spreadsheet is password-protected; its content.xml is ciphertext.
	ErrEncrypted = errors.New("password-protected OpenDocument spreadsheet")
	// ErrCorrupt: the zip or content.xml is damaged.
	ErrCorrupt = errors.New("corrupt OpenDocument spreadsheet")
	// ErrNoSheet: a sheet name that the spreadsheet does not have.
	ErrNoSheet = errors.New("no such sheet")
	// ErrBadRef: a cell reference that is not a single A1 cell.
	ErrBadRef = errors.New("not a cell reference")
	// ErrNotCalculated: a formula cell with no saved result.
	ErrNotCalculated = errors.New("the formula has no saved result; open the spreadsheet in LibreOffice Calc and save it so it stores the calculated values")
)
