package cli

import (
	"errors"

	"os"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/workbook"
)

func newCmdTemplate(f *Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "template FILE",
		Short: "Write a starter workbook with the nine named cells",
		Long: `Write a starter .xlsx: a "Ledger" sheet to fill in and a "VAT Return" sheet whose nine
named cells (Box1 ... Box9) hold formulas over the ledger, with PeriodStart and PeriodEnd.
Check it with 'vat check --workbook FILE'.`,
		Example: `  vat template q4.xlsx`,
		Args:    exactArgs(1, "the file to write, e.g. vat template q4.xlsx"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if _, err := os.Stat(path); err == nil && !force {
				return flagErrorf("%s already exists; pass --force to overwrite it", path)
			} else if err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if force {
				// WriteTemplate never overwrites; --force is the user saying it may.
				if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
			}
			if err := workbook.WriteTemplate(path); err != nil {
				return err
			}
			f.status("wrote %s: fill in the Ledger sheet, then run: vat check --workbook %s", path, path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite FILE if it exists")
	return cmd
}
