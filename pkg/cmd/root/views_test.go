package root

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// Every command that reads from HMRC takes --test-scenario and names in its help the scenarios
// HMRC's sandbox documents for it.
func TestReadCommandsNameTheirScenarios(t *testing.T) {
	for _, c := range []struct{ cmd, scenario string }{
		{"obligations", "QUARTERLY_FOUR_MET"},
		{"returns", "DATE_RANGE_TOO_LARGE"},
		{"liabilities", "MULTIPLE_LIABILITIES"},
		{"payments", "MULTIPLE_PAYMENTS"},
		{"penalties", "THRESHOLD_LATE_SUBMISSION_PENALTIES"},
		{"financial-details", "DEFAULT"},
		{"information", "NO_FLATRATESCHEME"},
	} {
		ios, _, out, _ := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		f.Getenv = func(string) string { return "" }
		if code := Run(t.Context(), []string{c.cmd, "--help"}, f); code != 0 {
			t.Errorf("%s --help: exit %d", c.cmd, code)
		}
		help := out.String()
		if !strings.Contains(help, "--test-scenario") || !strings.Contains(help, c.scenario) {
			t.Errorf("vat %s --help does not name --test-scenario and %s:\n%s", c.cmd, c.scenario, help)
		}
	}
}
