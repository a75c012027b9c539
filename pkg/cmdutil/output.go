package cmdutil

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// status writes a progress line to stderr, where it never mixes with data. With -o json stderr
// is reserved for the error document, so scripts can parse it; progress is dropped.
func (f *Factory) Status(format string, args ...any) {
	if f.JSONOutput() {
		return
	}
	fmt.Fprintln(f.IOStreams.ErrOut, ui.WrapProse(f.WithProfile(fmt.Sprintf(format, args...)), f.ErrWidth()))
}

// ErrWidth is the width messages on stderr wrap to: the terminal's when stderr is one, or 0
// (one line per message, for grep and logs) when it is not.
func (f *Factory) ErrWidth() int {
	if !f.IOStreams.IsStderrTTY() {
		return 0
	}
	return f.IOStreams.TerminalWidth()
}

// ParseDateFlag reads a date flag as YYYY-MM-DD or as a UK date, DD/MM/YYYY (the way UK
// accountants write it), naming the flag when it is neither.
func ParseDateFlag(name, v string) (hmrc.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return hmrc.Date{}, nil
	}
	if d, err := hmrc.ParseDate(v); err == nil {
		return d, nil
	}
	if t, err := time.Parse("2/1/2006", v); err == nil {
		return hmrc.DateOf(t), nil
	}
	return hmrc.Date{}, FlagErrorf("--%s %q: want a date as YYYY-MM-DD or DD/MM/YYYY", name, v)
}

// PeriodKey normalises a period key a person typed: HMRC's keys are upper case ("26A3"), and
// "26a3" is the same key.
func PeriodKey(k string) string { return strings.ToUpper(strings.TrimSpace(k)) }

// today is the calendar date in the user's own zone: a UK business's "today" is not UTC's at
// 00:30 BST.
func (f *Factory) Today() hmrc.Date { return hmrc.DateOf(f.Now()) }

// humanDate formats a date for people, e.g. "7 Aug 2026".
func HumanDate(d hmrc.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 Jan 2006")
}

func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// PeriodLabel names a period as people do: "Jul–Sep 2026".
func PeriodLabel(o hmrc.Obligation) string {
	s, e := o.Start.Time(), o.End.Time()
	if s.Year() == e.Year() {
		if s.Month() == e.Month() {
			return s.Format("Jan 2006")
		}
		return fmt.Sprintf("%s–%s", s.Format("Jan"), e.Format("Jan 2006"))
	}
	return fmt.Sprintf("%s–%s", s.Format("Jan 2006"), e.Format("Jan 2006"))
}

// RequireVRN returns the profile's VRN or a usage error saying how to give one.
func (f *Factory) RequireVRN() (string, error) {
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	if s.VRN == "" {
		return "", FlagErrorf("no VAT registration number: pass --vrn, set VAT_VRN, or log in with 'vat login --vrn VRN', which remembers it in the profile")
	}
	return s.VRN, nil
}

// ShowWarnings lists the workbook reader's warnings on stderr.
func (f *Factory) ShowWarnings(ws []string) {
	if f.JSONOutput() {
		return
	}
	st := f.ErrStyles()
	icon := st.Warn.Render(st.WarningIcon())
	// The lines after a warning's first hang under its text, clear of the icon.
	hang := ansi.StringWidth(icon) + 1
	for _, w := range ws {
		fmt.Fprintf(f.IOStreams.ErrOut, "%s %s\n", icon, ui.Hang(w, f.ErrWidth(), hang))
	}
}
