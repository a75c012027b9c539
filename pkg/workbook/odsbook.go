package workbook

import (
	"context"
	"errors"
	"fmt"

	"github.com/vatbridge/vat/pkg/workbook/ods"
	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// odsBook adapts the OpenDocument reader to book. ods cannot import this package (this package
// imports it), so it mirrors the field names and type strings, converted here.
type odsBook struct {
	f *ods.File
}

var _ book = (*odsBook)(nil)

func openODS(path string) (book, error) {
	f, err := ods.Open(path, liteLimits())
	if err != nil {
		fe := &FileError{Path: path, Err: err}
		var le *xlsxlite.LimitError
		switch {
		case errors.As(err, &le):
			fe.Message = "the spreadsheet is too large to read safely (" + le.Error() + ")"
		case errors.Is(err, ods.ErrEncrypted):
			fe.Message = "the OpenDocument spreadsheet is password-protected, which vat cannot open; save a copy without a password (File > Save As, untick \"Save with password\")"
		default:
			fe.Message = fmt.Sprintf("the file is damaged: it is marked as an OpenDocument spreadsheet but cannot be read (%v)", err)
		}
		return nil, fe
	}
	return &odsBook{f: f}, nil
}

func (b *odsBook) DefinedNames() []DefinedName {
	in := b.f.DefinedNames()
	out := make([]DefinedName, len(in))
	for i, d := range in {
		out[i] = DefinedName{Name: d.Name, RefersTo: d.RefersTo, Scope: d.Scope}
	}
	return out
}

func (b *odsBook) SheetNames() []string { return b.f.SheetNames() }

func (b *odsBook) Cell(sheet, ref string) (CellValue, error) {
	v, err := b.f.Cell(sheet, ref)
	if err != nil {
		return CellValue{}, err
	}
	return CellValue{Type: CellType(v.Type), Cached: v.Cached, Formula: v.Formula, HasCached: v.HasCached}, nil
}

// Calc is asked for only when a formula has no saved value. LibreOffice always saves values, so
// such a file was written by another program; computing OpenFormula is out of scope, and
// guessing is not allowed, so the user is told to let LibreOffice calculate it.
func (b *odsBook) Calc(ctx context.Context, sheet, ref string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return "", ods.ErrNotCalculated
}

func (b *odsBook) Close() error { return b.f.Close() }
