package workbook

import "errors"

// openLite opens a plain package with the lazy reader. Until pkg/workbook/xlsxlite exists this
// reports that it is unavailable and Read uses excelize.
func openLite(path string) (book, error) {
	return nil, errors.New("lazy reader not available")
}
