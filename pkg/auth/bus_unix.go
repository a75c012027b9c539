//go:build linux || freebsd || netbsd || openbsd || dragonfly

package auth

import (
	"io/fs"
	"strconv"
)

// sessionBusAvailable reports whether a D-Bus session bus can be reached without autolaunching one:
// godbus tries DBUS_SESSION_BUS_ADDRESS, then /run/user/UID/bus, then starts dbus-launch.
func sessionBusAvailable(getenv func(string) string, stat func(string) (fs.FileInfo, error), uid int) bool {
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	_, err := stat("/run/user/" + strconv.Itoa(uid) + "/bus")
	return err == nil
}
