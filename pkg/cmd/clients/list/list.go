// Package list is `vat clients list`.
package list

import (
	"context"
	"fmt"
	"io"

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

// ClientJSON is a client in `-o json` output, a stable schema; an unset workbook, map or method
// is "" so that every client has the same fields.
type ClientJSON struct {
	Name     string `json:"name"`
	VRN      string `json:"vrn"`
	Workbook string `json:"workbook"`
	Map      string `json:"map"`
	Method   string `json:"method"`
}

// Text is one client as a record: name and VRN, then the settings it has.
func (c ClientJSON) Text(w io.Writer, _ cmdutil.Term) error {
	if _, err := fmt.Fprintf(w, "Name      %s\nVRN       %s\n", c.Name, c.VRN); err != nil {
		return err
	}
	for _, row := range [][2]string{{"Workbook", c.Workbook}, {"Map", c.Map}, {"Method", c.Method}} {
		if row[1] != "" {
			if _, err := fmt.Fprintf(w, "%-9s %s\n", row[0], row[1]); err != nil {
				return err
			}
		}
	}
	return nil
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
	doc := Doc{Clients: make([]ClientJSON, 0, len(p.Clients))}
	for _, c := range p.Clients {
		doc.Clients = append(doc.Clients, JSONOf(c))
	}
	if len(p.Clients) == 0 && !f.JSONOutput() {
		f.Status("no clients in this profile: add one with 'vat clients add NAME --vrn VRN'")
		// A CSV still has its header, so a script or spreadsheet reading it finds the columns.
		if out, _ := f.OutputFormat(); out != "csv" {
			return nil
		}
	}
	return f.Output(doc)
}

// Doc is `vat clients list -o json`: the profile's clients in the order they were added.
type Doc struct {
	Clients []ClientJSON `json:"clients"`
}

// Table is the clients, one a row.
func (d Doc) Table() ui.Table {
	t := d.CSV()
	t.Headers = []string{"Name", "VRN", "Workbook", "Map", "Method"}
	// Names wrap between words; paths and map files may break anywhere, as a path has no
	// spaces to wrap at. The VRN and the method stay whole.
	t.Wrap = map[int]bool{0: true, 2: true, 3: true}
	t.Break = map[int]bool{2: true, 3: true}
	return t
}

// CSV is the same rows under the names -o json gives the fields: every column is text, so the
// table and the CSV agree.
func (d Doc) CSV() ui.Table {
	tbl := ui.Table{Headers: []string{"name", "vrn", "workbook", "map", "method"}}
	for _, c := range d.Clients {
		tbl.Rows = append(tbl.Rows, []string{c.Name, c.VRN, c.Workbook, c.Map, c.Method})
	}
	return tbl
}
