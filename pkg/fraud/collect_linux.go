//go:build linux

package fraud

import (
	"context"
	"errors"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// platform fills the Linux facts: distribution and kernel, DMI vendor and model (world-readable in
// /sys, no root needed), and screens through X11 tools when a display is present.
func (c *systemCollector) platform(ctx context.Context, f *Facts) {
	var uts unix.Utsname
	kernel, family := "", "Linux"
	if err := unix.Uname(&uts); err == nil {
		family = unix.ByteSliceToString(uts.Sysname[:])
		kernel = unix.ByteSliceToString(uts.Release[:])
	}
	var osRelease map[string]string
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		if b, err := c.readFile(p); err == nil {
			osRelease = parseOSRelease(b)
			break
		}
	}
	f.OSFamily = family
	f.OSVersion = linuxVersion(osRelease, kernel)

	vendor, verr := c.readFile("/sys/class/dmi/id/sys_vendor")
	product, perr := c.readFile("/sys/class/dmi/id/product_name")
	if errors.Is(verr, fs.ErrNotExist) && errors.Is(perr, fs.ErrNotExist) {
		f.Missing[HeaderUserAgent] = "the firmware exposes no DMI data (/sys/class/dmi/id is absent, " +
			"as on many virtual machines, containers and ARM boards), so manufacturer and model are unknown"
	} else {
		setHardware(f, string(vendor), string(product), "/sys/class/dmi/id")
	}

	c.linuxDisplay(ctx, f)
}

var windowIDRE = regexp.MustCompile(`^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$`)

// linuxDisplay reads screens with xrandr and the terminal's window with xwininfo. Without an X
// display there is nothing to measure, and nothing is made up.
func (c *systemCollector) linuxDisplay(ctx context.Context, f *Facts) {
	const headless = "no display: this is a headless session (neither DISPLAY nor WAYLAND_DISPLAY is set), " +
		"so there is no screen or window to measure; HMRC's missing-data procedure applies"
	display, wayland := c.getenv("DISPLAY"), c.getenv("WAYLAND_DISPLAY")
	switch {
	case display == "" && wayland == "":
		f.Missing[HeaderScreens] = headless
		f.Missing[HeaderWindowSize] = headless
		return
	case display == "":
		const why = "a Wayland session without X11 gives a terminal program no portable way to read screen or window sizes"
		f.Missing[HeaderScreens] = why
		f.Missing[HeaderWindowSize] = why
		return
	}

	out, err := c.run(ctx, "xrandr", "--query")
	if err != nil {
		f.Missing[HeaderScreens] = "could not read screen sizes from the X display: " + err.Error()
	} else if f.Screens = parseXrandr(out); len(f.Screens) == 0 {
		f.Missing[HeaderScreens] = "xrandr reports no active screen"
	}
	if len(f.Screens) > 0 {
		// X11 has a single colour depth, that of the root window.
		if root, err := c.run(ctx, "xwininfo", "-root"); err == nil {
			if _, _, depth := parseXwininfo(root); depth > 0 {
				for i := range f.Screens {
					f.Screens[i].ColourDepth = depth
				}
			}
		}
		// GTK's integer UI scale is the only scaling factor a desktop publishes to programs.
		if s, err := strconv.Atoi(strings.TrimSpace(c.getenv("GDK_SCALE"))); err == nil && s > 0 && s < 10 {
			for i := range f.Screens {
				f.Screens[i].ScalingFactor = float64(s)
			}
		}
	}

	if w, h, ok := c.ttyPixels(); ok {
		f.Window = WindowSize{Width: w, Height: h}
		return
	}
	// Terminal emulators such as xterm, Konsole and Alacritty name their window in WINDOWID.
	wid := c.getenv("WINDOWID")
	if !windowIDRE.MatchString(wid) {
		f.Missing[HeaderWindowSize] = "vat runs in a terminal and has no window of its own; the terminal " +
			"reports no size in pixels and does not name its window (WINDOWID is not set)"
		return
	}
	out, err = c.run(ctx, "xwininfo", "-id", wid)
	if err != nil {
		f.Missing[HeaderWindowSize] = "could not read the terminal window's size: " + err.Error()
		return
	}
	if w, h, _ := parseXwininfo(out); w > 0 && h > 0 {
		f.Window = WindowSize{Width: w, Height: h}
	} else {
		f.Missing[HeaderWindowSize] = "xwininfo reported no size for the terminal window"
	}
}
