// Package list is `vat clients list`.
package list

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// ListOptions are the inputs of `vat clients list`.
type ListOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
}

// NewCmdList builds `vat clients list`; runF, when not nil, replaces the run (for tests).
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Factory: f}
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the clients",
		Args:    cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
}

// ClientJSON is a client in `-o json` output, a stable schema.
type ClientJSON struct {
	Name     string `json:"name"`
	VRN      string `json:"vrn"`
	Workbook string `json:"workbook"`
	Map      string `json:"map"`
	Method   string `json:"method"`
}

// JSONOf converts a client for JSON output.
func JSONOf(c config.Client) ClientJSON {
	return ClientJSON{Name: c.Name, VRN: c.VRN, Workbook: c.Workbook, Map: c.Map, Method: c.Method}
}

func listRun(_ context.Context, opts *ListOptions) error {
	f := opts.Factory
	p, err := f.Profile()
	if err != nil {
		return err
	}
	doc := make([]ClientJSON, 0, len(p.Clients))
	tbl := ui.Table{Headers: []string{"Name", "VRN", "Workbook", "Map", "Method"}}
	for _, c := range p.Clients {
		doc = append(doc, JSONOf(c))
		tbl.Rows = append(tbl.Rows, []string{c.Name, c.VRN, c.Workbook, c.Map, c.Method})
	}
	if len(p.Clients) == 0 && !f.JSONOutput() {
		f.Status("no clients in this profile: add one with 'vat clients add NAME --vrn VRN'")
		return nil
	}
	return f.Render(map[string]any{"clients": doc}, tbl)
}
