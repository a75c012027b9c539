// Package cli is the vat command: one file per command, a Factory for dependencies, and Main,
// the only place where errors become exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// Main runs vat with args (without the program name) and returns the exit code. cmd/vat calls it
// with the real process streams; tests call it in-process.
func Main(args []string, ios *iostreams.IOStreams) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, NewFactory(ios))
}

// Run executes one command line with a prepared Factory.
func Run(ctx context.Context, args []string, f *Factory) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	f.args = args
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if cmd == nil {
		cmd = root
	}
	// cobra reports an unknown subcommand as a plain error; it is a usage mistake all the same.
	if strings.HasPrefix(err.Error(), "unknown command ") {
		err = &FlagError{Err: err}
	}
	if ctx.Err() != nil && !errors.As(err, new(*Error)) {
		err = context.Canceled
	}
	code := ExitCode(err)
	var se *SilentError
	if !errors.As(err, &se) {
		printError(f, err, cmd.CommandPath())
	}
	return code
}

// printError shows an error on stderr: a human sentence with a hint, or the JSON document CLI.md
// fixes when the user asked for -o json. Never a stack trace.
func printError(f *Factory, err error, cmdPath string) {
	e := classify(err)
	code := e.Code
	if code == "" {
		code = kindInfo[e.Kind].code
	}
	if f.jsonOutputRequested() {
		details := e.Details
		if details == nil {
			details = []string{}
		}
		doc := map[string]any{"error": map[string]any{"code": code, "message": e.Err.Error(), "details": details}}
		if e.Hint != "" {
			doc["error"].(map[string]any)["hint"] = e.Hint
		}
		_ = ui.WriteJSON(f.IOStreams.ErrOut, doc)
		return
	}
	s := ui.NewStyles(f.IOStreams.ErrOut, f.IOStreams.ErrColorEnabled())
	w := f.IOStreams.ErrOut
	fmt.Fprintf(w, "%s %s\n", s.Bad.Render(s.FailureIcon()), e.Err.Error())
	for _, d := range e.Details {
		fmt.Fprintf(w, "  - %s\n", d)
	}
	if e.Hint != "" {
		fmt.Fprintf(w, "%s\n", s.Muted.Render(e.Hint))
	}
	var fe *FlagError
	if errors.As(err, &fe) && !strings.Contains(e.Hint, "--help") {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmdPath)
	}
}
