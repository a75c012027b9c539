package iostreams

import (
	"context"
	"errors"
	"os"
	"testing"
)

func TestConfirmNeedsAnExplicitYes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "\n": false, "n\n": false, "yep\n": false} {
		s, stdin, _, stderr := Test()
		stdin.WriteString(in)
		got, err := s.Confirm("Submit?")
		if err != nil || got != want {
			t.Errorf("Confirm(%q) = %v, %v; want %v", in, got, err, want)
		}
		if stderr.String() != "Submit? [y/N] " {
			t.Errorf("prompt went to %q", stderr.String())
		}
	}
	s, _, _, _ := Test()
	if _, err := s.Confirm("x"); !errors.Is(err, ErrNoAnswer) {
		t.Errorf("empty input: err = %v, want ErrNoAnswer", err)
	}
}

func TestColourFollowsTheTerminal(t *testing.T) {
	t.Parallel()
	s, _, _, _ := Test()
	s.SetColorEnabled(true)
	if s.ColorEnabled() {
		t.Error("colour on while stdout is not a terminal")
	}
	s.SetStdoutTTY(true)
	if !s.ColorEnabled() {
		t.Error("colour off on a terminal")
	}
	s.SetColorEnabled(false)
	if s.ColorEnabled() {
		t.Error("--no-color ignored")
	}
	if s.CanPrompt() {
		t.Error("can prompt without a terminal on stdin")
	}
}

// A prompt gives up as soon as its context ends (Ctrl-C), though nobody ever types a line.
func TestPromptsStopWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	for name, ask := range map[string]func(*IOStreams) error{
		"Confirm":    func(s *IOStreams) error { _, err := s.Confirm("Submit?"); return err },
		"ReadLine":   func(s *IOStreams) error { _, err := s.ReadLine("Code: "); return err },
		"ReadSecret": func(s *IOStreams) error { _, err := s.ReadSecret("Password: "); return err },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdin, typist, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer typist.Close()
			defer stdin.Close()
			s, _, _, _ := Test()
			s.In = stdin
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			s.SetContext(ctx)
			if err := ask(s); !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want ErrInterrupted", err)
			}
		})
	}
}
