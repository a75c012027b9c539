package fraud

import (
	"strings"
	"time"
)

// Line explains one header: its exact value and where it came from, or why it is empty. HMRC's
// reviewers question empty headers, so every empty one carries its reason.
type Line struct {
	Header      string `json:"header"`
	Value       string `json:"value"`
	Empty       bool   `json:"empty"`
	Explanation string `json:"explanation"`
}

// missingDataNote is appended to every empty header: the specification allows an empty value only
// after the vendor has told HMRC why the data cannot be collected.
const missingDataNote = "sent empty under HMRC's missing-data procedure (explain it to SDSTeam@hmrc.gov.uk); never a placeholder"

// Describe returns one [Line] per header of method, in the specification's order, with the values
// [Headers] would send at now. It returns nil for an unknown method.
func Describe(method Method, f Facts, now time.Time) []Line {
	h := Headers(method, f, now)
	if h == nil {
		return nil
	}
	names := method.HeaderNames()
	lines := make([]Line, 0, len(names))
	for _, name := range names {
		v := h.Get(name)
		l := Line{Header: name, Value: v, Empty: v == ""}
		if l.Empty {
			why := f.Missing[name]
			if why == "" {
				why = "no value was collected"
			}
			l.Explanation = why + "; " + missingDataNote
		} else {
			l.Explanation = source(name, method, f, now)
			// A header can be present yet incomplete (User-Agent without manufacturer).
			if why := f.Missing[name]; why != "" {
				l.Explanation += "; partly empty: " + why
			}
		}
		lines = append(lines, l)
	}
	return lines
}

// source says where a collected value comes from.
func source(name string, method Method, f Facts, now time.Time) string {
	switch name {
	case HeaderConnectionMethod:
		switch method {
		case OtherDirect:
			return "chosen explicitly: a direct connection that fits no other method (HMRC may ask why)"
		case BatchProcessDirect:
			return "chosen explicitly: an unattended run that no user started"
		}
		return "vat is installed on this device and calls HMRC directly, with no vendor server in between"
	case HeaderDeviceID:
		return "random UUID created on first use and kept in the config directory's " + DeviceIDFile + " file; the same for every request from this device"
	case HeaderLocalIPs:
		return "addresses of this device's active network interfaces (loopback left out unless it is the only one), read just before the request"
	case HeaderLocalIPsTimestamp:
		return "when the local IP addresses were read, in UTC"
	case HeaderMACAddresses:
		return "hardware addresses of this device's network interfaces"
	case HeaderMultiFactor:
		return "factors the user passed to sign in to vat"
	case HeaderScreens:
		return "displays attached to this device: size in pixels, scaling factor and colour depth where the system reports them"
	case HeaderTimezone:
		loc := "the device's time zone"
		if f.Location != nil {
			loc = "the device's time zone (" + f.Location.String() + ")"
		}
		return "UTC offset of " + loc + " at the time of the request"
	case HeaderUserAgent:
		return "operating system family and version, device manufacturer and model, as the system reports them"
	case HeaderUserIDs:
		s := "the operating-system account running vat"
		if len(f.UserIDs) > 0 {
			keys := make([]string, 0, len(f.UserIDs))
			for _, p := range f.UserIDs {
				keys = append(keys, p.Key)
			}
			s += ", plus application accounts (" + strings.Join(keys, ", ") + ")"
		}
		return s
	case HeaderWindowSize:
		return "size in pixels of the terminal window vat runs in"
	case HeaderLicenseIDs:
		return "hashed licence keys of vendor software on this device"
	case HeaderProductName:
		return "the name the software is marketed under"
	case HeaderVendorVersion:
		return "software name and version of this build"
	}
	return ""
}
