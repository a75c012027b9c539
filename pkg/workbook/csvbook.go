package workbook

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/workbook/csvlink"
)

// isCSVPath says whether a file is to be read as CSV. Text has no signature to sniff, so the
// extension decides; everything else is sniffed from its bytes.
func isCSVPath(path string) bool { return strings.EqualFold(filepath.Ext(path), ".csv") }

// csvBook adapts a CSV digital link to book. Every field of a CSV file is text, so amounts
// written the UK way (1,234.56, (12.00), £5) are numbers here, parsed exactly by the same
// function that reads amounts typed as text in workbooks; unlike in a workbook, this is the
// normal way to write them and earns no warning.
type csvBook struct {
	f *csvlink.File
}

var _ book = (*csvBook)(nil)

func openCSV(path string, periodEnd time.Time) (book, error) {
	f, err := csvlink.Open(path, csvlink.Options{PeriodEnd: periodEnd})
	if err != nil {
		var le *csvlink.LayoutError
		if errors.As(err, &le) {
			return nil, &FileError{Path: path, Message: le.Error(), Err: err}
		}
		return nil, &FileError{Path: path, Message: "cannot read the file: " + errText(err), Err: err}
	}
	return &csvBook{f: f}, nil
}

func (b *csvBook) DefinedNames() []DefinedName {
	in := b.f.DefinedNames()
	out := make([]DefinedName, len(in))
	for i, d := range in {
		out[i] = DefinedName{Name: d.Name, RefersTo: d.RefersTo, Scope: d.Scope}
	}
	return out
}

func (b *csvBook) SheetNames() []string { return b.f.SheetNames() }

func (b *csvBook) Cell(sheet, ref string) (CellValue, error) {
	v, err := b.f.Cell(sheet, ref)
	if err != nil {
		return CellValue{}, err
	}
	out := CellValue{Type: CellType(v.Type), Cached: v.Cached, HasCached: v.HasCached}
	if out.Type == TypeString {
		if d, err := parseTextNumber(v.Cached); err == nil {
			out.Type, out.Cached = TypeNumber, d.String()
		}
	}
	return out, nil
}

func (b *csvBook) Calc(context.Context, string, string) (string, error) {
	return "", errors.New("a CSV file holds no formulas")
}

func (b *csvBook) Close() error { return b.f.Close() }
