package cmdutil

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/vatbridge/vat/pkg/config"
)

// AddTestScenarioFlag registers --test-scenario, once, on the root's persistent flags.
func AddTestScenarioFlag(pf *pflag.FlagSet) {
	pf.String("test-scenario", "", "sandbox only: ask HMRC for a documented test case (Gov-Test-Scenario header); each command's help lists its own [$VAT_GOV_TEST_SCENARIO]")
}

// TestScenario is the Gov-Test-Scenario to send: --test-scenario, else VAT_GOV_TEST_SCENARIO.
// Production ignores the header, so asking for a scenario there would show real data while the
// user believes it is a rehearsal: refused as a usage error.
func (f *Factory) TestScenario() (string, error) {
	name, source := "", ""
	if f.flags != nil {
		if fl := f.flags.Lookup("test-scenario"); fl != nil && fl.Changed {
			name, source = fl.Value.String(), "--test-scenario"
		}
	}
	if name == "" {
		name, source = f.Getenv("VAT_GOV_TEST_SCENARIO"), "VAT_GOV_TEST_SCENARIO"
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	if s.Env == config.EnvProduction {
		return "", FlagErrorf("%s %s: test scenarios exist only in HMRC's sandbox, not with --env production", source, name)
	}
	return name, nil
}

// ScenarioHelp is the paragraph of a command's help naming the Gov-Test-Scenario values HMRC's
// sandbox documents for its endpoint.
func ScenarioHelp(names ...string) string {
	return "\n\nIn the sandbox, --test-scenario NAME rehearses one of HMRC's documented cases:\n  " +
		strings.Join(names, "\n  ")
}
