package cmdutil

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// Shell completion of flag values and arguments. Completion never fails loudly and never
// creates anything: with no config or no journal it simply offers nothing.

// FixedValues completes a flag from a fixed list (e.g. -o table, json, csv).
func FixedValues(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// WorkbookExts are the files vat reads boxes from.
var WorkbookExts = []string{"xlsx", "xlsm", "ods", "csv"}

// CompleteWorkbook completes a workbook argument with the files vat can read.
func CompleteWorkbook(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return WorkbookExts, cobra.ShellCompDirectiveFilterFileExt
}

// CompleteProfiles offers the profiles in config.toml.
func (f *Factory) CompleteProfiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	file, err := f.ConfigFile()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	for name := range file.Profiles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, cobra.ShellCompDirectiveNoFileComp
}

// CompleteReceiptIDs offers the journal's submission IDs, each described by its period and
// outcome, newest first.
func (f *Factory) CompleteReceiptIDs(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	s, err := f.Settings()
	if len(args) > 0 || err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if _, err := os.Stat(filepath.Join(s.ConfigDir, "receipts")); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	j, err := f.Journal()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	entries, err := j.List(cmd.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, e := range entries {
		in := e.Intent
		desc := SubmissionPeriod(in)
		if e.Receipt != nil {
			desc += ", " + e.Receipt.Outcome
		}
		seen[in.ID] = true
		out = append(out, cobra.CompletionWithDesc(in.ID, desc))
	}
	open, err := j.OpenIntents(cmd.Context(), "")
	if err == nil {
		for _, in := range open {
			if !seen[in.ID] {
				out = append(out, cobra.CompletionWithDesc(in.ID, SubmissionPeriod(in)+", outcome unknown"))
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// CompleteClients offers the names of the profile's clients (--profile is honoured: completion
// runs before the flags reach the Factory otherwise), for a NAME argument.
func (f *Factory) CompleteClients(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return f.clientNames(cmd), cobra.ShellCompDirectiveNoFileComp
}

func (f *Factory) clientNames(cmd *cobra.Command) []string {
	f.SetFlags(cmd.Flags())
	p, err := f.Profile()
	if err != nil {
		return nil
	}
	var names []string
	for _, c := range p.Clients {
		names = append(names, c.Name)
	}
	return names
}

// completeClientList completes --clients, a comma-separated list: the names already typed are
// kept, and those not yet listed are offered after them. ClientFlags.Add has no Factory to read
// the profile with, so it asks 'vat clients show', which is built with one, for the names.
func completeClientList(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	show, _, err := cmd.Root().Find([]string{"clients", "show"})
	if err != nil || show.ValidArgsFunction == nil || show.Name() != "show" {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names, _ := show.ValidArgsFunction(cmd, nil, "")
	typed := ""
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		typed = toComplete[:i+1]
	}
	listed := map[string]bool{}
	for _, n := range strings.Split(typed, ",") {
		listed[strings.ToLower(strings.TrimSpace(n))] = true
	}
	var out []cobra.Completion
	for _, n := range names {
		if !listed[strings.ToLower(n)] {
			out = append(out, typed+n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
