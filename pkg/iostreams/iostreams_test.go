package iostreams

import "testing"

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
	if _, err := s.Confirm("x"); err != ErrNoAnswer {
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
