// Package ui keeps every visual decision in one place: the palette, tables, and the JSON and CSV
// writers. Commands describe data; ui decides how it looks on a terminal, in a pipe or for a script.
package ui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is the palette. It uses the terminal's own 16 colours (and faint text), which every
// terminal theme makes readable on its background, rather than colours adapted to a detected
// background: detecting it means asking the terminal (OSC 11), which waits five seconds where
// the terminal does not answer and swallows what the user typed ahead.
type Styles struct {
	r       *lipgloss.Renderer
	Title   lipgloss.Style
	Label   lipgloss.Style
	Good    lipgloss.Style
	Warn    lipgloss.Style
	Bad     lipgloss.Style
	Muted   lipgloss.Style
	Strong  lipgloss.Style
	Box     lipgloss.Style // framed panels such as the legal declaration
	Border  lipgloss.Style
	colored bool
}

// NewStyles builds the palette for a writer. With color false every style renders plain text, so
// tests, pipes and NO_COLOR users get no escape sequences at all.
func NewStyles(w io.Writer, color bool) *Styles {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	// Nothing below may depend on the background, but lipgloss would ask the terminal the
	// moment anything did: say it instead.
	r.SetHasDarkBackground(true)
	s := &Styles{r: r, colored: color}
	s.Title = r.NewStyle().Bold(true)
	s.Label = r.NewStyle().Faint(true)
	s.Good = r.NewStyle().Foreground(lipgloss.Color("2"))
	s.Warn = r.NewStyle().Foreground(lipgloss.Color("3"))
	s.Bad = r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	s.Muted = r.NewStyle().Faint(true)
	s.Strong = r.NewStyle().Bold(true)
	s.Border = r.NewStyle().Faint(true)
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1).BorderForeground(lipgloss.Color("3"))
	return s
}

// Colored reports whether the palette emits colour.
func (s *Styles) Colored() bool { return s.colored }

// Symbols used in status lines; plain ASCII when colour is off keeps logs greppable.
func (s *Styles) SuccessIcon() string { return s.iconOr("✓", "ok:") }

// WarningIcon precedes warnings.
func (s *Styles) WarningIcon() string { return s.iconOr("!", "warning:") }

// FailureIcon precedes failures.
func (s *Styles) FailureIcon() string { return s.iconOr("✗", "error:") }

func (s *Styles) iconOr(icon, plain string) string {
	if s.colored {
		return icon
	}
	return plain
}
