// Package add is `vat clients add`.
package add

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

// AddOptions are the inputs of `vat clients add`.
type AddOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Client config.Client
}

// NewCmdAdd builds `vat clients add`; runF, when not nil, replaces the run (for tests).
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{IO: f.IOStreams, Factory: f}
	// It acts and says so: there are no rows for -o csv.
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "add NAME --vrn VRN [--workbook PATTERN] [--map FILE] [--method METHOD]",
		Short: "Add a client",
		Example: `  vat clients add "Acme Ltd" --vrn 123456782 --workbook '~/clients/acme/{period-end:2006-01}.xlsx'
  vat clients add Bloggs --vrn 987654353 --workbook '/srv/books/{vrn}/{period-key}.xlsx' --map /srv/books/bloggs.map`,
		Args: cmdutil.ExactArgs(1, "the client's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Client.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	})
	AddClientFlags(cmd, &opts.Client)
	return cmd
}

// AddClientFlags registers the flags describing a client (shared with edit).
func AddClientFlags(cmd *cobra.Command, c *config.Client) {
	fl := cmd.Flags()
	fl.StringVar(&c.VRN, "vrn", "", "the client's VAT registration number (9 digits)")
	fl.StringVar(&c.Workbook, "workbook", "", "the workbook: a path or a pattern with {vrn}, {period-key}, {period-end:LAYOUT}")
	fl.StringVar(&c.Map, "map", "", "map file for a workbook without the standard box names")
	fl.StringVar(&c.Method, "method", "", "connection method: "+strings.Join(config.Methods, ", "))
	_ = cmd.RegisterFlagCompletionFunc("method", cmdutil.FixedValues(config.Methods...))
}

// ClientFlagError turns a client's validation failure into a usage error naming the flag.
func ClientFlagError(err error) error { return &cmdutil.FlagError{Err: err} }

func addRun(_ context.Context, opts *AddOptions) error {
	f := opts.Factory
	// A practice sets up its agent profile by adding clients to it.
	f.AllowNewProfile()
	c := opts.Client
	c.Method = strings.ToUpper(c.Method)
	c.VRN = config.NormalizeVRN(c.VRN)
	if c.VRN == "" {
		return cmdutil.FlagErrorf("--vrn is required: the client's VAT registration number")
	}
	if err := c.Validate(); err != nil {
		return ClientFlagError(err)
	}
	if err := f.UpdateProfile(func(p *config.Profile) error { return p.AddClient(c) }); err != nil {
		return cmdutil.WithKind(cmdutil.KindUsage, err, "see them with 'vat clients list'")
	}
	s, _ := f.Settings()
	f.Status("added client %q (VRN %s) to profile %q", c.Name, c.VRN, s.Profile)
	cmdutil.HintAgentProfile(f)
	return f.Output(Doc{Profile: s.Profile, Client: list.JSONOf(c)})
}

// Doc is `vat clients add -o json`: the client as it was kept, and the profile that keeps it.
type Doc struct {
	Profile string          `json:"profile"`
	Client  list.ClientJSON `json:"client"`
}

// Text is empty: people were told on stderr, with the rest of the progress.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }
