// Package ui keeps every visual decision in one place: the palette, tables, and the JSON and CSV
// writers. Commands describe data; ui decides how it looks on a terminal, in a pipe or for a script.
package ui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is the palette. Colours are adaptive so they read on light and dark terminals.
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
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := &Styles{r: r, colored: color}
	s.Title = r.NewStyle().Bold(true)
	s.Label = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#555555", Dark: "#AAAAAA"})
	s.Good = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#007A33", Dark: "#3FD37F"})
	s.Warn = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"})
	s.Bad = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}).Bold(true)
	s.Muted = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#777777", Dark: "#888888"})
	s.Strong = r.NewStyle().Bold(true)
	s.Border = r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#999999", Dark: "#666666"})
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1).
		BorderForeground(lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"})
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
