package workbook

import (
	"context"

	"github.com/vatbridge/vat/pkg/workbook/formula"
	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// liteBook adapts the lazy reader to book.
type liteBook struct {
	f *xlsxlite.File
}

var _ book = (*liteBook)(nil)

// liteLimits keeps the lazy reader to the same bounds sniff enforces on declared sizes; the
// reader applies them again to what it actually inflates, since declared sizes can lie.
func liteLimits() xlsxlite.Limits {
	return xlsxlite.Limits{MaxPartSize: maxPartSize, MaxTotalSize: maxTotalSize, MaxRatio: maxRatio}
}
func (b *liteBook) DefinedNames() []DefinedName {
	in := b.f.DefinedNames()
	out := make([]DefinedName, len(in))
	for i, d := range in {
		out[i] = DefinedName{Name: d.Name, RefersTo: d.RefersTo, Scope: d.Scope}
	}
	return out
}

func (b *liteBook) SheetNames() []string { return b.f.SheetNames() }

func (b *liteBook) Cell(sheet, ref string) (CellValue, error) {
	v, err := b.f.Cell(sheet, ref)
	if err != nil {
		return CellValue{}, err
	}
	return CellValue{Type: CellType(v.Type), Cached: v.Cached, Formula: v.Formula, HasCached: v.HasCached}, nil
}

// Calc computes with the exact evaluator only. A formula it does not implement is refused by
// the caller: a float64 engine's answer can be off by a pound after ROUNDDOWN, or 0 for a
// structured reference it cannot read, and a box must never be silently wrong.
func (b *liteBook) Calc(ctx context.Context, sheet, ref string) (string, error) {
	return b.f.Calc(ctx, sheet, ref)
}

func (b *liteBook) date1904() bool { return b.f.Date1904() }

func (b *liteBook) manualCalc() bool { return b.f.ManualCalc() }

func (b *liteBook) excelNames() bool { return true }

func (b *liteBook) volatileUses() []formula.VolatileUse { return b.f.VolatileUses() }

func (b *liteBook) Close() error { return b.f.Close() }
