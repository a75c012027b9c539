//go:build !linux

package viewtest

import "errors"

// RunOnTerminal needs a Linux pseudo-terminal; elsewhere it says so and runs nothing.
func (w *World) RunOnTerminal(width int, args ...string) (Result, error) {
	return Result{}, errors.New("a pseudo-terminal is opened on Linux only")
}
