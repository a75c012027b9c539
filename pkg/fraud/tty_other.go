//go:build !linux && !darwin

package fraud

// ttyPixelSize is unavailable where TIOCGWINSZ does not exist.
func ttyPixelSize() (width, height int, ok bool) { return 0, 0, false }
