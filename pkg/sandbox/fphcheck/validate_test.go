package fphcheck

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// testNow is the moment the graded requests arrive.
var testNow = time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)

// specHeaders returns a header set built from the specification's own
// examples (REFERENCE §8.2) for the given method, with a fresh timestamp.
func specHeaders(method string) http.Header {
	h := http.Header{}
	h.Set("Gov-Client-Connection-Method", method)
	h.Set("Gov-Client-Device-ID", "beec798b-b366-47fa-b1f8-92cede14a1ce")
	h.Set("Gov-Client-Local-IPs", "10.1.2.3,10.3.4.2")
	h.Set("Gov-Client-Local-IPs-Timestamp", "2026-11-24T13:59:58.123Z")
	h.Set("Gov-Client-MAC-Addresses", "ea%3A43%3A1a%3A5d%3A21%3A45,10%3A12%3Acc%3Afa%3Aaa%3A32")
	h.Set("Gov-Client-Multi-Factor", "type=AUTH_CODE&timestamp=2021-11-21T13%3A23Z&unique-reference=fc4b5fd6816f75a7c81fc8eaa9499d6a299bd803397166e8c4cf9280b801d62c,"+
		"type=TOTP&timestamp=2021-11-22T13%3A10Z&unique-reference=0283da60063abfb3a87f1aed845d17fe2d9ba8c780b478dc4ae048f5ee97a6d5")
	h.Set("Gov-Client-Screens", "width=1920&height=1080&scaling-factor=1&colour-depth=16,width=3000&height=2000&scaling-factor=1.25&colour-depth=16")
	h.Set("Gov-Client-Timezone", "UTC+00:00")
	h.Set("Gov-Client-User-Agent", "os-family=Windows&os-version=Server%202012&device-manufacturer=Dell%20Inc.&device-model=OptiPlex%20980")
	h.Set("Gov-Client-User-IDs", "os=domain%5Calice&my-application=alice123")
	h.Set("Gov-Client-Window-Size", "width=1256&height=803")
	h.Set("Gov-Vendor-License-IDs", "my-licensed-software=8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1")
	h.Set("Gov-Vendor-Product-Name", "Product%20Name")
	h.Set("Gov-Vendor-Version", "my-application=1.6.0")
	switch method {
	case MethodOtherDirect:
		h.Del("Gov-Client-Screens")
		h.Del("Gov-Client-Window-Size")
	case MethodBatchProcessDirect:
		h.Del("Gov-Client-Screens")
		h.Del("Gov-Client-Window-Size")
		h.Del("Gov-Client-Multi-Factor")
	}
	return h
}

// want is an item the result must contain: severity, code, header and a
// fragment of the message.
type want struct {
	warn   bool
	code   string
	header string
	msg    string
}

func errItem(code, header, msg string) want { return want{code: code, header: header, msg: msg} }
func warnItem(code, header, msg string) want {
	return want{warn: true, code: code, header: header, msg: msg}
}

type validateCase struct {
	name   string
	method string            // base header set; "" means DESKTOP_APP_DIRECT
	set    map[string]string // headers to set (overriding the base)
	add    map[string]string // headers to add as an extra field line
	del    []string          // headers to remove
	code   string            // overall result code
	want   []want            // every error and warning header must be listed here
}

func (tc validateCase) headers() http.Header {
	method := tc.method
	if method == "" {
		method = MethodDesktopAppDirect
	}
	h := specHeaders(method)
	for _, k := range tc.del {
		h.Del(k)
	}
	for k, v := range tc.set {
		h.Set(k, v)
	}
	for k, v := range tc.add {
		h.Add(k, v)
	}
	return h
}

const (
	hCM   = "Gov-Client-Connection-Method"
	hDev  = "Gov-Client-Device-ID"
	hIPs  = "Gov-Client-Local-IPs"
	hTS   = "Gov-Client-Local-IPs-Timestamp"
	hMAC  = "Gov-Client-MAC-Addresses"
	hMFA  = "Gov-Client-Multi-Factor"
	hScr  = "Gov-Client-Screens"
	hTZ   = "Gov-Client-Timezone"
	hUA   = "Gov-Client-User-Agent"
	hUID  = "Gov-Client-User-IDs"
	hWin  = "Gov-Client-Window-Size"
	hLic  = "Gov-Vendor-License-IDs"
	hProd = "Gov-Vendor-Product-Name"
	hVer  = "Gov-Vendor-Version"
)

var validateCases = []validateCase{
	// The specification's examples are valid for every direct method.
	{name: "desktop spec examples", code: CodeValidHeaders},
	{name: "other-direct spec examples", method: MethodOtherDirect, code: CodeValidHeaders},
	{name: "batch spec examples", method: MethodBatchProcessDirect, code: CodeValidHeaders},
	{name: "ipv6 local ips", set: map[string]string{hIPs: "fc00%3A%3A,10.1.2.3"}, code: CodeValidHeaders},
	{name: "ipv6 with zone", set: map[string]string{hIPs: "fe80%3A%3A1%25eth0,127.0.0.1"}, code: CodeValidHeaders},
	{name: "lower-case percent escapes", set: map[string]string{hMAC: "ea%3a43%3a1a%3a5d%3a21%3a45"}, code: CodeValidHeaders},
	{name: "upper-case uuid", set: map[string]string{hDev: "BEEC798B-B366-47FA-B1F8-92CEDE14A1CE"}, code: CodeValidHeaders},
	{name: "negative timezone", set: map[string]string{hTZ: "UTC-01:15"}, code: CodeValidHeaders},
	{name: "timezone plus fourteen", set: map[string]string{hTZ: "UTC+14:00"}, code: CodeValidHeaders},
	{name: "user ids os only", set: map[string]string{hUID: "os=user123"}, code: CodeValidHeaders},
	{name: "user agent keys in any order", set: map[string]string{hUA: "device-model=XPS13&os-version=10&device-manufacturer=Dell&os-family=Windows"}, code: CodeValidHeaders},
	{name: "mfa with seconds", set: map[string]string{hMFA: "type=OTHER&timestamp=2026-11-24T13%3A00%3A05Z&unique-reference=abc123def456"}, code: CodeValidHeaders},
	{name: "mfa with millis", set: map[string]string{hMFA: "type=TOTP&timestamp=2026-11-24T13%3A00%3A05.120Z&unique-reference=abc123def456"}, code: CodeValidHeaders},
	{name: "single screen", set: map[string]string{hScr: "width=375&height=812&scaling-factor=2&colour-depth=32"}, code: CodeValidHeaders},
	{name: "two vendor versions", set: map[string]string{hVer: "vat=1.2.3&libfoo=v0.9"}, code: CodeValidHeaders},
	{name: "base64 licence hash", set: map[string]string{hLic: "app=q83vEjRWeJq83vEjRWeJq8%3D%3D"}, code: CodeValidHeaders},
	{name: "timestamp four minutes old", set: map[string]string{hTS: "2026-11-24T13:56:00.000Z"}, code: CodeValidHeaders},
	{name: "timestamp slightly ahead", set: map[string]string{hTS: "2026-11-24T14:01:00.000Z"}, code: CodeValidHeaders},
	{name: "non-canonical header map keys", set: nil, code: CodeValidHeaders},

	// Connection method.
	{name: "missing connection method", del: []string{hCM}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeMissingHeader, "gov-client-connection-method", "Header required")}},
	{name: "lower-case connection method", set: map[string]string{hCM: "desktop_app_direct"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-connection-method", "case-sensitive")}},
	{name: "via-server method", set: map[string]string{hCM: "WEB_APP_VIA_SERVER"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-connection-method", "not supported")}},
	{name: "made-up method", set: map[string]string{hCM: "CLI"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-connection-method", "Invalid connection method")}},
	{name: "empty method", set: map[string]string{hCM: ""}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeEmptyHeader, "gov-client-connection-method", "Value required")}},
	{name: "method sent twice", add: map[string]string{hCM: "DESKTOP_APP_DIRECT"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-connection-method", "Invalid connection method")}},

	// Missing and empty headers.
	{name: "missing device id", del: []string{hDev}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeMissingHeader, "gov-client-device-id", "Header required")}},
	{name: "empty device id", set: map[string]string{hDev: ""}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeEmptyHeader, "gov-client-device-id", "Value required")}},
	{name: "missing vendor version and product name merge into one item", del: []string{hVer, hProd}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeMissingHeader, "gov-vendor-product-name", "Header required"), errItem(CodeMissingHeader, "gov-vendor-version", "Header required")}},
	{name: "empty multi-factor", set: map[string]string{hMFA: ""}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeEmptyHeader, "gov-client-multi-factor", "single factor authentication")}},
	{name: "missing multi-factor", del: []string{hMFA}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeMissingHeader, "gov-client-multi-factor", "Header required")}},
	{name: "empty licence ids", set: map[string]string{hLic: ""}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeEmptyHeader, "gov-vendor-license-ids", "Value required")}},
	{name: "missing licence ids", del: []string{hLic}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeMissingHeader, "gov-vendor-license-ids", "Header required")}},
	{name: "headless desktop: empty screens and window", set: map[string]string{hScr: "", hWin: ""}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeEmptyHeader, "gov-client-screens", "no screen"), warnItem(CodeEmptyHeader, "gov-client-window-size", "no window")}},
	{name: "whitespace-only value is empty", set: map[string]string{hTZ: "  "}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeEmptyHeader, "gov-client-timezone", "Value required")}},

	// Placeholders.
	{name: "null multi-factor", set: map[string]string{hMFA: "null"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "Placeholder")}},
	{name: "undefined licence", set: map[string]string{hLic: "undefined"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-license-ids", "Placeholder")}},
	{name: "slash screens", set: map[string]string{hScr: "/"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "Placeholder")}},
	{name: "zero window size", set: map[string]string{hWin: "width=0&height=0"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-window-size", "positive whole number")}},
	{name: "unknown device model", set: map[string]string{hUA: "os-family=Linux&os-version=6.1&device-manufacturer=QEMU&device-model=unknown"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "Placeholder")}},
	{name: "null os user", set: map[string]string{hUID: "os=null"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "Placeholder")}},
	{name: "undefined local ip item", set: map[string]string{hIPs: "10.0.0.1,undefined"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "List item 2")}},

	// Device ID.
	{name: "device id not uuid", set: map[string]string{hDev: "my-device"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-device-id", "UUID")}},
	{name: "device id braces", set: map[string]string{hDev: "{beec798b-b366-47fa-b1f8-92cede14a1ce}"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-device-id", "UUID")}},
	{name: "device id without hyphens", set: map[string]string{hDev: "beec798bb36647fab1f892cede14a1ce"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-device-id", "UUID")}},
	{name: "nil uuid", set: map[string]string{hDev: "00000000-0000-0000-0000-000000000000"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-device-id", "nil")}},

	// Local IPs.
	{name: "raw ipv6 colons", set: map[string]string{hIPs: "fc00::,10.1.2.3"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "%3A")}},
	{name: "trailing comma", set: map[string]string{hIPs: "10.1.2.3,"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "must not be empty")}},
	{name: "encoded commas", set: map[string]string{hIPs: "10.1.2.3%2C10.3.4.2"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "encoded comma")}},
	{name: "hostname instead of ip", set: map[string]string{hIPs: "my-laptop.local"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "Value is not an IP address")}},
	{name: "ipv4 with leading zeros", set: map[string]string{hIPs: "10.01.2.3"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "Value is not an IP address")}},
	{name: "space after comma", set: map[string]string{hIPs: "10.1.2.3, 10.3.4.2"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips", "%20")}},
	{name: "unspecified address", set: map[string]string{hIPs: "0.0.0.0,10.1.2.3"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-local-ips", "unspecified")}},
	{name: "list split over two field lines", del: []string{hIPs}, add: map[string]string{hIPs: "10.1.2.3"}, code: CodeValidHeaders},

	// Local IPs timestamp.
	{name: "timestamp without millis", set: map[string]string{hTS: "2026-11-24T13:59:58Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp with offset", set: map[string]string{hTS: "2026-11-24T13:59:58.123+00:00"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp with space", set: map[string]string{hTS: "2026-11-24 13:59:58.123Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp microseconds", set: map[string]string{hTS: "2026-11-24T13:59:58.123456Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp percent-encoded", set: map[string]string{hTS: "2026-11-24T13%3A59%3A58.123Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp impossible date", set: map[string]string{hTS: "2026-02-30T13:59:58.123Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp twelve-hour", set: map[string]string{hTS: "2026-11-24T01:59:58.123PM"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "yyyy-MM-ddThh:mm:ss.sssZ")}},
	{name: "timestamp two days old", set: map[string]string{hTS: "2026-11-22T13:59:58.123Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "24 hours")}},
	{name: "timestamp an hour ahead", set: map[string]string{hTS: "2026-11-24T15:00:00.000Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-local-ips-timestamp", "future")}},
	{name: "timestamp an hour old", set: map[string]string{hTS: "2026-11-24T13:00:00.000Z"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-local-ips-timestamp", "5 minutes")}},

	// MAC addresses.
	{name: "raw mac colons", set: map[string]string{hMAC: "ea:43:1a:5d:21:45"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-mac-addresses", "%3A")}},
	{name: "dashed mac", set: map[string]string{hMAC: "ea-43-1a-5d-21-45"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-mac-addresses", "six hexadecimal octets")}},
	{name: "five-octet mac", set: map[string]string{hMAC: "ea%3A43%3A1a%3A5d%3A21"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-mac-addresses", "six hexadecimal octets")}},
	{name: "loopback mac", set: map[string]string{hMAC: "00%3A00%3A00%3A00%3A00%3A00,ea%3A43%3A1a%3A5d%3A21%3A45"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-mac-addresses", "not a hardware address")}},
	{name: "empty mac item", set: map[string]string{hMAC: "ea%3A43%3A1a%3A5d%3A21%3A45,,10%3A12%3Acc%3Afa%3Aaa%3A32"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-mac-addresses", "item 2 is empty")}},

	// Multi-factor.
	{name: "mfa unknown type", set: map[string]string{hMFA: "type=SMS&timestamp=2021-11-21T13%3A23Z&unique-reference=abc123def456"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "TOTP, AUTH_CODE or OTHER")}},
	{name: "mfa raw colon in timestamp", set: map[string]string{hMFA: "type=TOTP&timestamp=2021-11-21T13:23Z&unique-reference=abc123def456"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "%3A")}},
	{name: "mfa timestamp hour only", set: map[string]string{hMFA: "type=TOTP&timestamp=2021-11-21T13Z&unique-reference=abc123def456"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "yyyy-MM-ddThh:mmZ")}},
	{name: "mfa timestamp in future", set: map[string]string{hMFA: "type=TOTP&timestamp=2026-11-25T13%3A23Z&unique-reference=abc123def456"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "future")}},
	{name: "mfa missing unique reference", set: map[string]string{hMFA: "type=TOTP&timestamp=2021-11-21T13%3A23Z"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "unique-reference is required")}},
	{name: "mfa second structure broken", set: map[string]string{hMFA: "type=TOTP&timestamp=2021-11-21T13%3A23Z&unique-reference=abc123def456,type=TOTP"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "Structure 2: timestamp is required")}},
	{name: "mfa phone number in clear", set: map[string]string{hMFA: "type=AUTH_CODE&timestamp=2021-11-21T13%3A23Z&unique-reference=%2B447700900123"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-multi-factor", "salted hash")}},
	{name: "mfa email in clear", set: map[string]string{hMFA: "type=AUTH_CODE&timestamp=2021-11-21T13%3A23Z&unique-reference=alice%40example.com"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-multi-factor", "salted hash")}},
	{name: "mfa structures joined by semicolon", set: map[string]string{hMFA: "type=TOTP&timestamp=2021-11-21T13%3A23Z&unique-reference=abc;type=OTHER&timestamp=2021-11-21T13%3A23Z&unique-reference=def"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-multi-factor", "'=' must be sent as %3D")}},

	// Screens.
	{name: "screen missing colour depth", set: map[string]string{hScr: "width=1920&height=1080&scaling-factor=1"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "colour-depth is required")}},
	{name: "screen fractional width", set: map[string]string{hScr: "width=1920.5&height=1080&scaling-factor=1&colour-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "width must be a positive whole number")}},
	{name: "screen negative height", set: map[string]string{hScr: "width=1920&height=-1080&scaling-factor=1&colour-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "height must be a positive whole number")}},
	{name: "screen zero scaling", set: map[string]string{hScr: "width=1920&height=1080&scaling-factor=0&colour-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "scaling-factor must be a positive number")}},
	{name: "screen comma decimal scaling", set: map[string]string{hScr: "width=1920&height=1080&scaling-factor=1%2C25&colour-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "scaling-factor must be a positive number")}},
	{name: "screen american colour", set: map[string]string{hScr: "width=1920&height=1080&scaling-factor=1&color-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "colour-depth is required"), warnItem(CodePotentiallyInvalidHeader, "gov-client-screens", "Unexpected key")}},
	{name: "screen width in terminal cells", set: map[string]string{hScr: "width=0&height=0&scaling-factor=1&colour-depth=24"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-screens", "width must be a positive whole number")}},

	// Timezone.
	{name: "timezone without colon", set: map[string]string{hTZ: "UTC+0100"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-timezone", "UTC±hh:mm")}},
	{name: "timezone name", set: map[string]string{hTZ: "Europe/London"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-timezone", "UTC±hh:mm")}},
	{name: "timezone gmt", set: map[string]string{hTZ: "GMT+01:00"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-timezone", "UTC±hh:mm")}},
	{name: "timezone encoded", set: map[string]string{hTZ: "UTC%2B01%3A00"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-timezone", "percent-encoded")}},
	{name: "timezone out of range", set: map[string]string{hTZ: "UTC+25:00"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-timezone", "UTC±hh:mm")}},

	// User agent.
	{name: "legacy user agent", set: map[string]string{hUA: "Windows/Server%202012 (Dell%20Inc./OptiPlex%20980)"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "key-value")}},
	{name: "legacy user agent without spaces", set: map[string]string{hUA: "Linux/6.1"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "key-value")}},
	{name: "user agent missing os family", set: map[string]string{hUA: "os-version=10&device-manufacturer=Dell&device-model=XPS13"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "os-family is required")}},
	{name: "user agent empty os version", set: map[string]string{hUA: "os-family=Linux&os-version=&device-manufacturer=Dell&device-model=XPS13"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "os-version must not be empty")}},
	{name: "user agent vm without dmi", set: map[string]string{hUA: "os-family=Linux&os-version=6.1&device-manufacturer=&device-model="}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-user-agent", "At least 1 value for device manufacturer is missing"), warnItem(CodePotentiallyInvalidHeader, "gov-client-user-agent", "device model is missing")}},
	{name: "user agent without device keys", set: map[string]string{hUA: "os-family=Linux&os-version=6.1"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-user-agent", "device model is missing")}},
	{name: "user agent plus for space", set: map[string]string{hUA: "os-family=Windows&os-version=Server+2012&device-manufacturer=Dell&device-model=XPS13"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "'+' is ambiguous")}},
	{name: "user agent raw comma", set: map[string]string{hUA: "os-family=macOS&os-version=14.1&device-manufacturer=Apple&device-model=MacBookPro15,2"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "%2C")}},
	{name: "user agent non-ascii", set: map[string]string{hUA: "os-family=Linux&os-version=6.1&device-manufacturer=Bj\xc3\xb6rk&device-model=X"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "US-ASCII")}},
	{name: "user agent parentheses", set: map[string]string{hUA: "os-family=Linux&os-version=6.1&device-manufacturer=Dell&device-model=XPS(13)"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-user-agent", "%28")}},
	{name: "user agent bad escape", set: map[string]string{hUA: "os-family=Linux&os-version=6.1%2&device-manufacturer=Dell&device-model=X"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "two hexadecimal digits")}},
	{name: "user agent duplicate key", set: map[string]string{hUA: "os-family=Linux&os-family=Linux&os-version=6.1&device-manufacturer=Dell&device-model=X"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "Keys must not repeat")}},
	{name: "user agent trailing ampersand", set: map[string]string{hUA: "os-family=Linux&os-version=6.1&device-manufacturer=Dell&device-model=X&"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-agent", "stray '&'")}},

	// User IDs.
	{name: "user ids without os", set: map[string]string{hUID: "my-application=alice123"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "os is required")}},
	{name: "user ids empty os", set: map[string]string{hUID: "os="}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "os must not be empty")}},
	{name: "user ids raw backslash", set: map[string]string{hUID: "os=domain\\alice"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "%5C")}},
	{name: "user ids raw at sign", set: map[string]string{hUID: "os=alice&app=alice@example.com"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "%40")}},
	{name: "user ids not key-value", set: map[string]string{hUID: "alice"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "key-value")}},
	{name: "batch user ids without os", method: MethodBatchProcessDirect, set: map[string]string{hUID: "batch-job=nightly"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-user-ids", "os is required")}},
	{name: "other-direct user ids without os", method: MethodOtherDirect, set: map[string]string{hUID: "my-application=alice123"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-client-user-ids", "os should identify")}},

	// Window size.
	{name: "window size missing height", set: map[string]string{hWin: "width=1256"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-window-size", "height is required")}},
	{name: "window size as WxH", set: map[string]string{hWin: "1256x803"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-window-size", "key-value")}},
	{name: "window size with px", set: map[string]string{hWin: "width=1256px&height=803px"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-client-window-size", "positive whole number")}},

	// Licence IDs.
	{name: "licence not hashed", set: map[string]string{hLic: "my-software=ABCD-1234-EFGH-5678"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodePotentiallyInvalidHeader, "gov-vendor-license-ids", "does not look hashed")}},
	{name: "licence list instead of key-value", set: map[string]string{hLic: "8D7963490527D33716835EE7C195516D"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-license-ids", "key-value")}},

	// Product name.
	{name: "product name raw space", set: map[string]string{hProd: "Product Name"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-product-name", "%20")}},
	{name: "product name query-escaped", set: map[string]string{hProd: "Product+Name"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-product-name", "'+' is ambiguous")}},
	{name: "product name encoded blank", set: map[string]string{hProd: "%20%20"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-product-name", "not blank")}},
	{name: "product name encoded null", set: map[string]string{hProd: "%6E%75%6C%6C"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-product-name", "Placeholder")}},

	// Vendor version.
	{name: "vendor version bare", set: map[string]string{hVer: "1.6.0"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-version", "key-value")}},
	{name: "vendor version empty value", set: map[string]string{hVer: "my-application="}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-version", "must not be empty")}},
	{name: "vendor version semver build", set: map[string]string{hVer: "vat=1.0.0+abc"}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeInvalidHeader, "gov-vendor-version", "%2B")}},

	// Headers outside the method's set.
	{name: "public ip on a direct method", set: map[string]string{"Gov-Client-Public-IP": "198.51.100.0"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeUnexpectedHeader, "gov-client-public-ip", "DESKTOP_APP_DIRECT")}},
	{name: "screens on other-direct", method: MethodOtherDirect, set: map[string]string{hScr: "width=1920&height=1080&scaling-factor=1&colour-depth=16"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeUnexpectedHeader, "gov-client-screens", "OTHER_DIRECT")}},
	{name: "multi-factor on batch", method: MethodBatchProcessDirect, set: map[string]string{hMFA: ""}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeUnexpectedHeader, "gov-client-multi-factor", "BATCH_PROCESS_DIRECT")}},
	// HMRC's own text for a name the specification does not define.
	{name: "misspelt header", set: map[string]string{"Gov-Client-Local-IP": "10.1.2.3"}, code: CodePotentiallyInvalidHeaders,
		want: []want{warnItem(CodeUnexpectedHeader, "gov-client-local-ip", "Unrecognised header. Check format and spelling")}},
	{name: "non-fraud headers are ignored", set: map[string]string{"Gov-Test-Scenario": "DEFAULT", "Accept": "application/vnd.hmrc.1.0+json", "Authorization": "Bearer x"}, code: CodeValidHeaders},
	{name: "other-direct missing device id", method: MethodOtherDirect, del: []string{hDev}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeMissingHeader, "gov-client-device-id", "Header required")}},
	{name: "batch missing mac addresses", method: MethodBatchProcessDirect, del: []string{hMAC}, code: CodeInvalidHeaders,
		want: []want{errItem(CodeMissingHeader, "gov-client-mac-addresses", "Header required")}},
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range validateCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := tc.headers()
			if tc.name == "non-canonical header map keys" {
				h = lowerKeys(h)
			}
			got := Validate(h, testNow)
			if got.SpecVersion != SpecVersion {
				t.Errorf("SpecVersion = %q, want %q", got.SpecVersion, SpecVersion)
			}
			if got.Code != tc.code {
				t.Errorf("Code = %q, want %q\nresult: %s", got.Code, tc.code, mustJSON(t, got))
			}
			assertItems(t, got, tc.want)
		})
	}
}

// assertItems checks that every wanted item is present and that no header
// has an error or warning the case did not expect.
func assertItems(t *testing.T, got Result, wants []want) {
	t.Helper()
	for _, w := range wants {
		items := got.Errors
		if w.warn {
			items = got.Warnings
		}
		found := slices.ContainsFunc(items, func(it Item) bool {
			return it.Code == w.code && slices.Contains(it.Headers, w.header) && strings.Contains(it.Message, w.msg)
		})
		if !found {
			t.Errorf("missing %s item code=%s header=%s message~%q\nresult: %s", severityName(w.warn), w.code, w.header, w.msg, mustJSON(t, got))
		}
	}
	for _, sev := range []bool{false, true} {
		items := got.Errors
		if sev {
			items = got.Warnings
		}
		for _, it := range items {
			for _, hdr := range it.Headers {
				expected := slices.ContainsFunc(wants, func(w want) bool { return w.warn == sev && w.header == hdr })
				if !expected {
					t.Errorf("unexpected %s on %s: %s %q", severityName(sev), hdr, it.Code, it.Message)
				}
			}
		}
	}
}

func severityName(warn bool) string {
	if warn {
		return "warning"
	}
	return "error"
}

func lowerKeys(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		out[strings.ToLower(k)] = v
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func TestValidateMergesIdenticalItems(t *testing.T) {
	t.Parallel()
	h := specHeaders(MethodDesktopAppDirect)
	h.Del(hVer)
	h.Del(hProd)
	h.Del(hTZ)
	got := Validate(h, testNow)
	if len(got.Errors) != 1 {
		t.Fatalf("want one merged error item, got %s", mustJSON(t, got))
	}
	want := []string{"gov-client-timezone", "gov-vendor-product-name", "gov-vendor-version"}
	if !slices.Equal(got.Errors[0].Headers, want) {
		t.Errorf("headers = %v, want %v (specification order)", got.Errors[0].Headers, want)
	}
}

func TestValidateJSONShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    http.Header
		want string
	}{
		{
			name: "valid omits errors and warnings",
			h:    specHeaders(MethodDesktopAppDirect),
			want: `{"specVersion":"3.3","code":"VALID_HEADERS","message":"All headers appear to be valid"}`,
		},
		{
			name: "missing licence ids as in HMRC's 3.3 samples",
			h: func() http.Header {
				h := specHeaders(MethodDesktopAppDirect)
				h.Del(hLic)
				return h
			}(),
			want: `{"specVersion":"3.3","code":"POTENTIALLY_INVALID_HEADERS","message":"At least 1 header is potentially invalid",` +
				`"warnings":[{"code":"MISSING_HEADER","message":"Header required","headers":["gov-vendor-license-ids"]}]}`,
		},
		{
			name: "empty multi-factor as in HMRC's samples",
			h: func() http.Header {
				h := specHeaders(MethodDesktopAppDirect)
				h.Set(hMFA, "")
				h.Set(hDev, "x")
				return h
			}(),
			want: `{"specVersion":"3.3","code":"INVALID_HEADERS","message":"At least 1 header is invalid",` +
				`"errors":[{"code":"INVALID_HEADER","message":"Must be a UUID, for example beec798b-b366-47fa-b1f8-92cede14a1ce","headers":["gov-client-device-id"]}],` +
				`"warnings":[{"code":"EMPTY_HEADER","message":"Value is empty. This may be correct for single factor authentication, for example username and password. If this is the case, you must contact us explaining why you cannot submit this header.","headers":["gov-client-multi-factor"]}]}`,
		},
		{
			name: "no headers at all",
			h:    http.Header{},
			want: `{"specVersion":"3.3","code":"INVALID_HEADERS","message":"At least 1 header is invalid",` +
				`"errors":[{"code":"MISSING_HEADER","message":"Header required","headers":["gov-client-connection-method"]}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mustJSON(t, Validate(tt.h, testNow)); got != tt.want {
				t.Errorf("JSON mismatch\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestValidateZeroNowSkipsFreshness(t *testing.T) {
	t.Parallel()
	h := specHeaders(MethodDesktopAppDirect)
	h.Set(hTS, "2001-01-01T00:00:00.000Z")
	if got := Validate(h, time.Time{}); got.Code != CodeValidHeaders {
		t.Errorf("zero now: code = %s, want VALID_HEADERS: %s", got.Code, mustJSON(t, got))
	}
	if got := Validate(h, testNow); got.Code != CodeInvalidHeaders {
		t.Errorf("real now: code = %s, want INVALID_HEADERS", got.Code)
	}
}

func TestValidateBoundsReportSize(t *testing.T) {
	t.Parallel()
	// A header with thousands of bad structures must not produce thousands
	// of items.
	h := specHeaders(MethodDesktopAppDirect)
	h.Set(hScr, strings.Repeat("width=1&height=1&scaling-factor=1&colour-depth=1&x=1,", 5000)+"width=1&height=1&scaling-factor=1&colour-depth=1&y=1")
	got := Validate(h, testNow)
	if n := len(got.Warnings); n > maxFindings {
		t.Errorf("got %d warnings, want at most %d", n, maxFindings)
	}
}

func TestRequiredHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		n      int
		has    []string
		hasNot []string
	}{
		{MethodDesktopAppDirect, 14, []string{"Gov-Client-Screens", "Gov-Client-Window-Size", "Gov-Client-Multi-Factor"}, nil},
		{MethodOtherDirect, 12, []string{"Gov-Client-Multi-Factor"}, []string{"Gov-Client-Screens", "Gov-Client-Window-Size"}},
		{MethodBatchProcessDirect, 11, []string{"Gov-Client-MAC-Addresses"}, []string{"Gov-Client-Screens", "Gov-Client-Window-Size", "Gov-Client-Multi-Factor"}},
		{"WEB_APP_VIA_SERVER", 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			got := RequiredHeaders(tt.method)
			if len(got) != tt.n {
				t.Fatalf("len = %d, want %d: %v", len(got), tt.n, got)
			}
			if tt.n > 0 && got[0] != "Gov-Client-Connection-Method" {
				t.Errorf("first = %q, want Gov-Client-Connection-Method", got[0])
			}
			for _, h := range tt.has {
				if !slices.Contains(got, h) {
					t.Errorf("missing %s", h)
				}
			}
			for _, h := range tt.hasNot {
				if slices.Contains(got, h) {
					t.Errorf("unexpected %s", h)
				}
			}
		})
	}
}

// TestRequiredHeadersAreAllChecked sends exactly RequiredHeaders with spec
// values and expects a clean result, so the list and the rule set agree.
func TestRequiredHeadersAreAllChecked(t *testing.T) {
	t.Parallel()
	for _, m := range []string{MethodDesktopAppDirect, MethodOtherDirect, MethodBatchProcessDirect} {
		full := specHeaders(m)
		h := http.Header{}
		for _, name := range RequiredHeaders(m) {
			h.Set(name, full.Get(name))
		}
		if got := Validate(h, testNow); got.Code != CodeValidHeaders {
			t.Errorf("%s: %s", m, mustJSON(t, got))
		}
		for _, name := range RequiredHeaders(m) {
			hh := h.Clone()
			hh.Del(name)
			got := Validate(hh, testNow)
			if got.Code == CodeValidHeaders {
				t.Errorf("%s without %s: still VALID_HEADERS", m, name)
			}
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	h := specHeaders(MethodDesktopAppDirect)
	for b.Loop() {
		Validate(h, testNow)
	}
}
