// Package remove is `vat clients remove`.
package remove

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// RemoveOptions are the inputs of `vat clients remove`.
type RemoveOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Name string
}

// NewCmdRemove builds `vat clients remove`; runF, when not nil, replaces the run (for tests).
func NewCmdRemove(f *cmdutil.Factory, runF func(*RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{IO: f.IOStreams, Factory: f}
	// It acts and says so: there are no rows for -o csv.
	return cmdutil.NoCSV(&cobra.Command{
		Use:               "remove NAME",
		Aliases:           []string{"rm"},
		Short:             "Remove a client (its receipts stay in the journal)",
		Args:              cmdutil.ExactArgs(1, "the client's name"),
		ValidArgsFunction: f.CompleteClients,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return removeRun(cmd.Context(), opts)
		},
	})
}

func removeRun(_ context.Context, opts *RemoveOptions) error {
	f := opts.Factory
	var gone config.Client
	err := f.UpdateProfile(func(p *config.Profile) error {
		i := p.FindClient(opts.Name)
		if i < 0 {
			return cmdutil.FlagErrorf("no client called %q: see 'vat clients list'", opts.Name)
		}
		gone = p.Clients[i]
		return p.RemoveClient(opts.Name)
	})
	if err != nil {
		return err
	}
	f.Status("removed client %q (VRN %s); its receipts stay in the journal", gone.Name, gone.VRN)
	return f.Output(Doc{Removed: true, Client: list.JSONOf(gone)})
}

// Doc is `vat clients remove -o json`: removed is always true (a failure is an error document),
// and client is the one removed, so a script can log what went.
type Doc struct {
	Removed bool            `json:"removed"`
	Client  list.ClientJSON `json:"client"`
}

// Text is empty: people were told on stderr, with the rest of the progress.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }
