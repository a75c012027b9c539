// Package importcmd is `vat clients import`.
package importcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmd/clients/list"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// ImportOptions are the inputs of `vat clients import`.
type ImportOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	File string
}

// NewCmdImport builds `vat clients import`; runF, when not nil, replaces the run (for tests).
func NewCmdImport(f *cmdutil.Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{IO: f.IOStreams, Factory: f}
	// It acts and says so: there are no rows for -o csv.
	return cmdutil.NoCSV(&cobra.Command{
		Use:   "import FILE.csv",
		Short: "Add clients from a CSV file",
		Long: `Add clients from a CSV file with a header row naming its columns: name and vrn are
required; workbook, map and method are optional. Every row is checked first (VRN check digits,
duplicate names or VRNs, the workbook pattern): if any is wrong, each is listed by line and
nothing is imported.`,
		Example: `  vat clients import practice.csv

  practice.csv:
    name,vrn,workbook
    Acme Ltd,123456782,~/clients/acme/{period-end:2006-01}.xlsx`,
		Args: cmdutil.ExactArgs(1, "the CSV file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return importRun(cmd.Context(), opts)
		},
	})
}

func importRun(_ context.Context, opts *ImportOptions) error {
	f := opts.Factory
	// A practice moving from a spreadsheet list sets up its profile by importing it.
	f.AllowNewProfile()
	fh, err := os.Open(opts.File)
	if err != nil {
		return cmdutil.WithKind(cmdutil.KindInvalidData, err, "")
	}
	defer fh.Close()
	cs, err := config.ParseClientsCSV(fh)
	var ce *config.CSVError
	if errors.As(err, &ce) {
		return cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("%s: %w", opts.File, err), "fix the rows listed and import again", ce.Problems...)
	}
	if err != nil {
		return cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("%s: %w", opts.File, err), "")
	}
	err = f.UpdateProfile(func(p *config.Profile) error {
		var probs []string
		for _, c := range cs {
			if err := p.AddClient(c); err != nil {
				probs = append(probs, err.Error())
			}
		}
		if len(probs) > 0 {
			return cmdutil.WithKind(cmdutil.KindInvalidData, fmt.Errorf("%s: %d client%s clash with the profile's; nothing was imported", opts.File, len(probs), plural(len(probs))),
				"rename or remove them ('vat clients remove NAME') and import again", probs...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.Status("imported %d client%s", len(cs), plural(len(cs)))
	cmdutil.HintAgentProfile(f)
	doc := Doc{Imported: len(cs), Clients: make([]list.ClientJSON, 0, len(cs))}
	for _, c := range cs {
		doc.Clients = append(doc.Clients, list.JSONOf(c))
	}
	return f.Output(doc)
}

// Doc is `vat clients import -o json`: how many clients were added, and each as kept. An import
// is all or nothing, so a failure adds none and writes an error document instead.
type Doc struct {
	Imported int               `json:"imported"`
	Clients  []list.ClientJSON `json:"clients"`
}

// Text is empty: people were told on stderr, with the rest of the progress.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
