package root_test

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func help(t *testing.T, width int, args ...string) string {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	if width > 0 {
		ios.SetStdoutTTY(true)
		ios.SetTerminalWidth(width)
	}
	if code := root.Run(context.Background(), args, cmdutil.NewFactory(ios)); code != 0 {
		t.Fatalf("vat %v: exit %d\n%s", args, code, errOut)
	}
	return out.String()
}

// Help on an 80-column terminal fits it, for every command and topic: descriptions, command
// summaries and flag descriptions wrap between words, examples keep each command whole. Piped, each flag stays on one line for grep.
func TestHelpFitsTheTerminal(t *testing.T) {
	t.Parallel()
	all := [][]string{{"--help"}}
	ios, _, _, _ := iostreams.Test()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.Hidden {
				all = append(all, append(strings.Fields(strings.TrimPrefix(sub.CommandPath(), "vat ")), "--help"))
				walk(sub)
			}
		}
	}
	walk(root.NewCmdRoot(cmdutil.NewFactory(ios)))
	for _, args := range all {
		if args[0] == "help" || args[0] == "completion" && len(args) > 2 {
			continue
		}
		if len(args) == 2 && (args[0] == "environment" || args[0] == "exit-codes" || args[0] == "workbook" || args[0] == "output") {
			args = []string{"help", args[0]}
		}
		got := help(t, 80, args...)
		for _, line := range strings.Split(got, "\n") {
			if n := len([]rune(line)); n > 80 {
				t.Errorf("vat %s at 80 columns: a line of %d\n%s", strings.Join(args, " "), n, line)
			}
		}
	}
	// The words survive the wrapping: a flag's description reads the same on one line.
	wrapped := strings.Join(strings.Fields(help(t, 80, "submit", "--help")), " ")
	for _, want := range []string{
		"--method string connection method for this run, over each client's own: DESKTOP_APP_DIRECT, OTHER_DIRECT, BATCH_PROCESS_DIRECT (default: the client's, else the profile's)",
		"--test-scenario string sandbox only: ask HMRC for a documented test case (Gov-Test-Scenario header); each command's help lists its own [$VAT_GOV_TEST_SCENARIO]",
	} {
		if !strings.Contains(wrapped, want) {
			t.Errorf("submit --help at 80 columns lost %q", want)
		}
	}
	// A setting or a command is never broken: its comment goes on a line of its own above it.
	env := help(t, 80, "help", "environment")
	if !strings.Contains(env, "  # every filed return's receipt\n  receipt_pdf = \"~/VAT/{vrn}/{period-end:2006-01}-{period-key}.pdf\"\n") {
		t.Errorf("help environment at 80 columns broke a setting:\n%s", env)
	}
	if ex := help(t, 80, "submit", "--help"); !strings.Contains(ex, "  # a practice, under cron\n  vat submit --all-clients --yes --method BATCH_PROCESS_DIRECT -o json\n") {
		t.Errorf("submit --help at 80 columns broke an example:\n%s", ex)
	}
	piped := help(t, 0, "submit", "--help")
	if !strings.Contains(piped, "--method string         connection method for this run, over each client's own: DESKTOP_APP_DIRECT, OTHER_DIRECT, BATCH_PROCESS_DIRECT (default: the client's, else the profile's)\n") {
		t.Errorf("piped help wraps a flag:\n%s", piped)
	}
}
