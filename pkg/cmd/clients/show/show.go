// Package show is `vat clients show`.
package show

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// ShowOptions are the inputs of `vat clients show`.
type ShowOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Name string
}

// NewCmdShow builds `vat clients show`; runF, when not nil, replaces the run (for tests).
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Factory: f}
	// One client is a record, not rows: -o csv is refused.
	return cmdutil.NoCSV(&cobra.Command{
		Use:               "show NAME",
		Short:             "Show one client",
		Args:              cmdutil.ExactArgs(1, "the client's name"),
		ValidArgsFunction: f.CompleteClients,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(cmd.Context(), opts)
		},
	})
}

func showRun(_ context.Context, opts *ShowOptions) error {
	f := opts.Factory
	p, err := f.Profile()
	if err != nil {
		return err
	}
	i := p.FindClient(opts.Name)
	if i < 0 {
		return cmdutil.FlagErrorf("no client called %q: see 'vat clients list'", opts.Name)
	}
	return f.Output(list.JSONOf(p.Clients[i]))
}
