// Package root is the vat command tree: NewCmdRoot assembles it, and Main and Run are the only
// place where errors become exit codes.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// Main runs vat with args (without the program name) and returns the exit code. cmd/vat calls it
// with the real process streams; tests call it in-process.
func Main(args []string, ios *iostreams.IOStreams) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, cmdutil.NewFactory(ios))
}

// Run executes one command line with a prepared Factory.
func Run(ctx context.Context, args []string, f *cmdutil.Factory) int {
	f.IOStreams.SetContext(ctx)
	root := NewCmdRoot(f)
	root.SetArgs(args)
	f.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if cmd == nil {
		cmd = root
	}
	// cobra reports an unknown subcommand as a plain error; it is a usage mistake all the same.
	if strings.HasPrefix(err.Error(), "unknown command ") {
		err = &cmdutil.FlagError{Err: err}
	}
	if ctx.Err() != nil {
		// Ctrl-C: whatever failed after it failed because of it. Only a more telling outcome
		// (unknown, rejected, login needed) keeps its own exit code.
		switch e := cmdutil.Classify(err); e.Kind {
		case cmdutil.KindFailure, cmdutil.KindUnavailable:
			err = &cmdutil.Error{Kind: cmdutil.KindInterrupted, Err: err, Hint: e.Hint}
		}
	}
	code := cmdutil.ExitCode(err)
	var se *cmdutil.SilentError
	if !errors.As(err, &se) {
		printError(f, err, cmd.CommandPath())
	}
	return code
}

// printError shows an error on stderr: a human sentence with a hint, or the JSON error document
// when the user asked for -o json. Never a stack trace.
func printError(f *cmdutil.Factory, err error, cmdPath string) {
	e := f.Explain(err)
	if f.JSONOutput() {
		_ = ui.WriteJSON(f.IOStreams.ErrOut, e.Doc())
		return
	}
	s := ui.NewStyles(f.IOStreams.ErrOut, f.IOStreams.ErrColorEnabled())
	w := f.IOStreams.ErrOut
	// At a terminal each part wraps to its width, continuation lines hanging under the text;
	// piped (a log), each stays on one line.
	width := f.ErrWidth()
	icon := s.Bad.Render(s.FailureIcon())
	fmt.Fprintf(w, "%s %s\n", icon, ui.Hang(e.Err.Error(), width, ansi.StringWidth(icon)+1))
	for _, d := range e.Lines() {
		fmt.Fprintf(w, "  - %s\n", ui.Hang(d, width, 4))
	}
	if e.Hint != "" {
		fmt.Fprintln(w, ui.RenderLines(s.Muted, ui.Hang(e.Hint, width, 0)))
	}
	var fe *cmdutil.FlagError
	if errors.As(err, &fe) && !strings.Contains(e.Hint, "--help") {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmdPath)
	}
}
