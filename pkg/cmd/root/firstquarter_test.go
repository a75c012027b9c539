package root

import (
	"context"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/auth"
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

// A host that cannot be reached is one sentence naming it and what to check, never Go's raw
// 'Get "…": dial tcp …', whether the API call or the token refresh inside it failed.
func TestNetworkErrorsNameTheHost(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	tls := httptest.NewUnstartedServer(w.srv)
	tls.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	tls.StartTLS()
	t.Cleanup(tls.Close)

	raw := func(t *testing.T, errOut string) {
		t.Helper()
		for _, s := range []string{"dial tcp", `Get "`, `Post "`, "x509:"} {
			if strings.Contains(errOut, s) {
				t.Errorf("stderr shows Go's raw error (%s):\n%s", s, errOut)
			}
		}
	}
	t.Run("refused", func(t *testing.T) {
		w.env["VAT_API_URL"] = "http://" + closed
		code, _, errOut := w.run("obligations")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot connect to "+closed+": the connection was refused") ||
			!strings.Contains(errOut, "is 'vat sandbox serve' running at "+closed+"?") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		raw(t, errOut)

		// An expired access token: the refresh fails first, inside the API call.
		st := &auth.FileStore{Dir: filepath.Join(w.env["VAT_CONFIG_DIR"], "tokens")}
		tok, err := st.Load(context.Background(), "default")
		if err != nil {
			t.Fatal(err)
		}
		tok.Expiry = time.Now().Add(-time.Hour)
		if err := st.Save(context.Background(), "default", tok); err != nil {
			t.Fatal(err)
		}
		code, _, errOut = w.run("obligations", "-o", "json")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot connect to "+closed+": the connection was refused") {
			t.Errorf("refresh: exit %d, stderr:\n%s", code, errOut)
		}
		raw(t, errOut)
	})
	t.Run("tls", func(t *testing.T) {
		host := strings.TrimPrefix(tls.URL, "https://")
		code, _, errOut := w.runEnv(map[string]string{"VAT_API_URL": tls.URL}, "obligations")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "no secure connection to "+host+": its certificate is signed by an authority this computer does not trust") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		raw(t, errOut)
	})
	t.Run("dns", func(t *testing.T) {
		code, _, errOut := w.runEnv(map[string]string{"VAT_API_URL": "http://vat-no-such-host.invalid"}, "obligations")
		if code != cmdutil.ExitUnavailable || !strings.Contains(errOut, "cannot find vat-no-such-host.invalid") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		raw(t, errOut)
	})
}
