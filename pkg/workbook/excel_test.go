package workbook

import (
	"context"
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// excelBook reads cells through excelize: an independent reader that tests hold the lazy one
// against. It never computes with excelize (float64, and no structured references); formulas
// without saved results go to the exact evaluator like everywhere else.
type excelBook struct {
	f     *excelize.File
	exact book
}

// openExcel opens any workbook with excelize, for cross-checks.
func openExcel(path string, k kind, password string) (book, error) {
	if k == kindEncrypted && password == "" {
		return nil, &FileError{Path: path, Message: "the workbook is password-protected; give its password", Err: ErrPasswordRequired}
	}
	f, err := excelize.OpenFile(path, excelizeOptions(password))
	if err != nil {
		if k == kindEncrypted {
			return nil, &FileError{Path: path, Message: "the password does not open this workbook", Err: ErrWrongPassword}
		}
		return nil, &FileError{Path: path, Message: "the file is damaged and cannot be read as a workbook (" + err.Error() + ")", Err: err}
	}
	exact, err := openBook(path, k, password)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &excelBook{f: f, exact: exact}, nil
}

var _ book = (*excelBook)(nil)

// excelizeOptions keeps excelize within the same bounds sniff checked: big sheets spill to a
// temporary file rather than memory, and the total unpacked size is capped.
func excelizeOptions(password string) excelize.Options {
	return excelize.Options{
		Password:          password,
		UnzipSizeLimit:    maxTotalSize,
		UnzipXMLSizeLimit: 16 << 20,
		RawCellValue:      true,
	}
}

func (b *excelBook) DefinedNames() []DefinedName {
	in := b.f.GetDefinedName()
	out := make([]DefinedName, 0, len(in))
	for _, d := range in {
		scope := d.Scope
		if scope == "Workbook" {
			scope = ""
		}
		out = append(out, DefinedName{Name: d.Name, RefersTo: strings.TrimPrefix(d.RefersTo, "="), Scope: scope})
	}
	return out
}

func (b *excelBook) SheetNames() []string { return b.f.GetSheetList() }

func (b *excelBook) Cell(sheet, ref string) (CellValue, error) {
	typ, err := b.f.GetCellType(sheet, ref)
	if err != nil {
		return CellValue{}, err
	}
	raw, err := b.f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		return CellValue{}, err
	}
	formula, err := b.f.GetCellFormula(sheet, ref)
	if err != nil {
		return CellValue{}, err
	}
	v := CellValue{Cached: raw, Formula: formula, HasCached: raw != ""}
	switch typ {
	case excelize.CellTypeBool:
		v.Type = TypeBool
		switch raw {
		case "1", "TRUE", "true":
			v.Cached = "TRUE"
		case "0", "FALSE", "false":
			v.Cached = "FALSE"
		}
	case excelize.CellTypeError:
		v.Type = TypeError
	case excelize.CellTypeDate:
		v.Type = TypeDate
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		v.Type = TypeString
		v.HasCached = true
	case excelize.CellTypeFormula:
		// t="str" marks a formula whose cached result is text, but excelize also writes it on
		// formulas it stored with no result at all; an empty value is taken as "not calculated".
		v.Type = TypeString
	default:
		v.Type = TypeNumber
		if raw == "" {
			v.Type = TypeEmpty
		}
	}
	return v, nil
}

func (b *excelBook) Calc(ctx context.Context, sheet, ref string) (string, error) {
	return b.exact.Calc(ctx, sheet, ref)
}

func (b *excelBook) Close() error { return errors.Join(b.f.Close(), b.exact.Close()) }

// date1904 reports whether the workbook counts dates from 1904 (old Mac Excel).
func (b *excelBook) date1904() bool {
	props, err := b.f.GetWorkbookProps()
	return err == nil && props.Date1904 != nil && *props.Date1904
}

func (b *excelBook) manualCalc() bool {
	mc, ok := b.exact.(interface{ manualCalc() bool })
	return ok && mc.manualCalc()
}

func (b *excelBook) volatileUses() []formula.VolatileUse {
	vu, ok := b.exact.(interface{ volatileUses() []formula.VolatileUse })
	if !ok {
		return nil
	}
	return vu.volatileUses()
}

func (b *excelBook) excelNames() bool { return true }
