//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package auth

import "io/fs"

// sessionBusAvailable is always true where the keyring does not go through D-Bus (macOS, Windows).
func sessionBusAvailable(func(string) string, func(string) (fs.FileInfo, error), int) bool {
	return true
}
