// Package version is `vat version`.
package version

import (
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/build"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// String is the one-line version, also shown by `vat --version`.
func String() string {
	return fmt.Sprintf("vat %s (commit %s, built %s, %s/%s)", build.Version, build.Commit, build.Date, runtime.GOOS, runtime.GOARCH)
}

// VersionOptions are the inputs of `vat version`.
type VersionOptions struct {
	IO     *iostreams.IOStreams
	Output func(doc any) error
}

// Doc is `vat version -o json`.
type Doc struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date" jsonschema:"description=the build date"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Text is the one line `vat --version` prints.
func (d Doc) Text(w io.Writer, _ cmdutil.Term) error {
	_, err := fmt.Fprintln(w, String())
	return err
}

// NewCmdVersion builds `vat version`; runF, when not nil, replaces the run (for tests).
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, Output: f.Output}
	return cmdutil.NoCSV(&cobra.Command{
		Use:   "version",
		Short: "Show the version, commit and build date",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	})
}

func versionRun(opts *VersionOptions) error {
	return opts.Output(Doc{Version: build.Version, Commit: build.Commit, Date: build.Date, OS: runtime.GOOS, Arch: runtime.GOARCH})
}
