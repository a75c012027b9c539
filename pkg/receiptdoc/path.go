package receiptdoc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/receipts"
)

// ExpandPath turns a profile's receipt pattern into the file for one submission, so that
// `vat submit` can file every receipt in a folder of the user's choosing:
//
//	~/Accounts/VAT/{vrn}/{period-end:2006-01}-{period-key}.pdf
//
// Placeholders are {vrn}, {period-key}, {id} (the journal entry), and {period-start},
// {period-end} and {due}, which take an optional Go time layout after a colon (default
// 2006-01-02). A leading ~/ is the user's home directory. An unknown placeholder, or a value
// the entry does not have, is an error rather than an empty piece of a file name.
func ExpandPath(pattern string, in receipts.Intent) (string, error) {
	var b strings.Builder
	rest := pattern
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("receipt path %q: unclosed {", pattern)
		}
		b.WriteString(rest[:open])
		key, layout, hasLayout := strings.Cut(rest[open+1:open+end], ":")
		var val string
		switch key {
		case "vrn":
			val = in.VRN
		case "period-key":
			val = in.PeriodKey
		case "id":
			val = in.ID
		case "period-start", "period-end", "due":
			day := map[string]string{"period-start": in.PeriodStart, "period-end": in.PeriodEnd, "due": in.PeriodDue}[key]
			t, err := time.Parse(time.DateOnly, day)
			if err != nil {
				return "", fmt.Errorf("receipt path %q: the submission has no %s", pattern, key)
			}
			if !hasLayout {
				layout = time.DateOnly
			}
			val = t.Format(layout)
		default:
			return "", fmt.Errorf("receipt path %q: unknown placeholder {%s}; use {vrn}, {period-key}, {period-start}, {period-end}, {due} or {id}", pattern, key)
		}
		if hasLayout && key != "period-start" && key != "period-end" && key != "due" {
			return "", fmt.Errorf("receipt path %q: {%s} takes no format", pattern, key)
		}
		if val == "" || strings.ContainsAny(val, `/\`) || val == "." || val == ".." {
			return "", fmt.Errorf("receipt path %q: {%s} is %q, which cannot be part of a file name", pattern, key, val)
		}
		b.WriteString(val)
		rest = rest[open+end+1:]
	}
	p := b.String()
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("receipt path %q: %w", pattern, err)
		}
		p = filepath.Join(home, strings.TrimPrefix(p, "~"))
	}
	return filepath.Clean(p), nil
}
