package root

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/ui"
)

// Help is written for a terminal of about 100 columns. On a narrower one it is wrapped to the
// terminal, between words: cobra's own templates, with the texts passed through the functions
// below. Piped, nothing is wrapped, so that grep finds a flag and its description on one line.

// helpWidth is the width help wraps to: the terminal's, or 0 (no wrapping) when piped.
func helpWidth(f *cmdutil.Factory) int {
	if !f.IOStreams.IsStdoutTTY() {
		return 0
	}
	return f.IOStreams.TerminalWidth()
}

func init() {
	cobra.AddTemplateFunc("commandLine", commandLine)
	cobra.AddTemplateFunc("reflow", reflow)
	cobra.AddTemplateFunc("reflowExamples", reflowExamples)
	cobra.AddTemplateFunc("useLine", useLine)
}

// useLine is the usage line, its arguments wrapped under the first one after the command; an
// optional flag and its value ("[--map FILE]") stay together.
func useLine(line, path string, width int) string {
	if width <= 0 || !strings.HasPrefix(line, path+" ") {
		return "  " + line
	}
	var b strings.Builder
	depth := 0
	for _, r := range line {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case r == ' ' && depth > 0:
			r = '\x00'
		}
		b.WriteRune(r)
	}
	return "  " + strings.ReplaceAll(ui.WrapWords(b.String(), width, 2+len(path)+1), "\x00", " ")
}

// commandLine is one line of a command list: the name padded, then its summary wrapped under
// itself.
func commandLine(name string, padding int, short string, width int) string {
	if width > 0 {
		short = ui.WrapWords(short, width, 2+padding+1)
	}
	return fmt.Sprintf("  %-*s %s", padding, name, short)
}

// reflow fits a command's long description to width. A paragraph (lines that start at the
// margin) or a list item with its continuation lines that has a line too wide is joined and
// wrapped afresh, a list item under its text; another indented line too wide (a setting, a
// table row) is wrapped on its own, a trailing comment moved above it. What fits is left as
// its author broke it.
func reflow(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case line == "":
			out = append(out, line)
			i++
		case line[0] != ' ':
			j := i + 1
			for j < len(lines) && lines[j] != "" && lines[j][0] != ' ' {
				j++
			}
			out = append(out, rewrap(lines[i:j], width, 0, 0))
			i = j
		default:
			indent := leading(line)
			text := itemText(line)
			if text == indent {
				out = append(out, fitLine(line, width))
				i++
				continue
			}
			j := i + 1
			for j < len(lines) && lines[j] != "" && leading(lines[j]) == text && itemText(lines[j]) == text {
				j++
			}
			out = append(out, rewrap(lines[i:j], width, indent, text))
			i = j
		}
	}
	return strings.Join(out, "\n")
}

// rewrap keeps lines as they are when they all fit width; else it joins them and wraps them
// again, the first line at first columns in, the rest at rest.
func rewrap(lines []string, width, first, rest int) string {
	wide := false
	for _, l := range lines {
		wide = wide || ansi.StringWidth(l) > width
	}
	if !wide {
		return strings.Join(lines, "\n")
	}
	var words []string
	for _, l := range lines {
		words = append(words, strings.Fields(l)...)
	}
	// WrapWords indents the lines after the first; the first keeps the caller's indent, which
	// for a list item is the marker's.
	head := lines[0][:first]
	if rest > first {
		marker := strings.Fields(lines[0])[0]
		head += marker + " "
		words = words[1:]
	}
	return head + ui.WrapWords(strings.Join(words, " "), width, rest)
}

// leading is the number of spaces a line starts with.
func leading(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// itemText is the column where a line's text starts: after a list marker ("1.", "-", "*"),
// else where the line starts.
func itemText(line string) int {
	n := leading(line)
	f := strings.Fields(line)
	if len(f) > 1 && (f[0] == "-" || f[0] == "*" || strings.HasSuffix(f[0], ".") && isNumber(strings.TrimSuffix(f[0], "."))) {
		return n + len(f[0]) + 1
	}
	return n
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// fitLine fits one indented line to width: a trailing comment goes on a line of its own above
// it, so that a command or a setting is never broken; other text wraps under its first word.
func fitLine(line string, width int) string {
	if ansi.StringWidth(line) <= width {
		return line
	}
	indent := line[:leading(line)]
	if k := strings.Index(line, " # "); k > 0 {
		code := strings.TrimRight(line[:k], " ")
		comment := indent + strings.TrimSpace(line[k+1:])
		if ansi.StringWidth(comment) > width {
			comment = indent + ui.WrapWords(strings.TrimSpace(line[k+1:]), width, len(indent)+2)
		}
		return comment + "\n" + code
	}
	return indent + ui.WrapWords(strings.TrimLeft(line, " "), width, len(indent))
}

// reflowExamples fits examples to width without breaking a command line: a comment that
// makes its line too wide goes on a line of its own above the command.
func reflowExamples(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = fitLine(l, width)
	}
	return strings.Join(lines, "\n")
}

// helpTemplate is cobra's default help template with the description reflowed to width.
func helpTemplate(width int) string {
	return `{{with (or .Long .Short)}}{{reflow . ` + strconv.Itoa(width) + ` | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`
}

// usageTemplate is cobra's default usage template with the examples, the command summaries and
// the flag descriptions fitted to width (0: as written).
func usageTemplate(width int) string {
	w := strconv.Itoa(width)
	return `Usage:{{if .Runnable}}
{{useLine .UseLine .CommandPath ` + w + `}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{reflowExamples .Example ` + w + `}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}{{if eq (len .Groups) 0}}

Available Commands:{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
{{commandLine .Name .NamePadding .Short ` + w + `}}{{end}}{{end}}{{else}}{{range $group := .Groups}}

{{.Title}}{{range $cmds}}{{if (and (eq .GroupID $group.ID) (or .IsAvailableCommand (eq .Name "help")))}}
{{commandLine .Name .NamePadding .Short ` + w + `}}{{end}}{{end}}{{end}}{{if not .AllChildCommandsHaveGroup}}

Additional Commands:{{range $cmds}}{{if (and (eq .GroupID "") (or .IsAvailableCommand (eq .Name "help")))}}
{{commandLine .Name .NamePadding .Short ` + w + `}}{{end}}{{end}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsagesWrapped ` + w + ` | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsagesWrapped ` + w + ` | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

Additional help topics:{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
{{commandLine .CommandPath .CommandPathPadding .Short ` + w + `}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`
}
