package workbook

import (
	"context"
	"strings"

	"github.com/xuri/excelize/v2"
)

// excelBook reads a workbook through excelize. It is the reader for encrypted workbooks (only
// excelize decrypts them) and the fallback for formulas the lazy reader cannot evaluate.
type excelBook struct {
	f *excelize.File
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
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return b.f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
}

func (b *excelBook) Close() error { return b.f.Close() }

// date1904 reports whether the workbook counts dates from 1904 (old Mac Excel).
func (b *excelBook) date1904() bool {
	props, err := b.f.GetWorkbookProps()
	return err == nil && props.Date1904 != nil && *props.Date1904
}
