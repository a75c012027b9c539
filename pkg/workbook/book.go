package workbook

import "context"

// book is the narrow view of a workbook that box resolution needs. The lazy reader in
// pkg/workbook/xlsxlite implements it for every workbook (encrypted ones are decrypted in memory
// first); it opens only the parts a lookup touches and so keeps `vat check` flat in cost however
// long the ledger grows. Tests implement it over excelize to cross-check cell reading; keeping
// the surface this small is what lets them.
//
// xlsxlite must not import this package (this package imports it), so it declares its own
// DefinedName and CellValue types with exactly these field names and CellType string values;
// the adapter in this package converts them field by field.
type book interface {
	// DefinedNames returns every defined name, hidden ones and built-in _xlnm.* ones included;
	// the caller filters. RefersTo is the raw formula text without a leading '='.
	DefinedNames() []DefinedName
	// SheetNames returns the sheet names in workbook order.
	SheetNames() []string
	// Cell returns one cell by sheet name (exact, as in SheetNames) and A1 reference without '$'.
	// A cell that does not exist is TypeEmpty, not an error; an unknown sheet is an error.
	Cell(sheet, ref string) (CellValue, error)
	// Calc computes the formula in sheet!ref for files that carry no cached value. The result is
	// the value as text: an exact decimal for numbers ("1234.5", "-0.07"), "TRUE"/"FALSE", an
	// Excel error such as "#DIV/0!", or a string. A formula the reader cannot evaluate yields an
	// error for which an `Unsupported() bool` method reports true (a *formula.UnsupportedError,
	// found with errors.As); the caller refuses the box, since no other engine is exact.
	Calc(ctx context.Context, sheet, ref string) (string, error)
	// Close releases the file and any temporary files.
	Close() error
}

// DefinedName is one entry of the workbook's definedNames table.
type DefinedName struct {
	Name     string
	RefersTo string // e.g. `'VAT Return'!$C$7`, without a leading '='
	Scope    string // "" for workbook scope, otherwise the name of the sheet the name belongs to
}

// CellType says what kind of value a cell holds, as stored in the file.
type CellType string

// The cell types a reader reports. A formula cell has the type of its cached result (or of its
// computed result when it has none); the formula text is carried separately.
const (
	TypeEmpty  CellType = "empty"
	TypeNumber CellType = "number" // includes date-formatted serial numbers
	TypeString CellType = "string" // shared, inline or formula strings
	TypeBool   CellType = "bool"
	TypeError  CellType = "error"
	TypeDate   CellType = "date" // t="d": ISO 8601 text in Cached
)

// CellValue is one cell as a reader sees it.
type CellValue struct {
	Type CellType
	// Cached is the stored value as raw text: numbers exactly as written in <v> (e.g.
	// "50244367.170000002"), shared strings resolved, booleans "TRUE"/"FALSE", errors "#DIV/0!".
	Cached string
	// Formula is the cell's formula without the leading '=' (shared formulas expanded), or "".
	Formula string
	// HasCached reports whether the file stored a value for the cell. A formula cell written by
	// code (excelize, openpyxl) has none and must be computed.
	HasCached bool
}
