package ui

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// WrapProse breaks each line of s between words so that it fits in width columns, continuing a
// line under its own indentation. A URL is never broken: cut in two, a terminal no longer opens
// it and a copy of it leads nowhere. A URL wider than width goes whole on a line of its own, the
// only line allowed to be wider. Any other word wider than the line is cut. Width zero or less
// leaves s as it is (piped output keeps a sentence on one line, for grep). A line never breaks
// at a no-break space (U+00A0), which is written as a plain space, so that a command such as
// "-o csv" stays whole and copies as typed.
func WrapProse(s string, width int) string {
	if width > 0 {
		// A quoted command ('vat receipts list') is copied as one: it never breaks.
		s = quotedCommand.ReplaceAllStringFunc(s, func(m string) string {
			if len(m) > width/2 {
				return m // longer than half a line, it would leave a ragged gap: let it wrap
			}
			return KeepWhole(m)
		})
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = wrapLine(l, width)
		}
		s = strings.Join(lines, "\n")
	}
	return strings.ReplaceAll(s, NoBreak, " ")
}

// quotedCommand is a vat command quoted in a message.
var quotedCommand = regexp.MustCompile(`'vat [^'\n]*'`)

// NoBreak joins two words that WrapProse keeps on one line.
const NoBreak = "\u00a0"

// KeepWhole joins the words of s with NoBreak.
func KeepWhole(s string) string { return strings.ReplaceAll(s, " ", NoBreak) }

func wrapLine(line string, width int) string {
	if ansi.StringWidth(line) <= width {
		return line
	}
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	if len(indent) > width/2 {
		indent = ""
	}
	room := width - len(indent)
	var out []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		if curW > 0 {
			out = append(out, indent+cur.String())
		}
		cur.Reset()
		curW = 0
	}
	// Runs of spaces inside a line (before a "#" comment, say) are kept where the line does not
	// break.
	for _, tok := range splitKeepingGaps(body) {
		word, gap := tok[0], tok[1]
		ww := ansi.StringWidth(word)
		switch {
		case curW > 0 && curW+len(gap)+ww <= room:
			cur.WriteString(gap + word)
			curW += len(gap) + ww
		case ww <= room:
			flush()
			cur.WriteString(word)
			curW = ww
		case IsURL(word) || isPath(word):
			// Cut, it could no longer be copied: whole on a line of its own.
			flush()
			out = append(out, indent+word)
		default:
			flush()
			parts := strings.Split(ansi.Hardwrap(word, room, false), "\n")
			for _, p := range parts[:len(parts)-1] {
				out = append(out, indent+p)
			}
			cur.WriteString(parts[len(parts)-1])
			curW = ansi.StringWidth(parts[len(parts)-1])
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// splitKeepingGaps splits s at runs of spaces into (word, the spaces before it) pairs.
func splitKeepingGaps(s string) [][2]string {
	var toks [][2]string
	gap := ""
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			toks = append(toks, [2]string{s, gap})
			break
		}
		if i > 0 {
			toks = append(toks, [2]string{s[:i], gap})
			gap = ""
		}
		gap += " "
		s = s[i+1:]
	}
	return toks
}

// IsURL reports whether word is a web address, perhaps in brackets or followed by punctuation,
// and perhaps coloured.
func IsURL(word string) bool {
	w := strings.TrimLeft(ansi.Strip(word), "(<\"'")
	return strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://")
}

// isPath reports whether word looks like a file path, which a cut would make useless to copy.
func isPath(word string) bool {
	w := ansi.Strip(word)
	return strings.ContainsAny(w, `/\`) && !strings.ContainsAny(w, "()")
}

// IsURLLine reports whether line holds nothing but one URL: the one line that may be wider than
// the terminal, because cutting it would break it.
func IsURLLine(line string) bool {
	f := strings.Fields(ansi.Strip(line))
	return len(f) == 1 && IsURL(f[0])
}

// Prosef writes a paragraph and a newline, wrapped to width by WrapProse; width zero (piped)
// writes it as it is.
func Prosef(w io.Writer, width int, format string, args ...any) {
	fmt.Fprintln(w, WrapProse(fmt.Sprintf(format, args...), width))
}

// Hang wraps s to width by WrapProse, the lines after the first indented by indent (the first
// line's indent is the caller's: an icon, a bullet); width zero leaves s on one line.
func Hang(s string, width, indent int) string {
	if width <= 0 {
		return s
	}
	return Indent(WrapProse(s, width-indent), indent)
}

// RenderLines styles each line of s apart: a style applied to a block pads every line to the
// widest with spaces.
func RenderLines(style lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}
