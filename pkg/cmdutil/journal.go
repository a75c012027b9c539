package cmdutil

import (
	"path/filepath"

	"github.com/vatbridge/vat/pkg/receipts"
)

// Journal opens the submission journal in the config dir.
func (f *Factory) Journal() (*receipts.Journal, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	return receipts.Open(filepath.Join(s.ConfigDir, "receipts"))
}
