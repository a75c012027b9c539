// Package show is `vat fraud-headers show`: each header as it would be sent, with its source.
package show

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// ShowOptions are the inputs of `vat fraud-headers show`.
type ShowOptions struct {
	IO             *iostreams.IOStreams
	FraudMethod    func(name string) (fraud.Method, error)
	FraudCollector func() (fraud.Collector, error)
	Now            func() time.Time
	Render         func(doc any, tbl ui.Table) error
	Status         func(format string, args ...any)

	// Method is --method, inherited from `vat fraud-headers`.
	Method string
}

// NewCmdShow builds `vat fraud-headers show`; runF, when not nil, replaces the run (for tests).
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, FraudMethod: f.FraudMethod, FraudCollector: f.FraudCollector,
		Now: func() time.Time { return f.Now() }, Render: f.Render, Status: f.Status}
	return &cobra.Command{
		Use:   "show",
		Short: "Print each header as it would be sent, with its source or why it is empty",
		Args:  cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Method, _ = cmd.Flags().GetString("method")
			if runF != nil {
				return runF(opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
}

// fraudShowDoc is the stable JSON of 'vat fraud-headers show'.
type fraudShowDoc struct {
	ConnectionMethod fraud.Method `json:"connectionMethod"`
	Headers          []fraud.Line `json:"headers"`
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	m, err := opts.FraudMethod(opts.Method)
	if err != nil {
		return err
	}
	c, err := opts.FraudCollector()
	if err != nil {
		return err
	}
	facts, err := c.Collect(ctx)
	if err != nil {
		return fmt.Errorf("collect fraud-prevention data: %w", err)
	}
	lines := fraud.Describe(m, facts, opts.Now())
	tbl := ui.Table{Headers: []string{"HEADER", "VALUE", "SOURCE"}}
	empty := 0
	for _, l := range lines {
		if l.Empty {
			empty++
		}
		tbl.Rows = append(tbl.Rows, []string{l.Header, l.Value, l.Explanation})
	}
	if err := opts.Render(fraudShowDoc{ConnectionMethod: m, Headers: lines}, tbl); err != nil {
		return err
	}
	if empty > 0 {
		opts.Status("%d of %d headers are empty; HMRC expects you to explain each to SDSTeam@hmrc.gov.uk", empty, len(lines))
	}
	return nil
}
