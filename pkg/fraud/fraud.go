// Package fraud builds HMRC's fraud-prevention headers (specification v3.3) honestly: every value
// comes from the device the request leaves, and what cannot be collected is sent empty, never made up.
//
// The pieces are a [Collector] that gathers [Facts], [Headers] that turns facts into the exact header
// values for a connection [Method], a [Transport] that stamps every outgoing request, and [Describe]
// that explains each value (and each empty one) to the user and to HMRC's reviewers.
package fraud

import (
	"fmt"
	"strings"
)

// Method is HMRC's connection method; it decides which headers are required.
type Method string

// The connection methods a command-line program on the user's own device can honestly claim.
const (
	// DesktopAppDirect is software installed on the user's device calling HMRC directly.
	DesktopAppDirect Method = "DESKTOP_APP_DIRECT"
	// OtherDirect is for direct connections that fit no other method; it drops Screens and
	// Window-Size. HMRC may ask why it was chosen.
	OtherDirect Method = "OTHER_DIRECT"
	// BatchProcessDirect may be used only when no user starts the action (e.g. an unattended cron
	// job); it also drops Multi-Factor.
	BatchProcessDirect Method = "BATCH_PROCESS_DIRECT"
)

// Methods lists the supported connection methods, the default first. The slice is new on each call.
func Methods() []Method { return []Method{DesktopAppDirect, OtherDirect, BatchProcessDirect} }

// ParseMethod accepts a method name in any letter case; "" means [DesktopAppDirect].
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return DesktopAppDirect, nil
	}
	for _, m := range Methods() {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown connection method %q (want one of %s)", s, joinMethods())
}

func joinMethods() string {
	methods := Methods()
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// Header names as HMRC's specification spells them. Go's [net/http.Header] canonicalises keys
// (Gov-Client-Local-IPs becomes Gov-Client-Local-Ips); header names are case-insensitive on the wire,
// so both forms reach HMRC as the same header.
const (
	HeaderConnectionMethod  = "Gov-Client-Connection-Method"
	HeaderDeviceID          = "Gov-Client-Device-ID"
	HeaderLocalIPs          = "Gov-Client-Local-IPs"
	HeaderLocalIPsTimestamp = "Gov-Client-Local-IPs-Timestamp"
	HeaderMACAddresses      = "Gov-Client-MAC-Addresses"
	HeaderMultiFactor       = "Gov-Client-Multi-Factor"
	HeaderScreens           = "Gov-Client-Screens"
	HeaderTimezone          = "Gov-Client-Timezone"
	HeaderUserAgent         = "Gov-Client-User-Agent"
	HeaderUserIDs           = "Gov-Client-User-IDs"
	HeaderWindowSize        = "Gov-Client-Window-Size"
	HeaderLicenseIDs        = "Gov-Vendor-License-IDs"
	HeaderProductName       = "Gov-Vendor-Product-Name"
	HeaderVendorVersion     = "Gov-Vendor-Version"
)

// desktopHeaders is the full DESKTOP_APP_DIRECT set in the order of the specification's table.
var desktopHeaders = []string{
	HeaderConnectionMethod,
	HeaderDeviceID,
	HeaderLocalIPs,
	HeaderLocalIPsTimestamp,
	HeaderMACAddresses,
	HeaderMultiFactor,
	HeaderScreens,
	HeaderTimezone,
	HeaderUserAgent,
	HeaderUserIDs,
	HeaderWindowSize,
	HeaderLicenseIDs,
	HeaderProductName,
	HeaderVendorVersion,
}

// HeaderNames returns the headers method requires, in the specification's order, spelled as HMRC
// spells them. It returns nil for an unknown method.
func (m Method) HeaderNames() []string {
	var drop []string
	switch m {
	case DesktopAppDirect:
	case OtherDirect:
		drop = []string{HeaderScreens, HeaderWindowSize}
	case BatchProcessDirect:
		drop = []string{HeaderScreens, HeaderWindowSize, HeaderMultiFactor}
	default:
		return nil
	}
	out := make([]string, 0, len(desktopHeaders))
	for _, h := range desktopHeaders {
		if !contains(drop, h) {
			out = append(out, h)
		}
	}
	return out
}

// Valid reports whether m is one of [Methods].
func (m Method) Valid() bool { return m.HeaderNames() != nil }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
