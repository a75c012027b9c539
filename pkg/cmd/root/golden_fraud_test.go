package root_test

import (
	"context"
	"encoding/json"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London on a machine without a zoneinfo database

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/fraud"
)

// The goldens of 'vat fraud-headers' use fixed facts, as a device would report them: the real ones
// (how many addresses, whether there is a screen) differ from machine to machine, and a golden
// must not. TestFraudHeadersRealFactsFit covers this machine's own facts.

// Reasons the system collector gives for what it cannot collect.
const (
	noMFA = "vat has no sign-in of its own, so there is no multi-factor authentication to report; " +
		"users authenticate to HMRC directly (HMRC's missing-data procedure applies)"
	noLicence  = "vat is free software and has no licence keys"
	noDMI      = "the firmware exposes no DMI data (/sys/class/dmi/id is absent, as on many virtual machines, containers and ARM boards), so manufacturer and model are unknown"
	noDisplay  = "no display: this is a headless session (neither DISPLAY nor WAYLAND_DISPLAY is set), so there is no screen or window to measure; HMRC's missing-data procedure applies"
	noMAC      = "no network interface reports a hardware (MAC) address"
	deviceUUID = "beec798b-b366-47fa-b1f8-92cede14a1ce"
)

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func london() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return l
}

// desktopFacts: a laptop with a second monitor on an office network.
func desktopFacts() fraud.Facts {
	return fraud.Facts{
		DeviceID:           deviceUUID,
		LocalIPs:           []netip.Addr{netip.MustParseAddr("192.168.1.23"), netip.MustParseAddr("2a00:23c8:1b2a:4d01::17")},
		MACAddresses:       []net.HardwareAddr{mac("3c:22:fb:0a:5e:91"), mac("8c:16:45:c2:7d:03")},
		OSUser:             "alice",
		Location:           london(),
		OSFamily:           "Linux",
		OSVersion:          "Debian GNU/Linux 12 (bookworm); kernel 6.1.0-28-amd64",
		DeviceManufacturer: "Dell Inc.",
		DeviceModel:        "Latitude 5440",
		Screens:            []fraud.Screen{{Width: 1920, Height: 1200, ScalingFactor: 1, ColourDepth: 24}, {Width: 2560, Height: 1440, ScalingFactor: 1, ColourDepth: 24}},
		Window:             fraud.WindowSize{Width: 1130, Height: 717},
		Vendor:             fraud.DefaultVendor(),
		Missing:            map[string]string{fraud.HeaderMultiFactor: noMFA, fraud.HeaderLicenseIDs: noLicence},
	}
}

// headlessFacts: a virtual server with no display and no DMI data, as a CI machine is.
func headlessFacts() fraud.Facts {
	return fraud.Facts{
		DeviceID:     deviceUUID,
		LocalIPs:     []netip.Addr{netip.MustParseAddr("10.0.2.15")},
		MACAddresses: []net.HardwareAddr{mac("52:54:00:12:34:56")},
		OSUser:       "runner",
		Location:     time.UTC,
		OSFamily:     "Linux",
		OSVersion:    "Debian GNU/Linux 12 (bookworm); kernel 6.1.0-28-cloud-amd64",
		Vendor:       fraud.DefaultVendor(),
		Missing: map[string]string{fraud.HeaderMultiFactor: noMFA, fraud.HeaderLicenseIDs: noLicence,
			fraud.HeaderUserAgent: noDMI, fraud.HeaderScreens: noDisplay, fraud.HeaderWindowSize: noDisplay},
	}
}

// containerFacts: a container with only a loopback interface, so no MAC address: HMRC's
// validator counts the empty Gov-Client-MAC-Addresses as an error.
func containerFacts() fraud.Facts {
	f := headlessFacts()
	f.LocalIPs = []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	f.MACAddresses = nil
	f.Missing[fraud.HeaderMACAddresses] = noMAC
	return f
}

// fixedFacts returns the same facts on every run, with the local IP addresses read "now", as the
// system collector reads them just before each request.
type fixedFacts struct {
	facts fraud.Facts
	now   func() time.Time
}

func (c fixedFacts) Collect(context.Context) (fraud.Facts, error) {
	f := c.facts
	f.LocalIPsTimestamp = c.now()
	return f, nil
}

// fraudWorld is a signed-in business whose runs send the headers of facts.
func fraudWorld(t *testing.T, facts fraud.Facts) *viewtest.World {
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	w.Tune = func(f *cmdutil.Factory) { f.FraudFacts = fixedFacts{facts: facts, now: f.Now} }
	return w
}

// showWorld is a fraudWorld whose clock stands still at noon, so that the goldens of 'show' hold
// the local IPs' timestamp as vat writes it. 'show' sends nothing: no emulator judges its age.
func showWorld(t *testing.T, facts fraud.Facts) *viewtest.World {
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	w.Tune = func(f *cmdutil.Factory) {
		f.Now = func() time.Time { return viewtest.Today }
		f.FraudFacts = fixedFacts{facts: facts, now: f.Now}
	}
	return w
}

// millisRE is a time with milliseconds on the goldens' day (the local IPs' timestamp, HMRC's
// request timestamp): the emulator's clock moves on at the real pace from noon.
var millisRE = regexp.MustCompile(`2026-11-29T12:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z`)

// fixFraud masks the clocks of validate and feedback, whose headers the emulator judges by its
// own, running clock.
func fixFraud(s string) string {
	s = millisRE.ReplaceAllStringFunc(s, func(m string) string { return pad("NOW", m) })
	return fixClock(s)
}

// fraudGoldens runs goldens and checks that the JSON document validates against its schema.
func fraudGoldens(t *testing.T, w *viewtest.World, name, schema string, fix func(string) string, args ...string) {
	t.Helper()
	goldens(t, w, name, fix, args...)
	r := w.Run(append(append([]string{}, args...), "-o", "json")...)
	if err := root.CheckSchema(schema, r.Out); err != nil {
		t.Errorf("%s -o json does not match schema %s: %v\n%s", name, schema, err, r.Out)
	}
}

func TestFraudHeadersShowGolden(t *testing.T) {
	t.Parallel()
	w := showWorld(t, desktopFacts())
	fraudGoldens(t, w, "fraud-headers-show", "fraud-headers-show", nil, "fraud-headers", "show")
	fraudGoldens(t, w, "fraud-headers-show-batch", "fraud-headers-show", nil, "fraud-headers", "show", "--method", "BATCH_PROCESS_DIRECT")
	h := showWorld(t, headlessFacts())
	fraudGoldens(t, h, "fraud-headers-show-headless", "fraud-headers-show", nil, "fraud-headers")
	// The goldens' narrow tables break the values across lines; joined, they are whole.
	shownWhole(t, w, "fraud-headers", "show")
	shownWhole(t, h, "fraud-headers", "show")
}

func TestFraudHeadersValidateGolden(t *testing.T) {
	t.Parallel()
	fraudGoldens(t, fraudWorld(t, desktopFacts()), "fraud-headers-validate", "fraud-headers-validate", fixFraud, "fraud-headers", "validate")
	fraudGoldens(t, fraudWorld(t, headlessFacts()), "fraud-headers-validate-headless", "fraud-headers-validate", fixFraud, "fraud-headers", "validate")
	fraudGoldens(t, fraudWorld(t, containerFacts()), "fraud-headers-validate-no-mac", "fraud-headers-validate", fixFraud, "fraud-headers", "validate")
}

func TestFraudHeadersFeedbackGolden(t *testing.T) {
	t.Parallel()
	w := fraudWorld(t, headlessFacts())
	if r := w.Run("obligations"); r.Code != 0 {
		t.Fatalf("obligations: exit %d\n%s", r.Code, r.Err)
	}
	fraudGoldens(t, w, "fraud-headers-feedback", "fraud-headers-feedback", fixFraud, "fraud-headers", "feedback")
	fraudGoldens(t, w, "fraud-headers-feedback-none", "fraud-headers-feedback", fixFraud, "fraud-headers", "feedback", "--method", "BATCH_PROCESS_DIRECT")
}

// TestFraudHeadersRealFactsFit shows this machine's own headers on an 80-column terminal: every
// line fits, and every value, joined back from its wrapped lines, is the value sent.
func TestFraudHeadersRealFactsFit(t *testing.T) {
	t.Parallel()
	shownWhole(t, viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200}), "fraud-headers", "show")
}

// shownWhole runs args (a 'show') as JSON and on an 80-column terminal, and checks that the
// terminal's lines fit and hold every header's value exactly, wrapped.
func shownWhole(t *testing.T, w *viewtest.World, args ...string) {
	t.Helper()
	r := w.Run(append(append([]string{}, args...), "-o", "json")...)
	var doc struct {
		Headers []fraud.Line `json:"headers"`
	}
	if err := json.Unmarshal([]byte(r.Out), &doc); r.Code != 0 || err != nil {
		t.Fatalf("%v -o json: exit %d, %v\n%s%s", args, r.Code, err, r.Out, r.Err)
	}
	tty := w.RunTTY(80, args...)
	if tty.Code != 0 {
		t.Fatalf("%v: exit %d\n%s", args, tty.Code, tty.Err)
	}
	for _, line := range viewtest.OverWide(tty.Out, 80) {
		t.Errorf("a line of %d at 80 columns:\n%s", ansi.StringWidth(line), line)
	}
	shown := tableValues(t, tty.Out)
	if len(shown) != len(doc.Headers) {
		t.Fatalf("%d rows on the terminal, %d headers:\n%s", len(shown), len(doc.Headers), tty.Out)
	}
	for i, l := range doc.Headers {
		got := shown[i]
		if got[0] != l.Header {
			t.Errorf("row %d is %q, want %s", i, got[0], l.Header)
			continue
		}
		if l.Header == fraud.HeaderLocalIPsTimestamp && !l.Empty {
			// Read again for the terminal's run: only its form is the same.
			if _, err := time.Parse(fraud.TimestampLayout, got[1]); err != nil {
				t.Errorf("%s shown as %q: %v", l.Header, got[1], err)
			}
			continue
		}
		if got[1] != l.Value {
			t.Errorf("%s shown as %q, sent as %q", l.Header, got[1], l.Value)
		}
	}
}

// tableValues reads each header's value back from what a narrow terminal shows: a block per
// header, its value on the "value" line and the lines under it (a long value is broken at the
// width, so its lines joined are the value), "(empty)" for an empty one.
func tableValues(t *testing.T, out string) [][2]string {
	t.Helper()
	var rows [][2]string
	inValue := false
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		switch {
		case l == "":
			inValue = false
		case !strings.HasPrefix(l, " "):
			rows = append(rows, [2]string{l, ""})
			inValue = false
		case strings.HasPrefix(l, "  value   ") && len(rows) > 0:
			v := strings.TrimPrefix(l, "  value   ")
			if v == "(empty)" {
				v = ""
			}
			rows[len(rows)-1][1], inValue = v, true
		case strings.HasPrefix(l, "  source  "):
			inValue = false
		case inValue && strings.HasPrefix(l, strings.Repeat(" ", 10)):
			rows[len(rows)-1][1] += strings.TrimPrefix(l, strings.Repeat(" ", 10))
		}
	}
	if len(rows) == 0 {
		t.Fatalf("no header blocks:\n%s", out)
	}
	return rows
}
