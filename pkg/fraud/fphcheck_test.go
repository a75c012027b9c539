package fraud_test

import (
	"net"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/sandbox/fphcheck"
)

// TestRealCollectionPassesValidator collects on this machine (headless in CI) and grades the result
// with the emulator's validator, which was written independently from the spec: no errors are
// allowed; warnings for honestly empty values are expected.
func TestRealCollectionPassesValidator(t *testing.T) {
	t.Parallel()
	c := fraud.NewSystemCollector(t.TempDir(), fraud.DefaultVendor())
	f, err := c.Collect(t.Context())
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	now := time.Now()
	for _, m := range fraud.Methods() {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			res := fphcheck.Validate(fraud.Headers(m, f, now), now)
			for _, e := range res.Errors {
				t.Errorf("error %s on %v: %s", e.Code, e.Headers, e.Message)
			}
			for _, w := range res.Warnings {
				t.Logf("warning %s on %v: %s", w.Code, w.Headers, w.Message)
			}
			if res.Code == "INVALID_HEADERS" {
				t.Errorf("overall code %s", res.Code)
			}
		})
	}
}

// TestCompleteFactsPassValidator grades a desktop whose every fact is known: with every value present there must be
// neither errors nor warnings.
func TestCompleteFactsPassValidator(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	f := fraud.Facts{
		DeviceID:           "beec798b-b366-47fa-b1f8-92cede14a1ce",
		OSUser:             `ACME\Zoë Smith`,
		Location:           time.UTC,
		OSFamily:           "Windows",
		OSVersion:          "10.0.22631",
		DeviceManufacturer: "Dell Inc.",
		DeviceModel:        "OptiPlex 7090",
		Screens:            []fraud.Screen{{Width: 1920, Height: 1080, ScalingFactor: 1, ColourDepth: 24}},
		Window:             fraud.WindowSize{Width: 1256, Height: 803},
		MultiFactor:        []fraud.MultiFactor{{Type: fraud.MFATOTP, Timestamp: now.Add(-time.Minute), UniqueReference: "0283da60063abfb3"}},
		Vendor: fraud.Vendor{ProductName: "vat", Versions: []fraud.Pair{{Key: "vat", Value: "1.2.3"}},
			LicenceIDs: []fraud.Pair{{Key: "vat", Value: "8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1"}}},
	}
	ips, err := fraud.NewSystemCollector(t.TempDir(), fraud.DefaultVendor()).(fraud.LocalIPsCollector).LocalIPs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f.LocalIPs, f.LocalIPsTimestamp = ips, now
	f.MACAddresses = []net.HardwareAddr{{0xea, 0x43, 0x1a, 0x5d, 0x21, 0x45}}
	res := fphcheck.Validate(fraud.Headers(fraud.DesktopAppDirect, f, now), now)
	for _, e := range res.Errors {
		t.Errorf("error %s on %v: %s", e.Code, e.Headers, e.Message)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning %s on %v: %s", w.Code, w.Headers, w.Message)
	}
}
