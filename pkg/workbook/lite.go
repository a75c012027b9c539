package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// liteBook adapts the lazy reader to book. Formulas the lazy evaluator does not support fall
// back to excelize, opened only then: most workbooks never pay for it.
type liteBook struct {
	f    *xlsxlite.File
	path string

	mu       sync.Mutex
	fallback *excelBook
}

var _ book = (*liteBook)(nil)

// liteLimits keeps the lazy reader to the same bounds sniff enforces on declared sizes; the
// reader applies them again to what it actually inflates, since declared sizes can lie.
func liteLimits() xlsxlite.Limits {
	return xlsxlite.Limits{MaxPartSize: maxPartSize, MaxTotalSize: maxTotalSize, MaxRatio: maxRatio}
}

// openLite opens a plain (unencrypted) package with the lazy reader.
func openLite(path string) (book, error) {
	f, err := xlsxlite.Open(path, liteLimits())
	if err != nil {
		return nil, err
	}
	return &liteBook{f: f, path: path}, nil
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

func (b *liteBook) Calc(ctx context.Context, sheet, ref string) (string, error) {
	out, err := b.f.Calc(ctx, sheet, ref)
	var u interface{ Unsupported() bool }
	if err == nil || !errors.As(err, &u) || !u.Unsupported() {
		return out, err
	}
	fb, ferr := b.excel()
	if ferr != nil {
		return "", fmt.Errorf("%v (%w)", ferr, err)
	}
	return fb.Calc(ctx, sheet, ref)
}

func (b *liteBook) excel() (*excelBook, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fallback == nil {
		if err := checkFallbackSize(b.path); err != nil {
			return nil, err
		}
		f, err := excelize.OpenFile(b.path, excelizeOptions(""))
		if err != nil {
			return nil, err
		}
		b.fallback = &excelBook{f: f}
	}
	return b.fallback, nil
}

// maxFallbackSheets bounds the worksheet XML excelize may be asked to compute over. excelize
// parses a sheet into a DOM of roughly ten times its XML size (534 MB for a 50 MB ledger), so
// beyond this the fallback would break the memory bound; the user is told to let their
// spreadsheet program store the results instead.
const maxFallbackSheets = 32 << 20

func checkFallbackSize(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			total += f.UncompressedSize64
		}
	}
	if total > maxFallbackSheets {
		return fmt.Errorf("the formula uses a function vat computes only on workbooks under %d MB of sheet data (this one has %d MB); open and save the workbook in Excel or LibreOffice so it stores the calculated results", maxFallbackSheets>>20, total>>20)
	}
	return nil
}

// date1904 reports whether the workbook counts dates from 1904 (old Mac Excel). The lazy reader
// does not expose workbookPr, and only a date serial needs it, so the flag is read from
// workbook.xml on demand.
func (b *liteBook) date1904() bool {
	zr, err := zip.OpenReader(b.path)
	if err != nil {
		return false
	}
	defer zr.Close()
	rc, err := zr.Open("xl/workbook.xml")
	if err != nil {
		return false
	}
	defer rc.Close()
	wb, err := io.ReadAll(io.LimitReader(rc, 4<<20))
	if err != nil {
		return false
	}
	i := bytes.Index(wb, []byte("<workbookPr"))
	if i < 0 {
		return false
	}
	tag := wb[i:]
	if j := bytes.IndexByte(tag, '>'); j >= 0 {
		tag = tag[:j]
	}
	return bytes.Contains(tag, []byte(`date1904="1"`)) || bytes.Contains(tag, []byte(`date1904="true"`))
}

func (b *liteBook) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.f.Close()
	if b.fallback != nil {
		err = errors.Join(err, b.fallback.Close())
	}
	return err
}
