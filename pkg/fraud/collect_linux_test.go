//go:build linux

package fraud

import (
	"context"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeLinux is a Linux machine described by files, environment and command outputs.
type fakeLinux struct {
	files    map[string]string
	env      map[string]string
	commands map[string]string // "name args" → output; absent → not installed
	tty      WindowSize
}

func (fl fakeLinux) collector(t *testing.T) *systemCollector {
	c := NewSystemCollector(t.TempDir(), DefaultVendor()).(*systemCollector)
	c.getenv = func(k string) string { return fl.env[k] }
	c.readFile = func(p string) ([]byte, error) {
		if s, ok := fl.files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
	}
	c.run = func(_ context.Context, name string, args ...string) ([]byte, error) {
		if out, ok := fl.commands[strings.TrimSpace(name+" "+strings.Join(args, " "))]; ok {
			return []byte(out), nil
		}
		return nil, fmt.Errorf("%s: %w", name, errNotInstalled)
	}
	c.ttyPixels = func() (int, int, bool) { return fl.tty.Width, fl.tty.Height, fl.tty.Width > 0 }
	c.location = func() *time.Location { return time.UTC }
	return c
}

const xrandrTwo = `Screen 0: minimum 320 x 200, current 3840 x 1080, maximum 16384 x 16384
eDP-1 connected primary 1920x1080+0+0 (normal left inverted right x axis y axis) 344mm x 194mm
HDMI-1 connected 1920x1080+1920+0 (normal left inverted right x axis y axis) 527mm x 296mm
`

func TestLinuxPlatform(t *testing.T) {
	t.Parallel()
	dmi := map[string]string{
		"/etc/os-release":                `PRETTY_NAME="Ubuntu 24.04 LTS"`,
		"/sys/class/dmi/id/sys_vendor":   "LENOVO\n",
		"/sys/class/dmi/id/product_name": "20XW004GUK\n",
	}
	tests := []struct {
		name         string
		m            fakeLinux
		manufacturer string
		screens      []Screen
		window       WindowSize
		missing      map[string]string // header → fragment of the reason
	}{
		{
			name:         "headless server",
			m:            fakeLinux{files: dmi},
			manufacturer: "LENOVO",
			missing:      map[string]string{HeaderScreens: "headless", HeaderWindowSize: "headless"},
		},
		{
			name: "desktop with xrandr, root depth, GDK scale and tty pixels",
			m: fakeLinux{files: dmi, env: map[string]string{"DISPLAY": ":0", "GDK_SCALE": "2"},
				commands: map[string]string{"xrandr --query": xrandrTwo, "xwininfo -root": "  Width: 3840\n  Height: 1080\n  Depth: 24\n"},
				tty:      WindowSize{1256, 803}},
			manufacturer: "LENOVO",
			screens:      []Screen{{1920, 1080, 2, 24}, {1920, 1080, 2, 24}},
			window:       WindowSize{1256, 803},
		},
		{
			name: "window from WINDOWID when the tty reports no pixels",
			m: fakeLinux{files: dmi, env: map[string]string{"DISPLAY": ":0", "WINDOWID": "31457287"},
				commands: map[string]string{"xrandr --query": xrandrTwo, "xwininfo -id 31457287": "  Width: 800\n  Height: 600\n"}},
			manufacturer: "LENOVO",
			screens:      []Screen{{Width: 1920, Height: 1080}, {Width: 1920, Height: 1080}},
			window:       WindowSize{800, 600},
		},
		{
			name: "malicious WINDOWID is not passed to a command",
			m: fakeLinux{files: dmi, env: map[string]string{"DISPLAY": ":0", "WINDOWID": "1; rm -rf /"},
				commands: map[string]string{"xrandr --query": xrandrTwo}},
			manufacturer: "LENOVO",
			screens:      []Screen{{Width: 1920, Height: 1080}, {Width: 1920, Height: 1080}},
			missing:      map[string]string{HeaderWindowSize: "WINDOWID is not set"},
		},
		{
			name:         "display but no xrandr",
			m:            fakeLinux{files: dmi, env: map[string]string{"DISPLAY": ":0"}},
			manufacturer: "LENOVO",
			missing:      map[string]string{HeaderScreens: "not installed"},
		},
		{
			name:         "wayland only",
			m:            fakeLinux{files: dmi, env: map[string]string{"WAYLAND_DISPLAY": "wayland-0"}},
			manufacturer: "LENOVO",
			missing:      map[string]string{HeaderScreens: "Wayland", HeaderWindowSize: "Wayland"},
		},
		{
			name: "firmware placeholders are not sent",
			m: fakeLinux{files: map[string]string{"/sys/class/dmi/id/sys_vendor": "To Be Filled By O.E.M.\n",
				"/sys/class/dmi/id/product_name": "B450M Pro4\n"}},
			missing: map[string]string{HeaderUserAgent: "placeholder", HeaderScreens: "headless"},
		},
		{
			name:    "no DMI (virtual machine)",
			m:       fakeLinux{},
			missing: map[string]string{HeaderUserAgent: "no DMI data"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := tt.m.collector(t).Collect(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if f.DeviceManufacturer != tt.manufacturer {
				t.Errorf("manufacturer %q, want %q", f.DeviceManufacturer, tt.manufacturer)
			}
			if !reflect.DeepEqual(f.Screens, tt.screens) {
				t.Errorf("screens %+v, want %+v", f.Screens, tt.screens)
			}
			if f.Window != tt.window {
				t.Errorf("window %+v, want %+v", f.Window, tt.window)
			}
			for h, frag := range tt.missing {
				if !strings.Contains(f.Missing[h], frag) {
					t.Errorf("reason for %s = %q, want it to mention %q", h, f.Missing[h], frag)
				}
			}
			if len(f.Screens) > 0 && f.Missing[HeaderScreens] != "" {
				t.Errorf("screens collected yet explained as missing: %q", f.Missing[HeaderScreens])
			}
			if f.OSFamily == "" {
				t.Error("no OS family")
			}
			if tt.m.files["/etc/os-release"] != "" && !strings.HasPrefix(f.OSVersion, "Ubuntu 24.04 LTS") {
				t.Errorf("os version %q", f.OSVersion)
			}
			checkSyntax(t, DesktopAppDirect, Headers(DesktopAppDirect, f, time.Now()))
		})
	}
}
