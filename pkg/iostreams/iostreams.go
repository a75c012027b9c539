// Package iostreams owns the process's standard streams and every decision that depends on them:
// whether stdout is a terminal, whether colour is on, whether we may prompt. Commands never look at
// os.Stdout themselves, so one test can cover both the terminal and the piped (cron) behaviour.
package iostreams

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// IOStreams bundles the streams with what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorDisabled                  bool
	termWidth                      int

	// ctx ends the prompts: Ctrl-C must stop a prompt at once, not after the next Enter.
	ctx context.Context
}

// SetContext ties every prompt to ctx (the run's, which Ctrl-C cancels): a prompt waiting for
// an answer returns ErrInterrupted as soon as ctx ends.
func (s *IOStreams) SetContext(ctx context.Context) { s.ctx = ctx }

func (s *IOStreams) context() context.Context {
	if s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

// System returns streams over the process's own stdin, stdout and stderr.
func System() *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	// NO_COLOR (https://no-color.org): present and non-empty disables colour; TERM=dumb has none.
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		s.colorDisabled = true
	}
	if s.stdoutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			s.termWidth = w
		}
	}
	return s
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns buffer-backed streams for tests: nothing is a terminal until the test says so.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorDisabled: true}, in, out, errOut
}

// SetStdinTTY, SetStdoutTTY and SetStderrTTY let tests play a terminal.
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorEnabled turns colour on or off (the --no-color flag ends here).
func (s *IOStreams) SetColorEnabled(v bool) { s.colorDisabled = !v }

// IsStdoutTTY reports whether stdout is a terminal; when it is not, output must parse cleanly.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether stdout output may carry ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.colorDisabled }

// ErrColorEnabled reports whether stderr output may carry ANSI colour.
func (s *IOStreams) ErrColorEnabled() bool { return s.stderrTTY && !s.colorDisabled }

// CanPrompt reports whether a person can answer a question: both stdin and stderr (where prompts
// go) must be terminals. Under cron this is false, and commands then require explicit flags.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }

// TerminalWidth is the width of the terminal, or 100 when stdout is not one.
func (s *IOStreams) TerminalWidth() int {
	if s.termWidth > 0 {
		return s.termWidth
	}
	return 100
}

// ErrNoAnswer means the input ended before a person answered a prompt.
var ErrNoAnswer = errors.New("no answer: input ended")

// ErrInterrupted means the prompt was abandoned (Ctrl-C). It matches context.Canceled, which
// exits 130.
var ErrInterrupted = fmt.Errorf("interrupted at the prompt: %w", context.Canceled)

// Confirm asks a yes/no question on stderr and reads the answer from stdin. Only "y" or "yes"
// counts as consent: a legal declaration must never be given by pressing Enter.
func (s *IOStreams) Confirm(question string) (bool, error) {
	fmt.Fprintf(s.ErrOut, "%s [y/N] ", question)
	line, err := s.readLine()
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// ReadLine prints a prompt on stderr and reads one line from stdin.
func (s *IOStreams) ReadLine(prompt string) (string, error) {
	fmt.Fprint(s.ErrOut, prompt)
	line, err := s.readLine()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// readLine reads one line from stdin, giving up when the context ends. The read itself cannot
// be cancelled; it is left behind, which is harmless because an interrupted run ends.
func (s *IOStreams) readLine() (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(s.In).ReadString('\n')
		ch <- result{line, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil && r.line == "" {
			return "", ErrNoAnswer
		}
		return r.line, nil
	case <-s.context().Done():
		fmt.Fprintln(s.ErrOut)
		return "", ErrInterrupted
	}
}

// ReadSecret asks for a secret (a workbook password, a client secret) without echoing it when
// stdin is a terminal.
func (s *IOStreams) ReadSecret(prompt string) (string, error) {
	f, ok := s.In.(*os.File)
	if !ok || !s.stdinTTY {
		return s.ReadLine(prompt)
	}
	fd := int(f.Fd())
	fmt.Fprint(s.ErrOut, prompt)
	// ReadPassword turns echo off until it returns; when we stop waiting for it, echo must come
	// back before the process exits.
	saved, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		fmt.Fprintln(s.ErrOut)
		if r.err != nil {
			return "", r.err
		}
		return string(r.b), nil
	case <-s.context().Done():
		_ = term.Restore(fd, saved)
		fmt.Fprintln(s.ErrOut)
		return "", ErrInterrupted
	}
}

// SetTerminalWidth lets tests play a terminal of a given width.
func (s *IOStreams) SetTerminalWidth(w int) { s.termWidth = w }
