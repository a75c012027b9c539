package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/ui"
)

func versionString() string {
	return fmt.Sprintf("vat %s (commit %s, built %s, %s/%s)", build.Version, build.Commit, build.Date, runtime.GOOS, runtime.GOARCH)
}

func newCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show the version, commit and build date",
		Args:  requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.jsonOutputRequested() {
				return ui.WriteJSON(f.IOStreams.Out, map[string]string{
					"version": build.Version, "commit": build.Commit, "date": build.Date,
					"os": runtime.GOOS, "arch": runtime.GOARCH,
				})
			}
			_, err := fmt.Fprintln(f.IOStreams.Out, versionString())
			return err
		},
	}
}
