package root_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// goldenOf names, for every command, one golden set that shows it in every format: a file name
// under testdata/golden, or a path from this package for the views whose goldens live in their
// own package. A command added without goldens fails TestEveryCommandHasGoldens.
var goldenOf = map[string]string{
	"check":                  "check-good-basic",
	"clients-add":            "clients-add",
	"clients-edit":           "clients-edit",
	"clients-import":         "clients-import",
	"clients-list":           "clients-list",
	"clients-remove":         "clients-remove",
	"clients-show":           "clients-show",
	"demo":                   "demo",
	"financial-details":      "../financialdetails/testdata/late-payment-penalty",
	"fraud-headers-feedback": "fraud-headers-feedback",
	"fraud-headers-show":     "fraud-headers-show",
	"fraud-headers-validate": "fraud-headers-validate",
	"information":            "../information/testdata/registered-2015",
	"liabilities":            "../liabilities/testdata/last-12-months",
	"login":                  "login",
	"logout":                 "logout",
	"obligations":            "obligations-open",
	"payments":               "../payments/testdata/last-12-months",
	"penalties":              "../penalties/testdata/history-late-filer",
	"receipts-list":          "receipts-list",
	"receipts-show":          "receipts-show",
	"returns":                "../returns/testdata/four-years",
	"sandbox-authorise":      "sandbox-authorise",
	"sandbox-create-user":    "sandbox-create-user",
	"sandbox-rehearse":       "sandbox-rehearse",
	"sandbox-serve":          "sandbox-serve",
	"status":                 "status",
	"submit":                 "submit",
	"template":               "template",
	"version":                "version",
}

// Every command vat has is shown by goldens at 80 and 120 columns, piped, as JSON and as CSV
// (a refusal, for a command without rows, is in its golden too).
func TestEveryCommandHasGoldens(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		if c.Runnable() && c.HasParent() {
			name := strings.ReplaceAll(strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), " ", "-")
			top := strings.SplitN(name, "-", 2)[0]
			if top != "help" && top != "completion" && (len(c.Commands()) == 0 || goldenOf[name] != "") {
				seen[name] = true
				if goldenOf[name] == "" {
					t.Errorf("%s has no goldens in goldenOf", c.CommandPath())
				}
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root.NewCmdRoot(cmdutil.NewFactory(ios)))
	for name, g := range goldenOf {
		if !seen[name] {
			t.Errorf("goldenOf names %q, which is not a command", name)
		}
		base := filepath.Join("testdata", "golden", g)
		if strings.HasPrefix(g, "..") {
			base = filepath.Join(g)
		}
		for _, f := range viewtest.Formats {
			if _, err := os.Stat(base + "." + f.Suffix); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}
