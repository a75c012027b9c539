package feedback

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/ui"
)

// HMRC's checks across headers are part of its feedback: the CSV and the terminal show them
// after the headers, rather than leaving them to -o json alone.
func TestCrossValidationIsShown(t *testing.T) {
	t.Parallel()
	const msg = "The local IP addresses were collected after the request was made"
	d := Doc{hmrc.FraudFeedback{Requests: []hmrc.FraudRequestFeedback{{
		Method: "GET", Path: "/organisations/vat/100002867/obligations", Code: "POTENTIALLY_INVALID_HEADERS",
		Headers: []hmrc.FraudHeaderFeedback{{Header: "gov-client-local-ips", Code: "VALID_HEADER"}},
		CrossValidation: []hmrc.FraudCrossValidation{{
			Headers: []string{"gov-client-local-ips", "gov-client-local-ips-timestamp"}, Code: "POTENTIALLY_INVALID_HEADER",
			Warnings: []hmrc.FraudItem{{Code: "POTENTIALLY_INVALID_HEADER", Message: msg}},
		}},
	}}}}
	csv := d.CSV()
	// The request's method and path are columns apart, as HMRC's feedback gives them.
	if got := strings.Join(csv.Headers, ","); got != "method,path,header,code,problems" {
		t.Errorf("CSV header row %q", got)
	}
	rows := csv.Rows
	want := []string{"GET", "/organisations/vat/100002867/obligations", "gov-client-local-ips gov-client-local-ips-timestamp",
		"POTENTIALLY_INVALID_HEADER", "warning: " + msg}
	if len(rows) != 2 || strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Fatalf("CSV rows = %q, want the header, then %q", rows, want)
	}
	var out bytes.Buffer
	if err := d.Text(&out, cmdutil.Term{Styles: ui.NewStyles(&out, false), TTY: true, Width: 80}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, w := range []string{"gov-client-local-ips-timestamp", "POTENTIALLY_INVALID_HEADER", "warning: The", "request was"} {
		if !strings.Contains(text, w) {
			t.Errorf("the terminal does not show %q:\n%s", w, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of %d at 80 columns:\n%s", n, line)
		}
	}
}
