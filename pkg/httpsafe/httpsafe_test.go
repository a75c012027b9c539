package httpsafe_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/httpsafe"
)

// TestNoCredentialLeavesThroughARedirect sends a bearer-token GET and a VAT-return POST to a
// server that redirects to another one: with the policy in place the other host sees nothing.
func TestNoCredentialLeavesThroughARedirect(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			var leaked atomic.Int32
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				leaked.Add(1)
				t.Errorf("%d %s: second host got %s %s (Authorization %q)", status, method, r.Method, r.URL, r.Header.Get("Authorization"))
			}))
			defer other.Close()
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/organisations/vat/123456782/returns", status)
			}))
			defer api.Close()

			hc := httpsafe.Client(&http.Client{Transport: &oauth2.Transport{
				Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "secret-access-token"}),
				Base:   http.DefaultTransport,
			}})
			req, _ := http.NewRequest(method, api.URL+"/organisations/vat/123456782/returns", strings.NewReader(`{"periodKey":"18A1"}`))
			resp, err := hc.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			var re *httpsafe.RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("%d %s: err = %v, want a *RedirectError", status, method, err)
			}
			if re.From != strings.TrimPrefix(api.URL, "http://") || re.To != strings.TrimPrefix(other.URL, "http://") || re.Status != status {
				t.Errorf("redirect error = %+v", re)
			}
			if !strings.Contains(err.Error(), re.From) || !strings.Contains(err.Error(), re.To) {
				t.Errorf("message %q does not name both hosts", err)
			}
			if leaked.Load() != 0 {
				t.Errorf("%d %s: %d requests reached the second host", status, method, leaked.Load())
			}
		}
	}
}

func TestClientCopies(t *testing.T) {
	t.Parallel()
	orig := &http.Client{}
	c := httpsafe.Client(orig)
	if orig.CheckRedirect != nil || c.CheckRedirect == nil {
		t.Error("Client must set CheckRedirect on a copy, leaving the original alone")
	}
	if httpsafe.Client(nil).CheckRedirect == nil {
		t.Error("Client(nil) follows redirects")
	}
}
