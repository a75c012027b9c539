package difftest

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/workbooktest"
)

// TestAgainstLibreOffice runs a fixed sample of generated VAT workbooks through LibreOffice and
// vat. The issue this guards against: 17.8 % of such workbooks used to exit 0 with a wrong box,
// computed by excelize. Now no workbook may pass with a wrong box, and vat may refuse at most
// 5 % of those LibreOffice computes in full. The generator keeps clear of the places where
// LibreOffice differs from Excel, which vat follows (see workbooktest.WriteVATWorkbook).
func TestAgainstLibreOffice(t *testing.T) {
	t.Parallel()
	rep, err := Run(t.Context(), t.TempDir(), 1, 40)
	if errors.Is(err, workbooktest.ErrNoLibreOffice) {
		if os.Getenv("VAT_TEST_REAL") == "1" {
			t.Fatalf("%v: VAT_TEST_REAL=1 requires it (apt-get install -y --no-install-recommends libreoffice-calc-nogui)", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	for _, o := range rep.Outcomes {
		if len(o.Wrong) > 0 {
			t.Errorf("%s (%s): vat accepted a wrong box: %s", o.Path, strings.Join(o.Features, ","), strings.Join(o.Wrong, "; "))
		}
		if o.Refused != nil {
			t.Logf("%s (%s): refused: %v", o.Path, strings.Join(o.Features, ","), o.Refused)
		}
		if o.CachedRefused != nil {
			t.Errorf("%s (%s): LibreOffice's recalculated copy was refused: %v", o.Path, strings.Join(o.Features, ","), o.CachedRefused)
		}
	}
	if rep.Computed < 38 {
		t.Errorf("LibreOffice computed only %d of %d workbooks in full; the sample says little", rep.Computed, len(rep.Outcomes))
	}
	if rep.Refused*20 > rep.Computed {
		t.Errorf("vat refused %d of %d workbooks LibreOffice computed (more than 5%%)", rep.Refused, rep.Computed)
	}
}
