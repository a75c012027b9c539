// Package faults tells local file-system failures apart from network ones.
//
// The distinction cannot be left to errors.As(err, &net.Error): syscall.Errno has Timeout and
// Temporary methods, so a full disk (ENOSPC) or a read-only file system (EROFS) met while reading a
// token or writing a receipt satisfies net.Error and would be reported as a network outage, with
// advice to check the connection that cannot help.
package faults

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"syscall"
)

// LocalError is a failure of this machine's file system, with the file it concerns.
type LocalError struct {
	Op   string // what was being done: "open", "write", "rename", "sync", "lock"...
	Path string // the file or directory; empty when the cause named none
	Err  error  // the cause, typically a syscall.Errno such as ENOSPC
}

func (e *LocalError) Error() string {
	msg := "local file-system error"
	if e.Op != "" {
		msg += ": " + e.Op
	}
	if e.Path != "" {
		msg += " " + e.Path
	}
	return msg + ": " + e.Err.Error()
}

func (e *LocalError) Unwrap() error { return e.Err }

// Hint says what a person can do about the failure.
func (e *LocalError) Hint() string {
	where := e.Path
	if where == "" {
		where = "the file named above"
	}
	switch {
	case errors.Is(e.Err, syscall.ENOSPC), isEDQUOT(e.Err):
		return "no space left on device: free space on the disk holding " + where + ", then run the command again"
	case errors.Is(e.Err, syscall.EROFS):
		return "the file system holding " + where + " is read-only: make it writable or point vat at a writable directory (--config-dir)"
	case errors.Is(e.Err, fs.ErrPermission):
		return "permission denied on " + where + ": check its owner and mode"
	}
	var p pathHinter
	if errors.As(e.Err, &p) {
		return p.Hint()
	}
	return "check the disk and the permissions of " + where
}

// LocalFile is implemented by errors about a local file that are not system-call failures, such as
// a token file whose permissions make it unsafe to use.
type LocalFile interface {
	error
	LocalPath() string
}

type pathHinter interface {
	LocalFile
	Hint() string
}

// fsErrnos are the system-call errors that, met outside a network operation, mean the local file
// system refused. A bare Errno outside this list (ECONNRESET, say) is left alone.
var fsErrnos = []syscall.Errno{syscall.ENOSPC, syscall.EROFS, syscall.EACCES, syscall.EPERM, syscall.EIO,
	syscall.ENOTDIR, syscall.EISDIR, syscall.EMFILE, syscall.ENFILE, syscall.ELOOP, syscall.ENAMETOOLONG}

// Local returns the local file-system failure behind err, if that is what err is. A network
// operation's failure (*net.OpError) is never local, even when its cause is an Errno.
func Local(err error) (*LocalError, bool) {
	if err == nil {
		return nil, false
	}
	var le *LocalError
	if errors.As(err, &le) {
		return le, true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return nil, false
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &LocalError{Op: pe.Op, Path: pe.Path, Err: pe.Err}, true
	}
	var lk *os.LinkError
	if errors.As(err, &lk) {
		return &LocalError{Op: lk.Op, Path: lk.New, Err: lk.Err}, true
	}
	var lf LocalFile
	if errors.As(err, &lf) {
		return &LocalError{Path: lf.LocalPath(), Err: lf}, true
	}
	var se *os.SyscallError
	if errors.As(err, &se) && isFSErrno(se.Err) {
		return &LocalError{Op: se.Syscall, Err: se.Err}, true
	}
	var en syscall.Errno
	if errors.As(err, &en) && isFSErrno(en) {
		return &LocalError{Err: en}, true
	}
	return nil, false
}

// IsLocal reports whether err is a local file-system failure (see Local).
func IsLocal(err error) bool {
	_, ok := Local(err)
	return ok
}

func isFSErrno(err error) bool {
	for _, e := range fsErrnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return isEDQUOT(err)
}
