package fraud

import (
	"net/http"
	"strconv"
	"time"
)

// TimestampLayout is the UTC layout HMRC requires for Gov-Client-Local-IPs-Timestamp: the T, 24-hour
// clock, seconds and milliseconds always present.
const TimestampLayout = "2006-01-02T15:04:05.000Z"

// mfaTimestampLayout is the shorter form the specification's own Multi-Factor example uses; HMRC
// asks for at least minute precision there.
const mfaTimestampLayout = "2006-01-02T15:04Z"

// Headers returns the headers method requires, built from f. now is the request time; the time-zone
// offset is taken at that instant. Every required header is present; a value that could not be
// collected is sent empty (HMRC's missing-data procedure) and never replaced by a placeholder.
// An unknown method yields nil.
func Headers(method Method, f Facts, now time.Time) http.Header {
	names := method.HeaderNames()
	if names == nil {
		return nil
	}
	h := make(http.Header, len(names))
	for _, name := range names {
		h.Set(name, value(name, method, f, now))
	}
	return h
}

// value computes one header's encoded value.
func value(name string, method Method, f Facts, now time.Time) string {
	switch name {
	case HeaderConnectionMethod:
		return string(method)
	case HeaderDeviceID:
		return Encode(f.DeviceID)
	case HeaderLocalIPs:
		items := make([]string, 0, len(f.LocalIPs))
		for _, ip := range f.LocalIPs {
			if ip.IsValid() {
				items = append(items, Encode(ip.String()))
			}
		}
		return encodeList(items)
	case HeaderLocalIPsTimestamp:
		if f.LocalIPsTimestamp.IsZero() {
			return ""
		}
		return f.LocalIPsTimestamp.UTC().Format(TimestampLayout)
	case HeaderMACAddresses:
		items := make([]string, 0, len(f.MACAddresses))
		for _, mac := range f.MACAddresses {
			if len(mac) > 0 {
				items = append(items, Encode(mac.String()))
			}
		}
		return encodeList(items)
	case HeaderMultiFactor:
		items := make([]string, 0, len(f.MultiFactor))
		for _, m := range f.MultiFactor {
			if m.Type == "" || m.Timestamp.IsZero() || m.UniqueReference == "" {
				continue
			}
			items = append(items, encodePairs([]Pair{
				{"type", string(m.Type)},
				{"timestamp", m.Timestamp.UTC().Format(mfaTimestampLayout)},
				{"unique-reference", m.UniqueReference},
			}))
		}
		return encodeList(items)
	case HeaderScreens:
		items := make([]string, 0, len(f.Screens))
		for _, s := range f.Screens {
			items = append(items, screenValue(s))
		}
		return encodeList(items)
	case HeaderTimezone:
		if f.Location == nil {
			return ""
		}
		return "UTC" + now.In(f.Location).Format("-07:00")
	case HeaderUserAgent:
		// All four keys are always sent so that an unknown manufacturer shows as an empty value,
		// which the specification allows, rather than as a silently missing key.
		return encodePairs([]Pair{
			{"os-family", f.OSFamily},
			{"os-version", f.OSVersion},
			{"device-manufacturer", f.DeviceManufacturer},
			{"device-model", f.DeviceModel},
		})
	case HeaderUserIDs:
		pairs := make([]Pair, 0, 1+len(f.UserIDs))
		if f.OSUser != "" {
			pairs = append(pairs, Pair{"os", f.OSUser})
		}
		for _, p := range f.UserIDs {
			if p.Key != "os" {
				pairs = append(pairs, p)
			}
		}
		return encodePairs(pairs)
	case HeaderWindowSize:
		if f.Window.Width <= 0 || f.Window.Height <= 0 {
			return ""
		}
		return "width=" + strconv.Itoa(f.Window.Width) + "&height=" + strconv.Itoa(f.Window.Height)
	case HeaderLicenseIDs:
		return encodePairs(f.Vendor.LicenceIDs)
	case HeaderProductName:
		return Encode(f.Vendor.ProductName)
	case HeaderVendorVersion:
		return encodePairs(f.Vendor.Versions)
	}
	return ""
}

// screenValue encodes one screen, or "" (dropped from the list) when its size is not a positive
// whole number: HMRC forbids placeholders such as width=0.
func screenValue(s Screen) string {
	if s.Width <= 0 || s.Height <= 0 {
		return ""
	}
	pairs := []Pair{
		{"width", strconv.Itoa(s.Width)},
		{"height", strconv.Itoa(s.Height)},
	}
	if s.ScalingFactor > 0 && s.ScalingFactor < 1000 {
		pairs = append(pairs, Pair{"scaling-factor", strconv.FormatFloat(s.ScalingFactor, 'f', -1, 64)})
	}
	if s.ColourDepth > 0 {
		pairs = append(pairs, Pair{"colour-depth", strconv.Itoa(s.ColourDepth)})
	}
	return encodePairs(pairs)
}
