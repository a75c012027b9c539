package fphcheck

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Connection methods this validator has rule sets for.
const (
	MethodDesktopAppDirect   = "DESKTOP_APP_DIRECT"
	MethodOtherDirect        = "OTHER_DIRECT"
	MethodBatchProcessDirect = "BATCH_PROCESS_DIRECT"
)

// Header names in lower case, as HMRC reports them.
const (
	hdrConnectionMethod = "gov-client-connection-method"
	hdrDeviceID         = "gov-client-device-id"
	hdrLocalIPs         = "gov-client-local-ips"
	hdrLocalIPsTime     = "gov-client-local-ips-timestamp"
	hdrMACAddresses     = "gov-client-mac-addresses"
	hdrMultiFactor      = "gov-client-multi-factor"
	hdrScreens          = "gov-client-screens"
	hdrTimezone         = "gov-client-timezone"
	hdrUserAgent        = "gov-client-user-agent"
	hdrUserIDs          = "gov-client-user-ids"
	hdrWindowSize       = "gov-client-window-size"
	hdrLicenseIDs       = "gov-vendor-license-ids"
	hdrProductName      = "gov-vendor-product-name"
	hdrVendorVersion    = "gov-vendor-version"
)

// Message texts. The ones listed as HMRC's in the package documentation are
// HMRC's words; the rest are this package's own, in HMRC's style.
const (
	msgUnrecognised   = "Unrecognised header. Check format and spelling"
	msgNotIP          = "Value is not an IP address"
	msgNoManufacturer = "At least 1 value for device manufacturer is missing"
	msgNoModel        = "At least 1 value for device model is missing" // by analogy with msgNoManufacturer

	msgHeaderRequired = "Header required"
	msgValueRequired  = "Value required"
	msgPlaceholder    = "Placeholder values such as null, undefined, unknown or / must not be sent. " +
		"If the data cannot be collected, contact us and then leave the header out or send it empty"
	msgEmptyMultiFactor = "Value is empty. This may be correct for single factor authentication, " +
		"for example username and password. If this is the case, you must contact us explaining why " +
		"you cannot submit this header."
	msgEmptyScreens = "Value is empty. This may be correct if the originating device has no screen, " +
		"for example a headless server. If this is the case, you must contact us explaining why " +
		"you cannot submit this header."
	msgEmptyWindowSize = "Value is empty. This may be correct if the software has no window, " +
		"for example on a headless server. If this is the case, you must contact us explaining why " +
		"you cannot submit this header."
)

// Time limits for Gov-Client-Local-IPs-Timestamp. The spec says the IPs are
// collected immediately before each request; a day-old value means the
// software caches it, and a value well ahead of the server clock cannot have
// been collected before the request.
const (
	maxTimestampAge   = 24 * time.Hour
	freshTimestampAge = 5 * time.Minute
	maxClockSkew      = 5 * time.Minute
)

// rule is how one required header is graded.
type rule struct {
	name    string // lower case
	display string // as the specification spells it
	// emptyMessage is set for headers whose data may legitimately be
	// impossible to collect (REFERENCE §8.3): sending them empty or leaving
	// them out is then a warning carrying this text, not an error.
	emptyMessage string
	// check grades a present, non-empty, non-placeholder value.
	check func(v string, ctx *checkCtx, r *report)
}

// rulesFor returns the rule set of a connection method in the order of the
// specification's table, without the connection method header itself.
func rulesFor(method string) ([]rule, bool) {
	all := []rule{
		{name: hdrDeviceID, display: "Gov-Client-Device-ID", check: checkDeviceID},
		{name: hdrLocalIPs, display: "Gov-Client-Local-IPs", check: checkLocalIPs},
		{name: hdrLocalIPsTime, display: "Gov-Client-Local-IPs-Timestamp", check: checkLocalIPsTimestamp},
		{name: hdrMACAddresses, display: "Gov-Client-MAC-Addresses", check: checkMACAddresses},
		{name: hdrMultiFactor, display: "Gov-Client-Multi-Factor", emptyMessage: msgEmptyMultiFactor, check: checkMultiFactor},
		{name: hdrScreens, display: "Gov-Client-Screens", emptyMessage: msgEmptyScreens, check: checkScreens},
		{name: hdrTimezone, display: "Gov-Client-Timezone", check: checkTimezone},
		{name: hdrUserAgent, display: "Gov-Client-User-Agent", check: checkUserAgent},
		{name: hdrUserIDs, display: "Gov-Client-User-IDs", check: checkUserIDs},
		{name: hdrWindowSize, display: "Gov-Client-Window-Size", emptyMessage: msgEmptyWindowSize, check: checkWindowSize},
		{name: hdrLicenseIDs, display: "Gov-Vendor-License-IDs", emptyMessage: msgValueRequired, check: checkLicenseIDs},
		{name: hdrProductName, display: "Gov-Vendor-Product-Name", check: checkProductName},
		{name: hdrVendorVersion, display: "Gov-Vendor-Version", check: checkVendorVersion},
	}
	var drop []string
	switch method {
	case MethodDesktopAppDirect:
	case MethodOtherDirect:
		drop = []string{hdrScreens, hdrWindowSize}
	case MethodBatchProcessDirect:
		drop = []string{hdrScreens, hdrWindowSize, hdrMultiFactor}
	default:
		return nil, false
	}
	out := all[:0]
	for _, r := range all {
		if !slices.Contains(drop, r.name) {
			out = append(out, r)
		}
	}
	return out, true
}

// RequiredHeaders lists the headers a connection method must send, spelled as
// in the specification and in its order, starting with
// Gov-Client-Connection-Method. It returns nil for a method without a rule set.
func RequiredHeaders(method string) []string {
	rules, ok := rulesFor(method)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(rules)+1)
	out = append(out, "Gov-Client-Connection-Method")
	for _, r := range rules {
		out = append(out, r.display)
	}
	return out
}

// checkConnectionMethod explains why a sent connection method has no rule set.
func checkConnectionMethod(v string, r *report) {
	supported := MethodDesktopAppDirect + ", " + MethodOtherDirect + " or " + MethodBatchProcessDirect
	switch {
	case v == "":
		r.errorf(CodeEmptyHeader, "%s", msgValueRequired)
	case slices.Contains([]string{"MOBILE_APP_DIRECT", "MOBILE_APP_VIA_SERVER", "DESKTOP_APP_VIA_SERVER",
		"WEB_APP_VIA_SERVER", "OTHER_VIA_SERVER"}, v):
		r.errorf(CodeInvalidHeader, "Connection method %s is not supported by this emulator; use %s", v, supported)
	case slices.Contains([]string{MethodDesktopAppDirect, MethodOtherDirect, MethodBatchProcessDirect}, strings.ToUpper(v)):
		r.errorf(CodeInvalidHeader, "Connection method is case-sensitive: send %s", strings.ToUpper(v))
	default:
		r.errorf(CodeInvalidHeader, "Invalid connection method: use %s", supported)
	}
}

// isPlaceholder reports values that software sends when it failed to collect
// data; the spec forbids them (getting-it-right, "Missing header data").
func isPlaceholder(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "null", "undefined", "unknown", "nil", "n/a", "nan", "/", "[object object]", "<nil>":
		return true
	}
	return false
}

// clip shortens s for quoting in a message so that messages stay bounded.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func checkDeviceID(v string, _ *checkCtx, r *report) {
	if !isUUID(v) {
		r.errorf(CodeInvalidHeader, "Must be a UUID, for example beec798b-b366-47fa-b1f8-92cede14a1ce")
		return
	}
	if strings.Trim(v, "0-") == "" || strings.Trim(strings.ToLower(v), "f-") == "" {
		r.errorf(CodeInvalidHeader, "Must not be the nil or max UUID: generate a random UUID once and keep it on the device")
	}
}

// isUUID accepts only the canonical 8-4-4-4-12 hexadecimal form; braces, URN
// prefixes and the unhyphenated form are what a careless builder produces.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// checkItem applies encoding and placeholder rules to one list item and
// returns its decoded value, or ok=false after reporting an error.
func checkItem(raw string, idx int, r *report) (string, bool) {
	if prob := checkComponent(raw); prob != nil {
		if !prob.warn {
			r.errorf(CodeInvalidHeader, "List item %d: %s", idx, prob.msg)
			return "", false
		}
		r.warnf(CodePotentiallyInvalidHeader, "List item %d: %s", idx, prob.msg)
	}
	d := decodeComponent(raw)
	if strings.Contains(d, ",") {
		r.errorf(CodeInvalidHeader, "List item %d contains an encoded comma: separate list values with a plain ','", idx)
		return "", false
	}
	if isPlaceholder(d) {
		r.errorf(CodeInvalidHeader, "List item %d: %s", idx, msgPlaceholder)
		return "", false
	}
	return d, true
}

func checkLocalIPs(v string, _ *checkCtx, r *report) {
	items, ok := parseList(v, r)
	if !ok {
		return
	}
	for i, raw := range items {
		d, ok := checkItem(raw, i+1, r)
		if !ok {
			return
		}
		addr, err := netip.ParseAddr(d)
		if err != nil {
			r.errorf(CodeInvalidHeader, "%s", msgNotIP)
			return
		}
		if addr.IsUnspecified() {
			r.warnf(CodePotentiallyInvalidHeader, "List item %d is an unspecified address (0.0.0.0 or ::), not an address of the device", i+1)
		}
	}
}

// Timestamp layouts. Go's ".000" demands exactly three fractional digits,
// which is what the spec requires of Local-IPs-Timestamp.
const (
	layoutMillis  = "2006-01-02T15:04:05.000Z"
	layoutSeconds = "2006-01-02T15:04:05Z"
	layoutMinutes = "2006-01-02T15:04Z"
)

// parseTimestamp parses v with one of layouts, insisting on the exact shape:
// time.Parse alone would accept single-digit fields in some positions.
func parseTimestamp(v string, layouts ...string) (time.Time, bool) {
	for _, layout := range layouts {
		if len(v) != len(layout) || !sameShape(v, layout) {
			continue
		}
		t, err := time.Parse(layout, v)
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// sameShape reports whether v has a digit wherever layout has one and the
// same byte everywhere else.
func sameShape(v, layout string) bool {
	for i := 0; i < len(layout); i++ {
		if isDigit(layout[i]) {
			if !isDigit(v[i]) {
				return false
			}
		} else if v[i] != layout[i] {
			return false
		}
	}
	return true
}

func checkLocalIPsTimestamp(v string, ctx *checkCtx, r *report) {
	t, ok := parseTimestamp(v, layoutMillis)
	if !ok {
		r.errorf(CodeInvalidHeader, "Must be a UTC timestamp in the format yyyy-MM-ddThh:mm:ss.sssZ, for example 2020-09-21T14:30:05.123Z")
		return
	}
	if ctx.now.IsZero() {
		return
	}
	age := ctx.now.Sub(t)
	switch {
	case age > maxTimestampAge:
		r.errorf(CodeInvalidHeader, "Timestamp is more than 24 hours old: collect the local IPs immediately before each request")
	case age < -maxClockSkew:
		r.errorf(CodeInvalidHeader, "Timestamp is in the future: it must record when the local IPs were collected, in UTC")
	case age > freshTimestampAge:
		r.warnf(CodePotentiallyInvalidHeader, "Timestamp is more than 5 minutes old: collect the local IPs immediately before each request")
	}
}

func checkMACAddresses(v string, _ *checkCtx, r *report) {
	items, ok := parseList(v, r)
	if !ok {
		return
	}
	for i, raw := range items {
		d, ok := checkItem(raw, i+1, r)
		if !ok {
			return
		}
		if !isMAC(d) {
			r.errorf(CodeInvalidHeader, "List item %d must be a MAC address of six hexadecimal octets separated by ':' sent as %%3A, for example ea%%3A43%%3A1a%%3A5d%%3A21%%3A45", i+1)
			return
		}
		switch strings.ToLower(d) {
		case "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff":
			r.errorf(CodeInvalidHeader, "List item %d is not a hardware address (skip loopback and placeholder interfaces)", i+1)
			return
		}
	}
}

func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// keySet grades the keys of one key-value structure: required keys must be
// present with a value, optional ones may be absent or empty, and any other
// key is reported as a warning (it is not wrong on the wire, but usually a
// typo of a required key).
type keySet struct {
	required []string
	optional []string
	// emptyOptionalWarns makes an absent or empty optional key a warning.
	emptyOptionalWarns bool
	// extraAllowed accepts keys of the sender's choosing (User-IDs, vendor
	// versions, licences).
	extraAllowed bool
}

// checkKeys reports problems with the keys of pairs and returns true if
// there were no errors. prefix names the structure in messages.
func (ks keySet) checkKeys(pairs []pair, prefix string, r *report) bool {
	ok := true
	for _, k := range ks.required {
		v, found := lookup(pairs, k)
		switch {
		case !found:
			r.errorf(CodeInvalidHeader, "%s%s is required", prefix, k)
			ok = false
		case v == "":
			r.errorf(CodeInvalidHeader, "%s%s must not be empty", prefix, k)
			ok = false
		}
	}
	for _, k := range ks.optional {
		if v, _ := lookup(pairs, k); v == "" && ks.emptyOptionalWarns {
			r.warnf(CodePotentiallyInvalidHeader, "%s%s is empty: send it whenever the device reports it", prefix, k)
		}
	}
	for _, p := range pairs {
		known := slices.Contains(ks.required, p.key) || slices.Contains(ks.optional, p.key)
		if !known && !ks.extraAllowed {
			r.warnf(CodePotentiallyInvalidHeader, "%sUnexpected key %q", prefix, clip(p.key))
		}
		if p.value != "" && isPlaceholder(p.value) {
			r.errorf(CodeInvalidHeader, "%s%s: %s", prefix, clip(p.key), msgPlaceholder)
			ok = false
		}
	}
	return ok
}

// positiveInt reports whether s is a whole number above zero written plainly
// (no sign, no leading zeros, no fraction) with at most maxDigits digits, the
// bound keeping implausible values out.
func positiveInt(s string, maxDigits int) bool {
	if s == "" || len(s) > maxDigits || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// positiveDecimal reports whether s is a plain decimal number above zero,
// such as 1, 1.25 or 2.
func positiveDecimal(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if !isDigit(part[i]) {
				return false
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f > 0
}

const pixelDigits = 6 // up to 999999 pixels

// checkDimensions grades width and height (pixels) of a structure.
func checkDimensions(pairs []pair, prefix string, r *report) {
	for _, k := range []string{"width", "height"} {
		if v, found := lookup(pairs, k); found && v != "" && !positiveInt(v, pixelDigits) {
			r.errorf(CodeInvalidHeader, "%s%s must be a positive whole number of pixels", prefix, k)
		}
	}
}

func checkMultiFactor(v string, ctx *checkCtx, r *report) {
	items, ok := parseList(v, r)
	if !ok {
		return
	}
	ks := keySet{required: []string{"type", "timestamp", "unique-reference"}}
	for i, item := range items {
		prefix := fmt.Sprintf("Structure %d: ", i+1)
		pairs, ok := parseKeyValues(item, fmt.Sprintf("Structure %d", i+1), r)
		if !ok {
			return
		}
		ks.checkKeys(pairs, prefix, r)
		if typ, _ := lookup(pairs, "type"); typ != "" && !slices.Contains([]string{"TOTP", "AUTH_CODE", "OTHER"}, typ) {
			r.errorf(CodeInvalidHeader, "%stype must be TOTP, AUTH_CODE or OTHER", prefix)
		}
		if ts, _ := lookup(pairs, "timestamp"); ts != "" {
			t, ok := parseTimestamp(ts, layoutMinutes, layoutSeconds, layoutMillis)
			switch {
			case !ok:
				r.errorf(CodeInvalidHeader, "%stimestamp must be a UTC timestamp of at least yyyy-MM-ddThh:mmZ, with ':' sent as %%3A", prefix)
			case !ctx.now.IsZero() && t.Sub(ctx.now) > maxClockSkew:
				r.errorf(CodeInvalidHeader, "%stimestamp is in the future: it must record the last successful prompt, in UTC", prefix)
			}
		}
		if ref, _ := lookup(pairs, "unique-reference"); ref != "" && looksUnhashed(ref) {
			r.warnf(CodePotentiallyInvalidHeader, "%sunique-reference looks like a phone number or email address: send a salted hash instead", prefix)
		}
	}
}

// looksUnhashed spots the obvious cases of a factor sent in clear: an email
// address or a phone number.
func looksUnhashed(ref string) bool {
	if strings.Contains(ref, "@") {
		return true
	}
	digits := 0
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case isDigit(c):
			digits++
		case c == '+' || c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

func checkScreens(v string, _ *checkCtx, r *report) {
	items, ok := parseList(v, r)
	if !ok {
		return
	}
	ks := keySet{required: []string{"width", "height", "scaling-factor", "colour-depth"}}
	for i, item := range items {
		prefix := fmt.Sprintf("Screen %d: ", i+1)
		pairs, ok := parseKeyValues(item, fmt.Sprintf("Screen %d", i+1), r)
		if !ok {
			return
		}
		ks.checkKeys(pairs, prefix, r)
		checkDimensions(pairs, prefix, r)
		if sf, _ := lookup(pairs, "scaling-factor"); sf != "" && !positiveDecimal(sf) {
			r.errorf(CodeInvalidHeader, "%sscaling-factor must be a positive number, for example 1 or 1.25", prefix)
		}
		if cd, _ := lookup(pairs, "colour-depth"); cd != "" && !positiveInt(cd, 3) {
			r.errorf(CodeInvalidHeader, "%scolour-depth must be a positive whole number of bits", prefix)
		}
	}
}

func checkTimezone(v string, _ *checkCtx, r *report) {
	if strings.Contains(v, "%") {
		r.errorf(CodeInvalidHeader, "Must not be percent-encoded: send the offset as UTC±hh:mm, for example UTC+01:00")
		return
	}
	ok := len(v) == 9 && strings.HasPrefix(v, "UTC") && (v[3] == '+' || v[3] == '-') &&
		isDigit(v[4]) && isDigit(v[5]) && v[6] == ':' && isDigit(v[7]) && isDigit(v[8])
	if ok {
		hh := int(v[4]-'0')*10 + int(v[5]-'0')
		mm := int(v[7]-'0')*10 + int(v[8]-'0')
		ok = hh <= 14 && mm <= 59
	}
	if !ok {
		r.errorf(CodeInvalidHeader, "Must be the local offset as UTC±hh:mm, for example UTC+00:00 or UTC-01:15")
	}
}

func checkUserAgent(v string, _ *checkCtx, r *report) {
	pairs, ok := parseKeyValues(v, "", r)
	if !ok {
		return
	}
	keySet{
		required: []string{"os-family", "os-version"},
		optional: []string{"device-manufacturer", "device-model"},
	}.checkKeys(pairs, "", r)
	// A virtual machine may report neither; the spec asks for them whenever the
	// device does, so their absence is advisory.
	if v, _ := lookup(pairs, "device-manufacturer"); v == "" {
		r.warnf(CodePotentiallyInvalidHeader, "%s", msgNoManufacturer)
	}
	if v, _ := lookup(pairs, "device-model"); v == "" {
		r.warnf(CodePotentiallyInvalidHeader, "%s", msgNoModel)
	}
}

func checkUserIDs(v string, ctx *checkCtx, r *report) {
	pairs, ok := parseKeyValues(v, "", r)
	if !ok {
		return
	}
	keySet{extraAllowed: true}.checkKeys(pairs, "", r)
	osUser, found := lookup(pairs, "os")
	switch {
	case osUser != "":
	case ctx.method == MethodOtherDirect:
		// The originating device of OTHER_DIRECT need not have an OS login
		// the software can read, so its absence is only advisory.
		r.warnf(CodePotentiallyInvalidHeader, "os should identify the user signed in on the originating device")
	case found:
		r.errorf(CodeInvalidHeader, "os must not be empty: it identifies the user signed in on the originating device")
	default:
		r.errorf(CodeInvalidHeader, "os is required: it identifies the user signed in on the originating device, for example os=domain%%5Calice")
	}
}

func checkWindowSize(v string, _ *checkCtx, r *report) {
	pairs, ok := parseKeyValues(v, "", r)
	if !ok {
		return
	}
	keySet{required: []string{"width", "height"}}.checkKeys(pairs, "", r)
	checkDimensions(pairs, "", r)
}

func checkLicenseIDs(v string, _ *checkCtx, r *report) {
	pairs, ok := parseKeyValues(v, "", r)
	if !ok {
		return
	}
	keySet{extraAllowed: true}.checkKeys(pairs, "", r)
	for _, p := range pairs {
		// Never quote the value: if it is not hashed it is a licence key.
		switch {
		case p.value == "":
			r.warnf(CodePotentiallyInvalidHeader, "Licence for %q has no value", clip(p.key))
		case !looksHashed(p.value):
			r.warnf(CodePotentiallyInvalidHeader, "Licence for %q does not look hashed: send a hash of the licence key, never the key itself", clip(p.key))
		}
	}
}

// looksHashed accepts hexadecimal digests of 128 bits or more and base64
// digests of the same size; dashed groups and short strings are what raw
// licence keys look like.
func looksHashed(s string) bool {
	hex, b64 := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isHex(c) {
			hex = false
		}
		if !(isUnreserved(c) && c != '-' && c != '.' && c != '~' || c == '+' || c == '/' || c == '=') {
			b64 = false
		}
	}
	return hex && len(s) >= 32 || b64 && len(s) >= 22 && strings.ContainsAny(s, "0123456789")
}

func checkProductName(v string, _ *checkCtx, r *report) {
	if prob := checkComponent(v); prob != nil {
		if !prob.warn {
			r.errorf(CodeInvalidHeader, "%s", prob.msg)
			return
		}
		r.warnf(CodePotentiallyInvalidHeader, "%s", prob.msg)
	}
	if d := decodeComponent(v); isPlaceholder(d) {
		r.errorf(CodeInvalidHeader, "%s", msgPlaceholder)
	} else if strings.TrimSpace(d) == "" {
		r.errorf(CodeInvalidHeader, "Must be the product name marketed to users, not blank")
	}
}

func checkVendorVersion(v string, _ *checkCtx, r *report) {
	pairs, ok := parseKeyValues(v, "", r)
	if !ok {
		return
	}
	keySet{extraAllowed: true}.checkKeys(pairs, "", r)
	for _, p := range pairs {
		if p.value == "" {
			r.errorf(CodeInvalidHeader, "Version of %q must not be empty", clip(p.key))
		}
	}
}
