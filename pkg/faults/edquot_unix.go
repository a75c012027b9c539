//go:build unix

package faults

import (
	"errors"
	"syscall"
)

func isEDQUOT(err error) bool { return errors.Is(err, syscall.EDQUOT) }
