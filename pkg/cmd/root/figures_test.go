package root_test

import (
	"path/filepath"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
)

// TestCheckVRNGolden: check refuses a workbook whose VRN name holds another business's number
// than the one vat files for (here VAT_VRN), as submit would, naming the cell.
func TestCheckVRNGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	goldens(t, w, "check-vrn-mismatch", nil, "check", filepath.Join(workbooks, "good-basic.xlsx"))
}
