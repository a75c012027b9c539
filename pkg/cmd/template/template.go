// Package template is `vat template`: a starter workbook.
package template

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/workbook"
)

// TemplateOptions are the inputs of `vat template`.
type TemplateOptions struct {
	IO     *iostreams.IOStreams
	Status func(format string, args ...any)

	Path  string
	Force bool
}

// NewCmdTemplate builds `vat template`; runF, when not nil, replaces the run (for tests).
func NewCmdTemplate(f *cmdutil.Factory, runF func(*TemplateOptions) error) *cobra.Command {
	opts := &TemplateOptions{IO: f.IOStreams, Status: f.Status}
	cmd := &cobra.Command{
		Use:   "template FILE",
		Short: "Write a starter workbook with the nine named cells",
		Long: `Write a starter .xlsx: a "Ledger" sheet to fill in and a "VAT Return" sheet whose nine
named cells (VAT_Box1 ... VAT_Box9) hold formulas over the ledger, with PeriodStart and PeriodEnd.
Check it with 'vat check --workbook FILE'.`,
		Example: `  vat template q4.xlsx`,
		Args:    cmdutil.ExactArgs(1, "the file to write, e.g. vat template q4.xlsx"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return templateRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite FILE if it exists")
	return cmd
}

func templateRun(opts *TemplateOptions) error {
	path := opts.Path
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return cmdutil.FlagErrorf("%s already exists; pass --force to overwrite it", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if opts.Force {
		// WriteTemplate never overwrites; --force is the user saying it may.
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := workbook.WriteTemplate(path); err != nil {
		return err
	}
	opts.Status("wrote %s: fill in the Ledger sheet, then run: vat check --workbook %s", path, path)
	return nil
}
