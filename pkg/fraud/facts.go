package fraud

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/vatbridge/vat/pkg/build"
)

// Facts are the raw observations behind the headers. Zero values mean "could not be collected";
// [Headers] then sends the header empty, and Missing says why.
type Facts struct {
	// DeviceID is the UUID kept on the device for ever (Gov-Client-Device-ID).
	DeviceID string
	// LocalIPs are the device's own addresses and LocalIPsTimestamp when they were read.
	LocalIPs          []netip.Addr
	LocalIPsTimestamp time.Time
	// MACAddresses are the non-zero hardware addresses of the device's interfaces.
	MACAddresses []net.HardwareAddr
	// OSUser is the operating-system account running the program (domain\user on Windows).
	OSUser string
	// UserIDs are extra application accounts, sent after os=<OSUser> in Gov-Client-User-IDs.
	UserIDs []Pair
	// Location is the device's time zone; the offset is taken at the request time so that it is
	// right on both sides of a daylight-saving change.
	Location *time.Location
	// OSFamily, OSVersion, DeviceManufacturer and DeviceModel make up Gov-Client-User-Agent.
	OSFamily           string
	OSVersion          string
	DeviceManufacturer string
	DeviceModel        string
	// Screens lists the attached displays; empty on a machine without one.
	Screens []Screen
	// Window is the size of the program's window in pixels; zero when it has none.
	Window WindowSize
	// MultiFactor lists the factors the user passed to get into this software.
	MultiFactor []MultiFactor
	// Vendor describes the software itself.
	Vendor Vendor
	// Missing explains, per header name (HMRC's spelling), why a value could not be collected.
	Missing map[string]string
}

// Screen is one display as Gov-Client-Screens reports it. Zero ScalingFactor or ColourDepth means
// unknown, and that key is left out rather than guessed.
type Screen struct {
	Width         int     `json:"width"`
	Height        int     `json:"height"`
	ScalingFactor float64 `json:"scalingFactor,omitempty"`
	ColourDepth   int     `json:"colourDepth,omitempty"`
}

// WindowSize is the program window's size in pixels.
type WindowSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// MFAType is the kind of a second factor as HMRC names it.
type MFAType string

// The factor types HMRC accepts.
const (
	MFATOTP     MFAType = "TOTP"
	MFAAuthCode MFAType = "AUTH_CODE"
	MFAOther    MFAType = "OTHER"
)

// MultiFactor is one factor used to sign in to the software (not to HMRC). UniqueReference must be a
// stable salted hash that identifies the factor, never the secret itself.
type MultiFactor struct {
	Type            MFAType
	Timestamp       time.Time
	UniqueReference string
}

// Vendor is what the software says about itself.
type Vendor struct {
	// ProductName is the name marketed to users (Gov-Vendor-Product-Name).
	ProductName string
	// Versions are software-name=version pairs (Gov-Vendor-Version).
	Versions []Pair
	// LicenceIDs are software-name=hashed-licence pairs (Gov-Vendor-License-IDs); none for free software.
	LicenceIDs []Pair
}

// DefaultVendor describes this build of vat: product name "vat" and version vat=<build.Version>.
func DefaultVendor() Vendor {
	return Vendor{
		ProductName: build.ProductName,
		Versions:    []Pair{{Key: build.ProductName, Value: build.Version}},
	}
}

// Collector gathers the facts of the device a request leaves from.
type Collector interface {
	Collect(ctx context.Context) (Facts, error)
}

// LocalIPsCollector is implemented by collectors that can re-read the local addresses on their own,
// cheaply, so that a [Transport] can refresh them right before every request while keeping the
// slower facts cached.
type LocalIPsCollector interface {
	LocalIPs(ctx context.Context) ([]netip.Addr, error)
}

// StaticCollector returns fixed facts, for tests and for replaying facts recorded elsewhere.
type StaticCollector Facts

// Collect returns the fixed facts.
func (s StaticCollector) Collect(context.Context) (Facts, error) { return Facts(s), nil }
