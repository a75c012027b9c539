package fraud

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

func TestSelectLocalIPs(t *testing.T) {
	t.Parallel()
	up, loop := net.FlagUp, net.FlagUp|net.FlagLoopback
	tests := []struct {
		name string
		ifs  []iface
		want string
	}{
		{"loopback dropped when others exist",
			[]iface{{name: "lo", flags: loop, addrs: addrs("127.0.0.1", "::1")}, {name: "eth0", flags: up, addrs: addrs("192.0.2.2", "fd00::2", "fe80::fc:ff:fe00:1")}},
			"192.0.2.2 fd00::2 fe80::fc:ff:fe00:1"},
		{"loopback kept when alone",
			[]iface{{name: "lo", flags: loop, addrs: addrs("127.0.0.1", "::1")}},
			"127.0.0.1 ::1"},
		{"down interface ignored",
			[]iface{{name: "eth0", flags: up, addrs: addrs("10.0.0.5")}, {name: "wlan0", flags: 0, addrs: addrs("10.9.9.9")}},
			"10.0.0.5"},
		{"duplicates, mapped v4 and zones normalised",
			[]iface{{name: "a", flags: up, addrs: addrs("::ffff:10.0.0.5", "10.0.0.5", "fe80::1%eth0", "fe80::1")}},
			"10.0.0.5 fe80::1"},
		{"unspecified ignored", []iface{{name: "a", flags: up, addrs: addrs("0.0.0.0", "::")}}, ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, a := range selectLocalIPs(tt.ifs) {
				got = append(got, a.String())
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}

func TestSelectMACs(t *testing.T) {
	t.Parallel()
	mac := func(s string) net.HardwareAddr { return mustMAC(t, s) }
	ifs := []iface{
		{name: "lo", flags: net.FlagLoopback | net.FlagUp, mac: mac("00:00:00:00:00:00")},
		{name: "eth0", flags: net.FlagUp, mac: mac("02:fc:00:00:00:01")},
		{name: "ifb0", mac: mac("06:f5:36:f4:f7:6f")},
		{name: "bond0", flags: net.FlagUp, mac: mac("02:fc:00:00:00:01")},
		{name: "zero", mac: mac("00:00:00:00:00:00")},
		{name: "ib0", mac: mac("00:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:01:23:45")},
		{name: "tun0", flags: net.FlagUp},
	}
	var got []string
	for _, m := range selectMACs(ifs) {
		got = append(got, m.String())
	}
	if s, want := strings.Join(got, " "), "02:fc:00:00:00:01 06:f5:36:f4:f7:6f"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
}

func TestLoadDeviceID(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cfg", "vat")
	id, err := LoadDeviceID(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 4 || u.String() != id {
		t.Fatalf("device id %q is not a canonical UUID v4 (%v)", id, err)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
			t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
		}
		if st, _ := os.Stat(filepath.Join(dir, DeviceIDFile)); st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", st.Mode().Perm())
		}
	}
	for range 3 {
		again, err := LoadDeviceID(dir)
		if err != nil || again != id {
			t.Fatalf("second load = %q, %v; want the same id %q", again, err, id)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestLoadDeviceIDConcurrentFirstRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 8
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { ids[i], errs[i] = LoadDeviceID(dir) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("run %d got %q, %v; run 0 got %q", i, ids[i], errs[i], ids[0])
		}
	}
}

func TestLoadDeviceIDRejectsCorruptFile(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, content string }{
		{"not a uuid", "hello"},
		{"empty", ""},
		{"urn form", "urn:uuid:beec798b-b366-47fa-b1f8-92cede14a1ce"},
		{"huge", strings.Repeat("a", 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, DeviceIDFile)
			os.WriteFile(path, []byte(tt.content), 0o600)
			if id, err := LoadDeviceID(dir); err == nil {
				t.Fatalf("accepted %q as %q", tt.content, id)
			} else if !strings.Contains(err.Error(), "delete it") {
				t.Errorf("error gives no way out: %v", err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.content {
				t.Error("corrupt file was replaced; the user must decide")
			}
		})
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, DeviceIDFile), []byte(" BEEC798B-B366-47FA-B1F8-92CEDE14A1CE\r\n"), 0o600)
	if id, err := LoadDeviceID(dir); err != nil || id != "beec798b-b366-47fa-b1f8-92cede14a1ce" {
		t.Errorf("upper-case id with CRLF: %q, %v", id, err)
	}
	if _, err := LoadDeviceID(""); err == nil {
		t.Error("empty config dir accepted")
	}
}

var (
	uuidRE  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	tsRE    = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	tzRE    = regexp.MustCompile(`^UTC[+-]\d\d:\d\d$`)
	encRE   = regexp.MustCompile(`^(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*$`)
	macRE   = regexp.MustCompile(`^[0-9a-f]{2}(?:%3A[0-9a-f]{2}){5}$`)
	kvRE    = regexp.MustCompile(`^(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+=(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*$`)
	placeRE = regexp.MustCompile(`(?i)(^|[=,&])(null|undefined|unknown|/)($|[,&])|width=0|height=0`)
)

// checkSyntax checks a header set against the specification's formats, independently of the code
// that built it.
func checkSyntax(t *testing.T, m Method, h http.Header) {
	t.Helper()
	for _, p := range syntaxProblems(m, h) {
		t.Error(p)
	}
}

// problemCollector has the Errorf shape of testing.T so the checks can be tested themselves.
type problemCollector []string

func (p *problemCollector) Errorf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func syntaxProblems(m Method, h http.Header) []string {
	var probs problemCollector
	t := &probs
	for _, name := range m.HeaderNames() {
		v := h.Get(name)
		if placeRE.MatchString(v) {
			t.Errorf("%s carries a placeholder: %q", name, v)
		}
		switch name {
		case HeaderConnectionMethod:
			if v != string(m) {
				t.Errorf("%s = %q", name, v)
			}
		case HeaderDeviceID:
			if !uuidRE.MatchString(v) {
				t.Errorf("%s = %q, want UUID v4", name, v)
			}
		case HeaderLocalIPs:
			if v == "" {
				t.Errorf("%s empty on a machine with a network", name)
			}
			for _, item := range strings.Split(v, ",") {
				if _, err := netip.ParseAddr(strings.ReplaceAll(item, "%3A", ":")); err != nil || !encRE.MatchString(item) {
					t.Errorf("%s item %q: not an encoded IP", name, item)
				}
			}
		case HeaderLocalIPsTimestamp:
			if !tsRE.MatchString(v) {
				t.Errorf("%s = %q", name, v)
			}
		case HeaderMACAddresses:
			for _, item := range strings.Split(v, ",") {
				if v != "" && !macRE.MatchString(item) {
					t.Errorf("%s item %q", name, item)
				}
			}
		case HeaderTimezone:
			if !tzRE.MatchString(v) {
				t.Errorf("%s = %q", name, v)
			}
		case HeaderUserAgent, HeaderUserIDs, HeaderVendorVersion, HeaderWindowSize, HeaderLicenseIDs:
			if v == "" {
				if name == HeaderUserAgent || name == HeaderUserIDs || name == HeaderVendorVersion {
					t.Errorf("%s empty", name)
				}
				continue
			}
			for _, kv := range strings.Split(v, "&") {
				if !kvRE.MatchString(kv) {
					t.Errorf("%s pair %q malformed", name, kv)
				}
			}
			if name == HeaderUserIDs && !strings.HasPrefix(v, "os=") {
				t.Errorf("%s lacks os=: %q", name, v)
			}
			if name == HeaderUserAgent && !strings.HasPrefix(v, "os-family=") || strings.HasPrefix(v, "os-family=&") {
				t.Errorf("%s lacks os-family: %q", name, v)
			}
		case HeaderScreens, HeaderMultiFactor:
			for _, item := range strings.Split(v, ",") {
				for _, kv := range strings.Split(item, "&") {
					if v != "" && !kvRE.MatchString(kv) {
						t.Errorf("%s pair %q malformed", name, kv)
					}
				}
			}
		case HeaderProductName:
			if v == "" || !encRE.MatchString(v) {
				t.Errorf("%s = %q", name, v)
			}
		}
	}
	return probs
}

// TestSyntaxChecksCanFail proves the independent checks reject what HMRC rejects, so a passing
// real collection means something.
func TestSyntaxChecksCanFail(t *testing.T) {
	t.Parallel()
	good := Headers(DesktopAppDirect, goldenFacts(), time.Now())
	if p := syntaxProblems(DesktopAppDirect, good); len(p) != 0 {
		t.Fatalf("golden headers rejected: %v", p)
	}
	tests := []struct{ header, value string }{
		{HeaderDeviceID, "not-a-uuid"},
		{HeaderLocalIPs, "fe80::1"},
		{HeaderLocalIPs, "10.0.0.1,,10.0.0.2"},
		{HeaderLocalIPs, ""},
		{HeaderLocalIPsTimestamp, "2026-07-01T09:15:30Z"},
		{HeaderMACAddresses, "ea:43:1a:5d:21:45"},
		{HeaderTimezone, "GMT"},
		{HeaderUserAgent, "os-family=Windows&os-version=Server 2012"},
		{HeaderUserAgent, "os-family=&os-version=1"},
		{HeaderUserIDs, "app=alice"},
		{HeaderScreens, "width=0&height=0"},
		{HeaderWindowSize, "width=1256+height=803"},
		{HeaderVendorVersion, ""},
		{HeaderProductName, "null"},
		{HeaderProductName, "My Product"},
	}
	for _, tt := range tests {
		h := good.Clone()
		h.Set(tt.header, tt.value)
		if p := syntaxProblems(DesktopAppDirect, h); len(p) == 0 {
			t.Errorf("%s: %q accepted", tt.header, tt.value)
		}
	}
}

// TestRealCollection collects on the machine running the tests (a headless CI box among others) and
// checks that every method's header set is syntactically valid and honest about what is missing.
func TestRealCollection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := NewSystemCollector(dir, DefaultVendor())
	f, err := c.Collect(t.Context())
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	again, err := NewSystemCollector(dir, DefaultVendor()).Collect(t.Context())
	if err != nil || again.DeviceID != f.DeviceID {
		t.Errorf("device id not reused: %q then %q (%v)", f.DeviceID, again.DeviceID, err)
	}
	if f.OSFamily == "" || f.OSUser == "" || f.Location == nil {
		t.Errorf("basic facts missing: family %q user %q location %v", f.OSFamily, f.OSUser, f.Location)
	}
	for _, hdr := range []string{HeaderScreens, HeaderWindowSize} {
		empty := len(f.Screens) == 0
		if hdr == HeaderWindowSize {
			empty = f.Window == (WindowSize{})
		}
		if empty && f.Missing[hdr] == "" {
			t.Errorf("%s empty without a reason", hdr)
		}
	}
	if f.DeviceManufacturer == "" && f.Missing[HeaderUserAgent] == "" {
		t.Error("manufacturer empty without a reason")
	}
	now := time.Now()
	for _, m := range Methods() {
		h := Headers(m, f, now)
		checkSyntax(t, m, h)
		if t.Failed() {
			t.Logf("%s headers: %v", m, h)
		}
	}
	ips, err := c.(LocalIPsCollector).LocalIPs(t.Context())
	if err != nil || len(ips) == 0 {
		t.Errorf("LocalIPs = %v, %v", ips, err)
	}
}
