package fraud

import (
	"flag"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func canonical(name string) string { return http.CanonicalHeaderKey(name) }

// goldenFacts is a realistic desktop: two screens, a window, IPv4 and IPv6 addresses, a Windows
// domain user with a non-ASCII name, an app account, multi-factor and a licence.
func goldenFacts() Facts {
	return Facts{
		DeviceID: "beec798b-b366-47fa-b1f8-92cede14a1ce",
		LocalIPs: []netip.Addr{
			netip.MustParseAddr("192.168.1.23"),
			netip.MustParseAddr("fd00::2"),
			netip.MustParseAddr("fe80::fc:ff:fe00:1"),
		},
		LocalIPsTimestamp: time.Date(2026, 7, 1, 9, 15, 30, 120_000_000, time.UTC),
		MACAddresses: []net.HardwareAddr{
			{0xea, 0x43, 0x1a, 0x5d, 0x21, 0x45},
			{0x10, 0x12, 0xcc, 0xfa, 0xaa, 0x32},
		},
		OSUser:             `ACME\Zoë Smith`,
		UserIDs:            []Pair{{"vat", "zoe@example.com"}},
		Location:           time.FixedZone("BST", 3600),
		OSFamily:           "Windows",
		OSVersion:          "10.0.22631",
		DeviceManufacturer: "Dell Inc.",
		DeviceModel:        "OptiPlex 7090",
		Screens:            []Screen{{1920, 1080, 1, 24}, {2560, 1440, 1.25, 30}},
		Window:             WindowSize{1256, 803},
		MultiFactor: []MultiFactor{
			{MFATOTP, time.Date(2026, 7, 1, 8, 59, 0, 0, time.UTC), "0283da60063abfb3a87f1aed845d17fe2d9ad8b0da7cfd5b2b9a2e4a7f8e4cd2"},
		},
		Vendor: Vendor{
			ProductName: "vat",
			Versions:    []Pair{{"vat", "1.2.3"}},
			LicenceIDs:  []Pair{{"vat", "8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1"}},
		},
	}
}

// headlessFacts is what a server without display, DMI, MFA or licences honestly reports.
func headlessFacts() Facts {
	f := goldenFacts()
	f.OSUser = "ci"
	f.UserIDs = nil
	f.Location = time.UTC
	f.OSFamily, f.OSVersion = "Linux", "Debian GNU/Linux 12 (bookworm); kernel 6.1.0"
	f.DeviceManufacturer, f.DeviceModel = "", ""
	f.Screens, f.Window, f.MultiFactor = nil, WindowSize{}, nil
	f.Vendor = Vendor{ProductName: "vat", Versions: []Pair{{"vat", "dev"}}}
	f.Missing = map[string]string{HeaderScreens: "no display"}
	return f
}

// renderHeaders prints a header set in the specification's order with HMRC's spelling, failing on
// any header that is not part of the method's set.
func renderHeaders(t *testing.T, m Method, h http.Header) string {
	t.Helper()
	var b strings.Builder
	names := m.HeaderNames()
	seen := map[string]bool{}
	for _, name := range names {
		vs, ok := h[canonical(name)]
		if !ok {
			t.Errorf("%s: required header %s missing", m, name)
			continue
		}
		if len(vs) != 1 {
			t.Errorf("%s: header %s has %d values, want 1", m, name, len(vs))
		}
		seen[canonical(name)] = true
		b.WriteString(name + ": " + strings.Join(vs, "|") + "\n")
	}
	for k := range h {
		if !seen[k] {
			t.Errorf("%s: unexpected header %s", m, k)
		}
	}
	return b.String()
}

func TestHeadersGolden(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 9, 15, 31, 0, time.UTC)
	facts := map[string]Facts{"desktop": goldenFacts(), "headless": headlessFacts()}
	for _, m := range Methods() {
		for fname, f := range facts {
			name := "fraud-" + strings.ToLower(string(m)) + "-" + fname + ".txt"
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				got := renderHeaders(t, m, Headers(m, f, now))
				for i := 0; i < len(got); i++ {
					if got[i] >= 0x80 || got[i] == ' ' && (i == 0 || got[i-1] != ':') {
						t.Fatalf("value not US-ASCII without spaces at byte %d: %q", i, got)
					}
				}
				golden := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("read golden (run with -update to create): %v", err)
				}
				if got != string(want) {
					t.Errorf("headers differ from %s (run go test -update to accept)\n--- got\n%s--- want\n%s", golden, got, want)
				}
			})
		}
	}
}

func TestMethodHeaderSets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		m       Method
		n       int
		absent  []string
		present []string
	}{
		{DesktopAppDirect, 14, nil, []string{HeaderScreens, HeaderWindowSize, HeaderMultiFactor}},
		{OtherDirect, 12, []string{HeaderScreens, HeaderWindowSize}, []string{HeaderMultiFactor}},
		{BatchProcessDirect, 11, []string{HeaderScreens, HeaderWindowSize, HeaderMultiFactor}, []string{HeaderUserIDs, HeaderLicenseIDs}},
	}
	for _, tt := range tests {
		t.Run(string(tt.m), func(t *testing.T) {
			t.Parallel()
			h := Headers(tt.m, goldenFacts(), time.Now())
			if len(h) != tt.n {
				t.Errorf("%d headers, want %d", len(h), tt.n)
			}
			for _, name := range tt.absent {
				if _, ok := h[canonical(name)]; ok {
					t.Errorf("%s must not be sent for %s", name, tt.m)
				}
			}
			for _, name := range tt.present {
				if _, ok := h[canonical(name)]; !ok {
					t.Errorf("%s missing for %s", name, tt.m)
				}
			}
			if got := h.Get(HeaderConnectionMethod); got != string(tt.m) {
				t.Errorf("connection method %q, want %q", got, tt.m)
			}
		})
	}
	if Headers("WEB_APP_VIA_SERVER", goldenFacts(), time.Now()) != nil {
		t.Error("unknown method must yield no headers")
	}
}

func TestParseMethod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Method
		wantErr bool
	}{
		{"", DesktopAppDirect, false},
		{"DESKTOP_APP_DIRECT", DesktopAppDirect, false},
		{"other_direct", OtherDirect, false},
		{"Batch_Process_Direct", BatchProcessDirect, false},
		{"WEB_APP_VIA_SERVER", "", true},
		{"desktop", "", true},
	}
	for _, tt := range tests {
		got, err := ParseMethod(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseMethod(%q) = %q, %v; want %q, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
