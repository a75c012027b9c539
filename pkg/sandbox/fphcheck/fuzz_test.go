package fphcheck

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// fuzzHeaders are the names the fuzzer may overwrite, indexed by a fuzzed byte.
var fuzzHeaders = []string{
	hCM, hDev, hIPs, hTS, hMAC, hMFA, hScr, hTZ, hUA, hUID, hWin, hLic, hProd, hVer,
	"Gov-Client-Public-IP", "gov-client-x",
}

// FuzzValidate sets one header of a valid request to arbitrary bytes (or,
// for which >= 128, adds them under a second spelling of the name) and
// checks that grading never panics and that its output is self-consistent:
// the overall code matches the items, names are lower case, items are never
// empty, and Feedback reports the same findings.
func FuzzValidate(f *testing.F) {
	f.Add(uint8(0), "DESKTOP_APP_DIRECT", "DESKTOP_APP_DIRECT")
	f.Add(uint8(2), "DESKTOP_APP_DIRECT", "fc00%3A%3A,10.1.2.3")
	f.Add(uint8(5), "OTHER_DIRECT", "type=TOTP&timestamp=2021-11-21T13%3A23Z&unique-reference=a,")
	f.Add(uint8(6), "DESKTOP_APP_DIRECT", "width=1&height=1&scaling-factor=1.&colour-depth=1")
	f.Add(uint8(8), "BATCH_PROCESS_DIRECT", "os-family=%&os-version=%4")
	f.Add(uint8(13), "DESKTOP_APP_DIRECT", "a=b=c&&=")
	f.Fuzz(func(t *testing.T, which uint8, method, value string) {
		h := specHeaders(MethodDesktopAppDirect)
		h.Set(hCM, method)
		name := fuzzHeaders[int(which)%len(fuzzHeaders)]
		if which < 128 {
			h.Set(name, value)
		} else {
			// A raw, non-canonical key sits beside the valid value, so
			// the two are joined as repeated field lines.
			h[name] = []string{value}
		}

		res := Validate(h, testNow)
		wantCode := CodeValidHeaders
		switch {
		case len(res.Errors) > 0:
			wantCode = CodeInvalidHeaders
		case len(res.Warnings) > 0:
			wantCode = CodePotentiallyInvalidHeaders
		}
		if res.Code != wantCode {
			t.Fatalf("code %s with %d errors and %d warnings", res.Code, len(res.Errors), len(res.Warnings))
		}
		for _, it := range slices.Concat(res.Errors, res.Warnings) {
			if it.Code == "" || it.Message == "" || len(it.Headers) == 0 {
				t.Fatalf("incomplete item %+v", it)
			}
			for _, name := range it.Headers {
				if name != strings.ToLower(name) {
					t.Fatalf("header %q not lower case", name)
				}
			}
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("marshal: %v", err)
		}

		var nErr, nWarn int
		for _, e := range Feedback(h, testNow) {
			nErr += len(e.Errors)
			nWarn += len(e.Warnings)
			if len(e.Errors) > maxFindings || len(e.Warnings) > maxFindings {
				t.Fatalf("%s: unbounded findings", e.Header)
			}
		}
		if nErr != countHeaders(res.Errors) || nWarn != countHeaders(res.Warnings) {
			t.Fatalf("feedback %d/%d findings, validate %d/%d", nErr, nWarn, countHeaders(res.Errors), countHeaders(res.Warnings))
		}
	})
}

// TestValidateNeverPanicsOnOddHeaderMaps covers header maps that net/http
// never builds but a caller could: nil, empty value slices, and the same name
// in two spellings.
func TestValidateNeverPanicsOnOddHeaderMaps(t *testing.T) {
	t.Parallel()
	tests := []http.Header{
		nil,
		{},
		{"Gov-Client-Connection-Method": nil},
		{"Gov-Client-Connection-Method": {}},
		{"Gov-Client-Connection-Method": {"DESKTOP_APP_DIRECT"}, "gov-client-connection-method": {"DESKTOP_APP_DIRECT"}},
		{"Gov-Client-Connection-Method": {"DESKTOP_APP_DIRECT"}, "Gov-Client-Screens": {"", ""}},
	}
	for i, h := range tests {
		res := Validate(h, testNow)
		if res.Code != CodeInvalidHeaders {
			t.Errorf("case %d: code %s, want INVALID_HEADERS", i, res.Code)
		}
		_ = Feedback(h, testNow)
	}
}
