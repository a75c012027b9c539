package receiptdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/receipts"
)

func TestExpandPath(t *testing.T) {
	t.Parallel()
	in := receipts.Intent{ID: "e1", VRN: "123456782", PeriodKey: "26A1", PeriodStart: "2026-01-01", PeriodEnd: "2026-03-31", PeriodDue: "2026-05-07"}
	home, _ := os.UserHomeDir()
	for pattern, want := range map[string]string{
		"~/VAT/{vrn}/{period-end:2006-01}-{period-key}.pdf":         filepath.Join(home, "VAT/123456782/2026-03-26A1.pdf"),
		"/r/{period-start}_{period-end}_{due:02.01.2006}_{id}.html": "/r/2026-01-01_2026-03-31_07.05.2026_e1.html",
		"plain.pdf": "plain.pdf",
	} {
		got, err := ExpandPath(pattern, in)
		if err != nil || got != want {
			t.Errorf("ExpandPath(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	noEnd := in
	noEnd.PeriodEnd = ""
	slash := in
	slash.PeriodKey = "../x"
	for _, tt := range []struct {
		pattern string
		in      receipts.Intent
		words   string
	}{
		{"{nope}.pdf", in, "unknown placeholder {nope}"},
		{"{vrn.pdf", in, "unclosed"},
		{"{vrn:2006}.pdf", in, "takes no format"},
		{"{period-end}.pdf", noEnd, "has no period-end"},
		{"{period-key}.pdf", slash, "cannot be part of a file name"},
	} {
		if _, err := ExpandPath(tt.pattern, tt.in); err == nil || !strings.Contains(err.Error(), tt.words) {
			t.Errorf("ExpandPath(%q) = %v, want %q", tt.pattern, err, tt.words)
		}
	}
}
