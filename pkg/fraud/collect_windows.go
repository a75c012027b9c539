//go:build windows

package fraud

import (
	"context"
	"fmt"
	"math"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// Windows APIs not wrapped by x/sys/windows, loaded lazily from the system directory (no cgo).
var (
	user32                  = windows.NewLazySystemDLL("user32.dll")
	gdi32                   = windows.NewLazySystemDLL("gdi32.dll")
	kernel32                = windows.NewLazySystemDLL("kernel32.dll")
	procEnumDisplayMonitors = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW     = user32.NewProc("GetMonitorInfoW")
	procEnumDisplaySettings = user32.NewProc("EnumDisplaySettingsW")
	procGetSystemMetrics    = user32.NewProc("GetSystemMetrics")
	procGetDC               = user32.NewProc("GetDC")
	procReleaseDC           = user32.NewProc("ReleaseDC")
	procGetDeviceCaps       = gdi32.NewProc("GetDeviceCaps")
	procIsWindowVisible     = user32.NewProc("IsWindowVisible")
	procGetWindowRect       = user32.NewProc("GetWindowRect")
	procGetConsoleWindow    = kernel32.NewProc("GetConsoleWindow")
)

const (
	smCXScreen          = 0
	smCYScreen          = 1
	bitsPixel           = 12
	enumCurrentSettings = 0xFFFFFFFF
)

// platform fills the Windows facts: RtlGetVersion (which, unlike GetVersionEx, is not subject to
// compatibility shims), the BIOS manufacturer and model from the registry, and the monitors.
func (c *systemCollector) platform(_ context.Context, f *Facts) {
	f.OSFamily = "Windows"
	v := windows.RtlGetVersion()
	f.OSVersion = fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)

	const biosKey = `HARDWARE\DESCRIPTION\System\BIOS`
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, biosKey, registry.QUERY_VALUE); err != nil {
		f.Missing[HeaderUserAgent] = "could not open HKLM\\" + biosKey + ": " + err.Error()
	} else {
		manufacturer, _, _ := k.GetStringValue("SystemManufacturer")
		model, _, _ := k.GetStringValue("SystemProductName")
		k.Close()
		setHardware(f, manufacturer, model, `HKLM\`+biosKey)
	}

	screens, err := windowsScreens()
	switch {
	case err != nil:
		f.Missing[HeaderScreens] = "could not list the monitors: " + err.Error()
	case len(screens) == 0:
		f.Missing[HeaderScreens] = "no display: Windows lists no monitor for this session (e.g. an SSH or service session); HMRC's missing-data procedure applies"
	default:
		f.Screens = screens
	}

	if w, h, ok := consoleWindowSize(); ok {
		f.Window = WindowSize{Width: w, Height: h}
	} else {
		f.Missing[HeaderWindowSize] = "vat runs in a terminal and has no visible console window of its own " +
			"(a pseudo-console such as Windows Terminal, or no console at all), so its size is unknown"
	}
}

// monitorInfoEx is MONITORINFOEXW.
type monitorInfoEx struct {
	Size    uint32
	Monitor windows.Rect
	Work    windows.Rect
	Flags   uint32
	Device  [32]uint16
}

// devMode is DEVMODEW as laid out for displays (220 bytes).
type devMode struct {
	DeviceName       [32]uint16
	SpecVersion      uint16
	DriverVersion    uint16
	Size             uint16
	DriverExtra      uint16
	Fields           uint32
	Position         [16]byte // union of printer fields and display position/orientation
	Color            int16
	Duplex           int16
	YResolution      int16
	TTOption         int16
	Collate          int16
	FormName         [32]uint16
	LogPixels        uint16
	BitsPerPel       uint32
	PelsWidth        uint32
	PelsHeight       uint32
	DisplayFlags     uint32
	DisplayFrequency uint32
	_                [8]uint32
}

// monitorList receives the monitor handles during EnumDisplayMonitors.
type monitorList struct{ handles []uintptr }

// enumMonitorsCallback is created once: Windows callbacks are never freed and a process may make
// only about two thousand, so a callback per collection would eventually crash a long-lived process.
var enumMonitorsCallback = sync.OnceValue(func() uintptr {
	return windows.NewCallback(func(hmon, _ uintptr, _ *windows.Rect, list *monitorList) uintptr {
		// A bound keeps a misbehaving driver list from growing memory without limit.
		if len(list.handles) < 64 {
			list.handles = append(list.handles, hmon)
		}
		return 1
	})
})

// windowsScreens lists every monitor. The monitor rectangle gives the size in the process's
// (possibly DPI-virtualised) logical pixels and the current display mode gives real pixels; their
// ratio is the scaling factor, as a browser reports devicePixelRatio.
func windowsScreens() ([]Screen, error) {
	if err := procEnumDisplayMonitors.Find(); err != nil {
		return primaryScreen()
	}
	var list monitorList
	if r, _, err := procEnumDisplayMonitors.Call(0, 0, enumMonitorsCallback(), uintptr(unsafe.Pointer(&list))); r == 0 {
		return nil, fmt.Errorf("EnumDisplayMonitors: %w", err)
	}
	var screens []Screen
	for _, hmon := range list.handles {
		mi := monitorInfoEx{Size: uint32(unsafe.Sizeof(monitorInfoEx{}))}
		if r, _, _ := procGetMonitorInfoW.Call(hmon, uintptr(unsafe.Pointer(&mi))); r == 0 {
			continue
		}
		s := Screen{Width: int(mi.Monitor.Right - mi.Monitor.Left), Height: int(mi.Monitor.Bottom - mi.Monitor.Top)}
		dm := devMode{Size: uint16(unsafe.Sizeof(devMode{}))}
		if r, _, _ := procEnumDisplaySettings.Call(uintptr(unsafe.Pointer(&mi.Device[0])), enumCurrentSettings, uintptr(unsafe.Pointer(&dm))); r != 0 {
			if dm.BitsPerPel > 0 && dm.BitsPerPel <= 64 {
				s.ColourDepth = int(dm.BitsPerPel)
			}
			if s.Width > 0 && dm.PelsWidth > 0 {
				s.ScalingFactor = math.Round(float64(dm.PelsWidth)/float64(s.Width)*100) / 100
			}
		}
		if s.Width > 0 && s.Height > 0 {
			screens = append(screens, s)
		}
	}
	return screens, nil
}

// primaryScreen is the fallback for systems without EnumDisplayMonitors: the primary monitor only.
func primaryScreen() ([]Screen, error) {
	if err := procGetSystemMetrics.Find(); err != nil {
		return nil, err
	}
	w, _, _ := procGetSystemMetrics.Call(smCXScreen)
	h, _, _ := procGetSystemMetrics.Call(smCYScreen)
	if int32(w) <= 0 || int32(h) <= 0 {
		return nil, nil
	}
	s := Screen{Width: int(int32(w)), Height: int(int32(h))}
	if hdc, _, _ := procGetDC.Call(0); hdc != 0 {
		depth, _, _ := procGetDeviceCaps.Call(hdc, bitsPixel)
		procReleaseDC.Call(0, hdc)
		if int32(depth) > 0 {
			s.ColourDepth = int(int32(depth))
		}
	}
	return []Screen{s}, nil
}

// consoleWindowSize measures the classic console window hosting vat. Under a pseudo-console the
// window exists but is hidden, and its size would be meaningless.
func consoleWindowSize() (width, height int, ok bool) {
	if procGetConsoleWindow.Find() != nil || procGetWindowRect.Find() != nil {
		return 0, 0, false
	}
	hwnd, _, _ := procGetConsoleWindow.Call()
	if hwnd == 0 {
		return 0, 0, false
	}
	if visible, _, _ := procIsWindowVisible.Call(hwnd); visible == 0 {
		return 0, 0, false
	}
	var r windows.Rect
	if r1, _, _ := procGetWindowRect.Call(hwnd, uintptr(unsafe.Pointer(&r))); r1 == 0 {
		return 0, 0, false
	}
	w, h := int(r.Right-r.Left), int(r.Bottom-r.Top)
	return w, h, w > 0 && h > 0
}
