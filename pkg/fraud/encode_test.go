package fraud

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"unreserved kept", "AZaz09-._~", "AZaz09-._~"},
		{"space is %20 not plus", "Server 2012", "Server%202012"},
		{"plus is encoded", "a+b", "a%2Bb"},
		{"ipv6 colons", "fc00::", "fc00%3A%3A"},
		{"full ipv6", "fe80::fc:ff:fe00:1", "fe80%3A%3Afc%3Aff%3Afe00%3A1"},
		{"mac", "ea:43:1a:5d:21:45", "ea%3A43%3A1a%3A5d%3A21%3A45"},
		{"unicode user", "Zoë", "Zo%C3%AB"},
		{"domain backslash", `domain\alice`, "domain%5Calice"},
		{"separators inside values are encoded", "a=b&c,d", "a%3Db%26c%2Cd"},
		{"percent itself", "100%", "100%25"},
		{"slash", "Debian GNU/Linux", "Debian%20GNU%2FLinux"},
		{"control byte", "a\nb", "a%0Ab"},
		{"high byte upper-case hex", "\xff", "%FF"},
		{"emoji", "🙂", "%F0%9F%99%82"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Encode(tt.in); got != tt.want {
				t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHeaderValues pins single values, including the specification's own examples.
func TestHeaderValues(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatalf("load Europe/London: %v", err)
	}
	winter := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		f      Facts
		now    time.Time
		want   string
	}{
		{"ipv4 list", HeaderLocalIPs, Facts{LocalIPs: []netip.Addr{netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("10.3.4.2")}}, winter, "10.1.2.3,10.3.4.2"},
		{"ipv6 encoded, commas not", HeaderLocalIPs, Facts{LocalIPs: []netip.Addr{netip.MustParseAddr("fc00::"), netip.MustParseAddr("10.1.2.3")}}, winter, "fc00%3A%3A,10.1.2.3"},
		{"invalid ip dropped, never an empty item", HeaderLocalIPs, Facts{LocalIPs: []netip.Addr{{}, netip.MustParseAddr("10.0.0.1"), {}}}, winter, "10.0.0.1"},
		{"no ips", HeaderLocalIPs, Facts{}, winter, ""},
		{"timestamp keeps zero milliseconds", HeaderLocalIPsTimestamp, Facts{LocalIPsTimestamp: time.Date(2020, 9, 21, 14, 30, 5, 0, time.UTC)}, winter, "2020-09-21T14:30:05.000Z"},
		{"timestamp converted to utc", HeaderLocalIPsTimestamp, Facts{LocalIPsTimestamp: time.Date(2020, 9, 21, 15, 30, 5, 123456789, time.FixedZone("BST", 3600))}, winter, "2020-09-21T14:30:05.123Z"},
		{"macs", HeaderMACAddresses, Facts{MACAddresses: []net.HardwareAddr{mustMAC(t, "ea:43:1a:5d:21:45"), nil, mustMAC(t, "10:12:cc:fa:aa:32")}}, winter, "ea%3A43%3A1a%3A5d%3A21%3A45,10%3A12%3Acc%3Afa%3Aaa%3A32"},
		{"timezone winter london", HeaderTimezone, Facts{Location: london}, winter, "UTC+00:00"},
		{"timezone summer london is BST", HeaderTimezone, Facts{Location: london}, summer, "UTC+01:00"},
		{"timezone negative quarter hour", HeaderTimezone, Facts{Location: time.FixedZone("x", -(75 * 60))}, winter, "UTC-01:15"},
		{"timezone unknown", HeaderTimezone, Facts{}, winter, ""},
		{"user agent spec example", HeaderUserAgent, Facts{OSFamily: "Windows", OSVersion: "Server 2012", DeviceManufacturer: "Dell Inc.", DeviceModel: "OptiPlex 980"}, winter, "os-family=Windows&os-version=Server%202012&device-manufacturer=Dell%20Inc.&device-model=OptiPlex%20980"},
		{"user agent unknown hardware sent empty", HeaderUserAgent, Facts{OSFamily: "Linux", OSVersion: "6.1"}, winter, "os-family=Linux&os-version=6.1&device-manufacturer=&device-model="},
		{"user ids domain backslash", HeaderUserIDs, Facts{OSUser: `domain\alice`}, winter, "os=domain%5Calice"},
		{"user ids unicode", HeaderUserIDs, Facts{OSUser: "Zoë"}, winter, "os=Zo%C3%AB"},
		{"user ids extra account, os never duplicated", HeaderUserIDs, Facts{OSUser: `domain\alice`, UserIDs: []Pair{{"os", "mallory"}, {"my-application", "alice123"}}}, winter, "os=domain%5Calice&my-application=alice123"},
		{"screens spec example", HeaderScreens, Facts{Screens: []Screen{{1920, 1080, 1, 16}, {3000, 2000, 1.25, 16}}}, winter, "width=1920&height=1080&scaling-factor=1&colour-depth=16,width=3000&height=2000&scaling-factor=1.25&colour-depth=16"},
		{"screen without known depth or scale leaves keys out", HeaderScreens, Facts{Screens: []Screen{{Width: 1280, Height: 800}}}, winter, "width=1280&height=800"},
		{"zero-size screen dropped, never width=0", HeaderScreens, Facts{Screens: []Screen{{0, 0, 1, 24}, {1024, 768, 2, 24}}}, winter, "width=1024&height=768&scaling-factor=2&colour-depth=24"},
		{"window", HeaderWindowSize, Facts{Window: WindowSize{1256, 803}}, winter, "width=1256&height=803"},
		{"window unknown is empty", HeaderWindowSize, Facts{Window: WindowSize{0, 803}}, winter, ""},
		{"multi-factor spec example", HeaderMultiFactor, Facts{MultiFactor: []MultiFactor{
			{MFAAuthCode, time.Date(2021, 11, 21, 13, 23, 0, 0, time.UTC), "fc4b5fd6816f75a7c81fc8eaa9499d6a299bd803397166e8c4cf9280b801d62c"},
			{MFATOTP, time.Date(2021, 11, 21, 13, 20, 0, 0, time.UTC), "0283da60063abfb3a87f1aed845d17fe2d9ad8b0da7cfd5b2b9a2e4a7f8e4cd2"},
			{MFATOTP, time.Time{}, "incomplete"},
		}}, winter, "type=AUTH_CODE&timestamp=2021-11-21T13%3A23Z&unique-reference=fc4b5fd6816f75a7c81fc8eaa9499d6a299bd803397166e8c4cf9280b801d62c,type=TOTP&timestamp=2021-11-21T13%3A20Z&unique-reference=0283da60063abfb3a87f1aed845d17fe2d9ad8b0da7cfd5b2b9a2e4a7f8e4cd2"},
		{"licence ids", HeaderLicenseIDs, Facts{Vendor: Vendor{LicenceIDs: []Pair{{"my-licensed-software", "8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1"}}}}, winter, "my-licensed-software=8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1"},
		{"no licences", HeaderLicenseIDs, Facts{}, winter, ""},
		{"product name", HeaderProductName, Facts{Vendor: Vendor{ProductName: "Product Name"}}, winter, "Product%20Name"},
		{"vendor version", HeaderVendorVersion, Facts{Vendor: Vendor{Versions: []Pair{{"my-application", "1.6.0"}, {"", "dropped"}, {"lib mtd", "v2.0+dirty"}}}}, winter, "my-application=1.6.0&lib%20mtd=v2.0%2Bdirty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := Headers(DesktopAppDirect, tt.f, tt.now)
			if got := h.Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
			if _, ok := h[canonical(tt.header)]; !ok {
				t.Errorf("%s missing from the header set", tt.header)
			}
		})
	}
}

func mustMAC(t *testing.T, s string) net.HardwareAddr {
	t.Helper()
	mac, err := net.ParseMAC(s)
	if err != nil {
		t.Fatalf("parse mac %q: %v", s, err)
	}
	return mac
}
