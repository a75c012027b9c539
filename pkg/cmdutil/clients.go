package cmdutil

import (
	"context"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/vatbridge/vat/pkg/config"
)

// DefaultRate is HMRC's standard rate limit for an application, in requests a second.
const DefaultRate = 3.0

// ClientFlags are the flags of a command that can work through all of an agent's clients.
type ClientFlags struct {
	AllClients bool
	Names      []string
	Rate       float64
	Method     string
	rateSet    bool
}

// Add registers --all-clients, --clients, --rate and --method on cmd.
func (c *ClientFlags) Add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&c.AllClients, "all-clients", false, "work through the profile's clients ('vat clients list') instead of one VRN")
	fl.StringSliceVar(&c.Names, "clients", nil, "with --all-clients: only these clients, by name (comma-separated)")
	fl.Float64Var(&c.Rate, "rate", 0, "with --all-clients: requests a second to HMRC for the whole run (default: the profile's rate, else 3)")
	fl.StringVar(&c.Method, "method", "", "connection method for this run, over each client's own: "+strings.Join(config.Methods, ", ")+" (default: the client's, else the profile's)")
	_ = cmd.RegisterFlagCompletionFunc("method", FixedValues(config.Methods...))
	_ = cmd.RegisterFlagCompletionFunc("clients", completeClientList)
	prev := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		c.rateSet = cmd.Flags().Changed("rate")
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
}

// Used reports whether any of the flags was given, which makes the run a batch run (or a
// usage error when --all-clients is missing).
func (c *ClientFlags) Used() bool {
	return c.AllClients || len(c.Names) > 0 || c.rateSet || c.Method != ""
}

// Clients checks the flags and returns the clients to work through, in the profile's order.
// It also applies --rate and --method to the run's HMRC client, which every client shares.
func (c *ClientFlags) Clients(f *Factory) ([]config.Client, error) {
	if !c.AllClients {
		if c.Used() {
			return nil, FlagErrorf("--clients, --rate and --method go with --all-clients (for one business, set the connection method with the profile's fraud_method or VAT_FRAUD_METHOD)")
		}
		return nil, nil
	}
	p, err := f.Profile()
	if err != nil {
		return nil, err
	}
	if c.rateSet && c.Rate <= 0 {
		return nil, FlagErrorf("--rate %v: want a number of requests a second above 0", c.Rate)
	}
	rate := DefaultRate
	switch {
	case c.rateSet:
		rate = c.Rate
	case p.Rate > 0:
		rate = p.Rate
	}
	f.SetRateLimit(rate)
	if c.Method != "" {
		m := strings.ToUpper(c.Method)
		if _, err := f.FraudMethod(m); err != nil {
			return nil, err
		}
		f.OverrideFraudMethod(m)
	}
	if len(p.Clients) == 0 {
		s, _ := f.Settings()
		return nil, FlagErrorf("profile %q has no clients: add them with 'vat clients add' or 'vat clients import'", s.Profile)
	}
	var out []config.Client
	if len(c.Names) == 0 {
		out = append(out, p.Clients...)
	}
	seen := map[int]bool{}
	for _, n := range c.Names {
		i := p.FindClient(strings.TrimSpace(n))
		if i < 0 {
			return nil, FlagErrorf("--clients: no client called %q (see 'vat clients list')", n)
		}
		if !seen[i] {
			seen[i] = true
			out = append(out, p.Clients[i])
		}
	}
	if c.Method != "" {
		// --method speaks for this whole run: it outranks each client's own method.
		for i := range out {
			out[i].Method = ""
		}
	}
	return out, nil
}

// SetRateLimit sets the requests a second of this run's HMRC clients; 0 leaves HMRC's default.
func (f *Factory) SetRateLimit(rps float64) { f.rateLimit = rps }

// Progress shows a batch's progress on stderr when it is a terminal, and nothing otherwise (under
// cron, or when stderr is piped to a log, a redrawn bar is only noise).
type Progress struct {
	p   *mpb.Progress
	bar *mpb.Bar
	mu  sync.Mutex
	cur string
}

// NewProgress starts a progress bar of total steps titled verb ("filing", "reading").
func (f *Factory) NewProgress(ctx context.Context, verb string, total int) *Progress {
	if !f.IOStreams.IsStderrTTY() {
		return &Progress{}
	}
	pr := &Progress{}
	// IOStreams has decided stderr is a terminal; ErrOut may be a wrapper mpb cannot see through.
	pr.p = mpb.NewWithContext(ctx, mpb.WithOutput(f.IOStreams.ErrOut), mpb.WithWidth(32), mpb.ForceTTY())
	pr.bar = pr.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(verb+" "), decor.CountersNoUnit("%d/%d ")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WC{W: 5}), decor.Any(func(decor.Statistics) string {
			pr.mu.Lock()
			defer pr.mu.Unlock()
			return " " + pr.cur
		})))
	return pr
}

// Done counts one client as finished.
func (p *Progress) Done(name string) {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	p.cur = name
	p.mu.Unlock()
	p.bar.Increment()
}

// Wait draws the bar a last time (left in place, as a record of how far the run got) before
// the summary is printed.
func (p *Progress) Wait() {
	if p.p == nil {
		return
	}
	if !p.bar.Completed() {
		p.bar.Abort(false)
	}
	p.p.Wait()
}
