//go:build linux || darwin

package fraud

import (
	"os"

	"golang.org/x/sys/unix"
)

// ttyPixelSize asks the terminal for its text area in pixels (the ws_xpixel and ws_ypixel fields of
// TIOCGWINSZ). Many terminal emulators fill them in; those that do not report zero, and then the
// size stays unknown.
func ttyPixelSize() (width, height int, ok bool) {
	for _, fd := range []int{2, 1, 0} {
		if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil {
			return int(ws.Xpixel), int(ws.Ypixel), ws.Xpixel > 0 && ws.Ypixel > 0
		}
	}
	f, err := os.Open("/dev/tty")
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0, false
	}
	return int(ws.Xpixel), int(ws.Ypixel), ws.Xpixel > 0 && ws.Ypixel > 0
}
