package fraud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/user"
	"runtime"
	"time"
)

// NewSystemCollector returns a [Collector] that reads the real facts of this device without root:
// network interfaces, OS user, time zone, OS and hardware names, and screens where the platform can
// tell. The device ID is kept in configDir/device-id. The collector also implements
// [LocalIPsCollector].
func NewSystemCollector(configDir string, vendor Vendor) Collector {
	return &systemCollector{
		configDir:  configDir,
		vendor:     vendor,
		now:        time.Now,
		getenv:     os.Getenv,
		readFile:   readSmallFile,
		run:        runCommand,
		interfaces: systemInterfaces,
		location:   func() *time.Location { return time.Local },
		ttyPixels:  ttyPixelSize,
	}
}

// systemCollector reaches the operating system only through its function fields, so tests can
// replace any of them.
type systemCollector struct {
	configDir  string
	vendor     Vendor
	now        func() time.Time
	getenv     func(string) string
	readFile   func(string) ([]byte, error)
	run        func(ctx context.Context, name string, args ...string) ([]byte, error)
	interfaces func() ([]iface, error)
	location   func() *time.Location
	ttyPixels  func() (width, height int, ok bool)
}

// iface is what the collector needs to know about one network interface.
type iface struct {
	name  string
	flags net.Flags
	mac   net.HardwareAddr
	addrs []netip.Addr
}

// Collect implements [Collector].
func (c *systemCollector) Collect(ctx context.Context) (Facts, error) {
	f := Facts{Vendor: c.vendor, Missing: map[string]string{}}
	id, err := LoadDeviceID(c.configDir)
	if err != nil {
		return Facts{}, err
	}
	f.DeviceID = id

	ifs, err := c.interfaces()
	if err != nil {
		return Facts{}, fmt.Errorf("list network interfaces: %w", err)
	}
	f.LocalIPs = selectLocalIPs(ifs)
	f.LocalIPsTimestamp = c.now()
	if len(f.LocalIPs) == 0 {
		f.Missing[HeaderLocalIPs] = "the device has no IP address on any interface"
		f.Missing[HeaderLocalIPsTimestamp] = "no local IP addresses were collected"
	}
	f.MACAddresses = selectMACs(ifs)
	if len(f.MACAddresses) == 0 {
		f.Missing[HeaderMACAddresses] = "no network interface reports a hardware (MAC) address"
	}

	f.OSUser, err = c.osUser()
	if err != nil {
		return Facts{}, err
	}
	f.Location = c.location()

	c.platform(ctx, &f)
	if len(f.MultiFactor) == 0 {
		f.Missing[HeaderMultiFactor] = "vat has no sign-in of its own, so there is no multi-factor authentication to report; " +
			"users authenticate to HMRC directly (HMRC's missing-data procedure applies)"
	}
	if len(f.Vendor.LicenceIDs) == 0 {
		f.Missing[HeaderLicenseIDs] = "vat is free software and has no licence keys"
	}
	return f, nil
}

// LocalIPs implements [LocalIPsCollector].
func (c *systemCollector) LocalIPs(context.Context) ([]netip.Addr, error) {
	ifs, err := c.interfaces()
	if err != nil {
		return nil, fmt.Errorf("list network interfaces: %w", err)
	}
	return selectLocalIPs(ifs), nil
}

// selectLocalIPs returns the addresses of the interfaces that are up, without duplicates. Loopback
// addresses say nothing about the device and are kept only when it has no other address.
func selectLocalIPs(ifs []iface) []netip.Addr {
	var out, loop []netip.Addr
	seen := map[netip.Addr]bool{}
	for _, i := range ifs {
		if i.flags&net.FlagUp == 0 {
			continue
		}
		for _, a := range i.addrs {
			a = a.Unmap().WithZone("")
			if !a.IsValid() || a.IsUnspecified() || seen[a] {
				continue
			}
			seen[a] = true
			if a.IsLoopback() || i.flags&net.FlagLoopback != 0 {
				loop = append(loop, a)
			} else {
				out = append(out, a)
			}
		}
	}
	if len(out) == 0 {
		return loop
	}
	return out
}

// selectMACs returns the distinct, non-zero six-octet hardware addresses of all interfaces (up or
// not: a MAC identifies hardware whether or not it is connected).
func selectMACs(ifs []iface) []net.HardwareAddr {
	var out []net.HardwareAddr
	seen := map[string]bool{}
	for _, i := range ifs {
		// HMRC's format is the six-octet EUI-48; longer link-layer addresses (InfiniBand,
		// FireWire) are not MAC addresses in that sense.
		if len(i.mac) != 6 || i.flags&net.FlagLoopback != 0 || allZero(i.mac) || seen[i.mac.String()] {
			continue
		}
		seen[i.mac.String()] = true
		out = append(out, i.mac)
	}
	return out
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// systemInterfaces reads the interfaces through the standard library.
func systemInterfaces() ([]iface, error) {
	nifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]iface, 0, len(nifs))
	for _, ni := range nifs {
		i := iface{name: ni.Name, flags: ni.Flags, mac: ni.HardwareAddr}
		addrs, err := ni.Addrs()
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", ni.Name, err)
		}
		for _, a := range addrs {
			var ip net.IP
			switch v := a.(type) {
			case *net.IPNet:
				ip = v.IP
			case *net.IPAddr:
				ip = v.IP
			}
			if addr, ok := netip.AddrFromSlice(ip); ok {
				i.addrs = append(i.addrs, addr)
			}
		}
		out = append(out, i)
	}
	return out, nil
}

// osUser names the signed-in OS account. The environment is a fallback for containers whose user
// has no passwd entry; with neither, the request must not go out without the required os= value.
func (c *systemCollector) osUser() (string, error) {
	u, err := user.Current()
	if err == nil && u.Username != "" {
		return u.Username, nil
	}
	if runtime.GOOS == "windows" {
		if name := c.getenv("USERNAME"); name != "" {
			if dom := c.getenv("USERDOMAIN"); dom != "" {
				return dom + `\` + name, nil
			}
			return name, nil
		}
	}
	for _, k := range []string{"USER", "LOGNAME"} {
		if name := c.getenv(k); name != "" {
			return name, nil
		}
	}
	if err == nil {
		err = errors.New("empty user name")
	}
	return "", fmt.Errorf("determine the os user: %w", err)
}

// maxSmallFile bounds reads of system files such as os-release and DMI entries.
const maxSmallFile = 64 << 10

func readSmallFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSmallFile))
}

// setHardware fills manufacturer and model, explaining any that is missing or a firmware placeholder.
func setHardware(f *Facts, manufacturer, model, source string) {
	var reasons []string
	if v, ok := cleanHardwareName(manufacturer); ok {
		f.DeviceManufacturer = v
	} else if v != "" {
		reasons = append(reasons, fmt.Sprintf("the manufacturer in %s is the firmware placeholder %q", source, v))
	} else {
		reasons = append(reasons, "no manufacturer in "+source)
	}
	if v, ok := cleanHardwareName(model); ok {
		f.DeviceModel = v
	} else if v != "" {
		reasons = append(reasons, fmt.Sprintf("the model in %s is the firmware placeholder %q", source, v))
	} else {
		reasons = append(reasons, "no model in "+source)
	}
	if len(reasons) > 0 {
		f.Missing[HeaderUserAgent] = joinReasons(reasons)
	}
}

func joinReasons(rs []string) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += "; "
		}
		s += r
	}
	return s
}
