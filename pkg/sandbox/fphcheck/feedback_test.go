package fphcheck

import (
	"net/http"
	"strings"
	"testing"
)

func TestFeedback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		edit   func(h http.Header)
		codes  map[string]string // header → expected per-header code; all others VALID_HEADER
		length int               // number of entries
	}{
		{
			name:   "all valid desktop",
			method: MethodDesktopAppDirect,
			edit:   func(http.Header) {},
			length: 14,
		},
		{
			name:   "mixed desktop",
			method: MethodDesktopAppDirect,
			edit: func(h http.Header) {
				h.Del(hLic)
				h.Del(hDev)
				h.Set(hMFA, "")
				h.Set(hProd, "Product Name")
				h.Set(hUA, "os-family=Linux&os-version=6.1&device-manufacturer=&device-model=")
				h.Set("Gov-Client-Public-Port", "12345")
			},
			codes: map[string]string{
				"gov-vendor-license-ids":  CodeMissingHeader,
				"gov-client-device-id":    CodeMissingHeader,
				"gov-client-multi-factor": CodePotentiallyInvalidHeader,
				"gov-vendor-product-name": CodeInvalidHeader,
				"gov-client-user-agent":   CodePotentiallyInvalidHeader,
				"gov-client-public-port":  CodeUnexpectedHeader,
			},
			length: 15,
		},
		{
			name:   "batch",
			method: MethodBatchProcessDirect,
			edit:   func(h http.Header) { h.Set(hWin, "width=10&height=10") },
			codes:  map[string]string{"gov-client-window-size": CodeUnexpectedHeader},
			length: 12,
		},
		{
			name:   "no method",
			method: MethodDesktopAppDirect,
			edit:   func(h http.Header) { h.Del(hCM) },
			codes:  map[string]string{"gov-client-connection-method": CodeMissingHeader},
			length: 1,
		},
		{
			name:   "unsupported method",
			method: MethodDesktopAppDirect,
			edit:   func(h http.Header) { h.Set(hCM, "MOBILE_APP_DIRECT") },
			codes:  map[string]string{"gov-client-connection-method": CodeInvalidHeader},
			length: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := specHeaders(tt.method)
			tt.edit(h)
			fb := Feedback(h, testNow)
			if len(fb) != tt.length {
				t.Fatalf("got %d entries, want %d: %s", len(fb), tt.length, mustJSON(t, fb))
			}
			if fb[0].Header != "gov-client-connection-method" {
				t.Errorf("first entry = %s, want the connection method", fb[0].Header)
			}
			for _, e := range fb {
				want := tt.codes[e.Header]
				if want == "" {
					want = CodeValidHeader
				}
				if e.Code != want {
					t.Errorf("%s: code %s, want %s (%s)", e.Header, e.Code, want, mustJSON(t, e))
				}
				if e.Header != strings.ToLower(e.Header) {
					t.Errorf("header %q not lower case", e.Header)
				}
				if want := h.Get(e.Header); e.Value != want {
					t.Errorf("%s: value %q, want %q", e.Header, e.Value, want)
				}
				for _, it := range append(e.Errors, e.Warnings...) {
					if len(it.Headers) != 1 || it.Headers[0] != e.Header {
						t.Errorf("%s: item headers %v", e.Header, it.Headers)
					}
				}
				if e.Code == CodeValidHeader && len(e.Errors)+len(e.Warnings) > 0 {
					t.Errorf("%s: VALID_HEADER with items", e.Header)
				}
			}
		})
	}
}

// TestFeedbackAgreesWithValidate checks, over every validate case, that the
// two views report the same findings.
func TestFeedbackAgreesWithValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range validateCases {
		h := tc.headers()
		res := Validate(h, testNow)
		var nErr, nWarn int
		for _, e := range Feedback(h, testNow) {
			nErr += len(e.Errors)
			nWarn += len(e.Warnings)
		}
		if want := countHeaders(res.Errors); nErr != want {
			t.Errorf("%s: feedback has %d errors, validate %d", tc.name, nErr, want)
		}
		if want := countHeaders(res.Warnings); nWarn != want {
			t.Errorf("%s: feedback has %d warnings, validate %d", tc.name, nWarn, want)
		}
	}
}

func countHeaders(items []Item) int {
	n := 0
	for _, it := range items {
		n += len(it.Headers)
	}
	return n
}

func TestFeedbackJSONShape(t *testing.T) {
	t.Parallel()
	h := specHeaders(MethodDesktopAppDirect)
	h.Set(hTZ, "GMT")
	fb := Feedback(h, testNow)
	var got string
	for _, e := range fb {
		if e.Header == "gov-client-timezone" {
			got = mustJSON(t, e)
		}
	}
	want := `{"header":"gov-client-timezone","value":"GMT","code":"INVALID_HEADER",` +
		`"errors":[{"code":"INVALID_HEADER","message":"Must be the local offset as UTC±hh:mm, for example UTC+00:00 or UTC-01:15","headers":["gov-client-timezone"]}]}`
	if got != want {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", got, want)
	}
}
