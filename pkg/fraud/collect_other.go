//go:build !linux && !darwin && !windows

package fraud

import (
	"context"
	"runtime"
)

// platform covers the systems vat is not released for: the OS family is known, the rest is
// explained as not collected.
func (c *systemCollector) platform(_ context.Context, f *Facts) {
	f.OSFamily = runtime.GOOS
	const why = "vat cannot read this on " + runtime.GOOS
	f.Missing[HeaderUserAgent] = why + " (OS version, manufacturer, model)"
	f.Missing[HeaderScreens] = why
	f.Missing[HeaderWindowSize] = why
}
