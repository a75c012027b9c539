// Package version is `vat version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// String is the one-line version, also shown by `vat --version`.
func String() string {
	return fmt.Sprintf("vat %s (commit %s, built %s, %s/%s)", build.Version, build.Commit, build.Date, runtime.GOOS, runtime.GOARCH)
}

// VersionOptions are the inputs of `vat version`.
type VersionOptions struct {
	IO         *iostreams.IOStreams
	JSONOutput func() bool
}

// NewCmdVersion builds `vat version`; runF, when not nil, replaces the run (for tests).
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, JSONOutput: f.JSONOutput}
	return &cobra.Command{
		Use:   "version",
		Short: "Show the version, commit and build date",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func versionRun(opts *VersionOptions) error {
	if opts.JSONOutput() {
		return ui.WriteJSON(opts.IO.Out, map[string]string{
			"version": build.Version, "commit": build.Commit, "date": build.Date,
			"os": runtime.GOOS, "arch": runtime.GOARCH,
		})
	}
	_, err := fmt.Fprintln(opts.IO.Out, String())
	return err
}
