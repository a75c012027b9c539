// Package edit is `vat clients edit`.
package edit

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// EditOptions are the inputs of `vat clients edit`; only the flags given change.
type EditOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Name string
	// Set holds the new values of the fields named in Changed ("name", "vrn", "workbook", "map", "method").
	Set     config.Client
	Changed map[string]bool
}

// NewCmdEdit builds `vat clients edit`; runF, when not nil, replaces the run (for tests).
func NewCmdEdit(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	opts := &EditOptions{IO: f.IOStreams, Factory: f}
	// It acts and says so: there are no rows for -o csv.
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "edit NAME [--name NEW] [--vrn VRN] [--workbook PATTERN] [--map FILE] [--method METHOD]",
		Short: "Change a client's details",
		Long:  `Change a client's details: only the flags given change; an empty value clears --workbook, --map or --method.`,
		Example: `  vat clients edit "Acme Ltd" --workbook '~/clients/acme/{period-key}.xlsx'
  vat clients edit "Acme Ltd" --map ""`,
		Args:              cmdutil.ExactArgs(1, "the client's name"),
		ValidArgsFunction: f.CompleteClients,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.Changed = map[string]bool{}
			for _, n := range []string{"name", "vrn", "workbook", "map", "method"} {
				opts.Changed[n] = cmd.Flags().Changed(n)
			}
			if runF != nil {
				return runF(opts)
			}
			return editRun(cmd.Context(), opts)
		},
	})
	fl := cmd.Flags()
	fl.StringVar(&opts.Set.Name, "name", "", "a new name for the client")
	fl.StringVar(&opts.Set.VRN, "vrn", "", "the client's VAT registration number (9 digits)")
	fl.StringVar(&opts.Set.Workbook, "workbook", "", "the workbook: a path or a pattern with {vrn}, {period-key}, {period-end:LAYOUT}")
	fl.StringVar(&opts.Set.Map, "map", "", "map file for a workbook without the standard box names")
	fl.StringVar(&opts.Set.Method, "method", "", "connection method: "+strings.Join(config.Methods, ", "))
	_ = cmd.RegisterFlagCompletionFunc("method", cmdutil.FixedValues(config.Methods...))
	return cmd
}

func editRun(_ context.Context, opts *EditOptions) error {
	f := opts.Factory
	changed := false
	for _, ch := range opts.Changed {
		changed = changed || ch
	}
	if !changed {
		return cmdutil.FlagErrorf("nothing to change: give --name, --vrn, --workbook, --map or --method")
	}
	var updated config.Client
	err := f.UpdateProfile(func(p *config.Profile) error {
		i := p.FindClient(opts.Name)
		if i < 0 {
			return cmdutil.FlagErrorf("no client called %q: see 'vat clients list'", opts.Name)
		}
		c := p.Clients[i]
		set := func(field string, dst *string, v string) {
			if opts.Changed[field] {
				*dst = v
			}
		}
		set("name", &c.Name, opts.Set.Name)
		set("vrn", &c.VRN, opts.Set.VRN)
		set("workbook", &c.Workbook, opts.Set.Workbook)
		set("map", &c.Map, opts.Set.Map)
		set("method", &c.Method, strings.ToUpper(opts.Set.Method))
		if err := p.ReplaceClient(p.Clients[i].Name, c); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
		updated = c
		return nil
	})
	if err != nil {
		return err
	}
	f.Status("updated client %q (VRN %s)", updated.Name, updated.VRN)
	return f.Output(Doc{Client: list.JSONOf(updated)})
}

// Doc is `vat clients edit -o json`: the client as it is now kept.
type Doc struct {
	Client list.ClientJSON `json:"client"`
}

// Text is empty: people were told on stderr, with the rest of the progress.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }
