// Package serve is `vat sandbox serve`: the HMRC emulator on a local address.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// ServeOptions are the inputs of `vat sandbox serve`.
type ServeOptions struct {
	IO  *iostreams.IOStreams
	Now func() time.Time

	Addr      string
	StateDir  string
	RateLimit float64
	Canned    bool
	Faults    []string
	Clients   []string
	Quiet     bool

	Output     func(doc any) error
	JSONOutput func() bool
}

// Doc is the line `vat sandbox serve` starts with, and with -o json its one document: a
// script reads the address (port 0 picks one) before pointing vat at it.
type Doc struct {
	URL      string `json:"url" jsonschema:"format=uri"`
	StateDir string `json:"stateDir,omitempty"`
	Canned   bool   `json:"canned"`
}

// Text is the line a person (and the README's quick start) waits for.
func (d Doc) Text(w io.Writer, _ cmdutil.Term) error {
	_, err := fmt.Fprintf(w, "listening on %s\n", d.URL)
	return err
}

// NewCmdServe builds `vat sandbox serve`; runF, when not nil, replaces the run (for tests).
func NewCmdServe(f *cmdutil.Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams, Now: func() time.Time { return f.Now() }, Output: f.Output, JSONOutput: f.JSONOutput}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HMRC emulator on a local address",
		Long: `Run the HMRC emulator. The first line on stdout is "listening on http://HOST:PORT" (with -o json, a
document whose "url" is that address, and no request log on stderr);
point vat at it with --env local --api-url http://HOST:PORT.

Applications: a built-in one (client ID ` + sandbox.LocalClientID + `, secret ` + sandbox.LocalClientSecret + `)
accepts any http://localhost:PORT redirect; register more with --client ID:SECRET:REDIRECT_URI.

Faults (off by default) make the next matching requests fail, e.g.
  --fault submit=503          one 503 before the submit is processed
  --fault submit=drop-after   store the return, then drop the connection without a reply
  --fault "*=slow:2s"         answer every request after two seconds
  --fault submit=downstream-503  HMRC's 503 after routing and validation, as its back end fails
  --fault penalties=hip-403   HMRC's HIP back end refusing (penalties, financial-details)
  --fault penalties=hip-error HMRC's HIP back end failing with its own code
  --fault "*=auth-error"      403 INTERNAL_SERVER_ERROR, as when HMRC's auth service fails
Other kinds: 500, 429 (throttled), timeout-after:DURATION; a count (submit=503:2) repeats one.`,
		Example: `  vat sandbox serve --addr 127.0.0.1:8080 --state ~/.vat-emulator`,
		Args:    cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on (HOST:PORT; port 0 picks a free one)")
	fl.StringVar(&opts.StateDir, "state", "", "directory that keeps users, tokens and returns across restarts (default: memory only)")
	fl.Float64Var(&opts.RateLimit, "rate-limit", 3, "requests per second per application before 429 MESSAGE_THROTTLED_OUT (0 = off)")
	fl.BoolVar(&opts.Canned, "canned", false, "answer with the historic 2017 canned sandbox bodies")
	fl.StringArrayVar(&opts.Faults, "fault", nil, "inject a fault: ENDPOINT=KIND[:N|:DURATION] (repeatable)")
	fl.StringArrayVar(&opts.Clients, "client", nil, "register an application: ID:SECRET:REDIRECT_URI[,REDIRECT_URI...] (repeatable)")
	fl.BoolVar(&opts.Quiet, "quiet", false, "do not log requests to stderr")
	return cmdutil.NoCSV(cmd)
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	so := sandbox.Options{StateDir: opts.StateDir, RateLimit: opts.RateLimit, Canned: opts.Canned, Now: opts.Now}
	if opts.RateLimit < 0 {
		return cmdutil.FlagErrorf("--rate-limit must be 0 (off) or more, got %v", opts.RateLimit)
	}
	for _, spec := range opts.Faults {
		ft, err := sandbox.ParseFault(spec)
		if err != nil {
			return cmdutil.FlagErrorf("--fault %q: %v", spec, err)
		}
		so.Faults = append(so.Faults, ft)
	}
	for _, spec := range opts.Clients {
		c, err := parseClientSpec(spec)
		if err != nil {
			return cmdutil.FlagErrorf("--client %q: %v", spec, err)
		}
		so.Clients = append(so.Clients, c)
	}
	// With -o json stderr carries only an error document, as for every command: no log.
	if !opts.Quiet && !opts.JSONOutput() {
		so.Logf = func(format string, args ...any) {
			fmt.Fprintf(opts.IO.ErrOut, time.Now().Format("15:04:05 ")+format+"\n", args...)
		}
	}
	srv, err := sandbox.New(so)
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return cmdutil.FlagErrorf("--addr %s: %v", opts.Addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	if err := opts.Output(Doc{URL: "http://" + ln.Addr().String(), StateDir: opts.StateDir, Canned: opts.Canned}); err != nil {
		ln.Close()
		return err
	}

	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		if err := srv.Close(); err != nil {
			return fmt.Errorf("saving emulator state: %w", err)
		}
		if !opts.JSONOutput() {
			fmt.Fprintln(opts.IO.ErrOut, "emulator stopped")
		}
		// Stopping a server with Ctrl-C is how it is meant to end, not a failure.
		return nil
	}
}

func parseClientSpec(spec string) (sandbox.Client, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return sandbox.Client{}, errors.New("want ID:SECRET:REDIRECT_URI[,REDIRECT_URI...]")
	}
	return sandbox.Client{ID: parts[0], Secret: parts[1], Name: parts[0], RedirectURIs: strings.Split(parts[2], ",")}, nil
}
