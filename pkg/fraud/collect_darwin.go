//go:build darwin

package fraud

import (
	"context"
	"strings"

	"golang.org/x/sys/unix"
)

// platform fills the macOS facts: sw_vers for the OS, sysctl for the model, and system_profiler
// for the displays (it works over SSH too, since the displays belong to the device).
func (c *systemCollector) platform(ctx context.Context, f *Facts) {
	if out, err := c.run(ctx, "sw_vers"); err == nil {
		f.OSFamily, f.OSVersion = parseSwVers(out)
	}
	if f.OSVersion == "" {
		// kern.osproductversion exists since macOS 10.13.4 and needs no child process.
		if v, err := unix.Sysctl("kern.osproductversion"); err == nil {
			f.OSVersion = strings.TrimSpace(v)
		}
	}
	if f.OSFamily == "" {
		f.OSFamily = "macOS"
	}
	model, err := unix.Sysctl("hw.model")
	if err != nil {
		model = ""
	}
	// Every Mac is made by Apple; only the model needs asking.
	setHardware(f, "Apple Inc.", model, "sysctl hw.model")

	out, err := c.run(ctx, "system_profiler", "SPDisplaysDataType", "-json")
	if err != nil {
		f.Missing[HeaderScreens] = "could not read the displays: " + err.Error()
	} else if screens, err := parseSystemProfiler(out); err != nil {
		f.Missing[HeaderScreens] = "could not understand system_profiler's display report: " + err.Error()
	} else if f.Screens = screens; len(screens) == 0 {
		f.Missing[HeaderScreens] = "no display is attached (system_profiler lists none)"
	}
	if w, h, ok := c.ttyPixels(); ok {
		f.Window = WindowSize{Width: w, Height: h}
	} else {
		f.Missing[HeaderWindowSize] = "vat runs in a terminal and has no window of its own; the terminal " +
			"does not report its size in pixels"
	}
}
