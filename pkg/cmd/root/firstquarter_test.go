package root

import (
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// VAT_HTTP_TIMEOUT is the one timeout on a call to HMRC: a reply slower than it is cut and the
// error names it, and a reply within it is waited for.
func TestHTTPTimeoutIsTheOneTimeout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	w.env["VAT_HTTP_TIMEOUT"] = "100ms"
	w.srv.InjectFault(sandbox.Fault{Endpoint: "obligations", Kind: sandbox.FaultSlow, Delay: 600 * time.Millisecond, Times: 4})
	code, _, errOut := w.run("obligations")
	if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "no reply from ") || !strings.Contains(errOut, "within 100ms") ||
		!strings.Contains(errOut, "VAT_HTTP_TIMEOUT") {
		t.Errorf("slower than VAT_HTTP_TIMEOUT: exit %d, stderr:\n%s", code, errOut)
	}

	w.env["VAT_HTTP_TIMEOUT"] = "5s"
	w.srv.InjectFault(sandbox.Fault{Endpoint: "obligations", Kind: sandbox.FaultSlow, Delay: 200 * time.Millisecond})
	if code, _, errOut := w.run("obligations"); code != cmdutil.ExitOK {
		t.Errorf("within VAT_HTTP_TIMEOUT: exit %d, stderr:\n%s", code, errOut)
	}
}
