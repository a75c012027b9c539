// Package show is `vat clients show`.
package show

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
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
		Use:   "show NAME",
		Short: "Show one client",
		Args:  cmdutil.ExactArgs(1, "the client's name"),
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
	c := p.Clients[i]
	if f.JSONOutput() {
		return ui.WriteJSON(f.IOStreams.Out, list.JSONOf(c))
	}
	w := f.IOStreams.Out
	fmt.Fprintf(w, "Name      %s\nVRN       %s\n", c.Name, c.VRN)
	for _, row := range [][2]string{{"Workbook", c.Workbook}, {"Map", c.Map}, {"Method", c.Method}} {
		if row[1] != "" {
			fmt.Fprintf(w, "%-9s %s\n", row[0], row[1])
		}
	}
	return nil
}
