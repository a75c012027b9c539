package viewtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// RunOnTerminal runs vat with stderr a real pseudo-terminal of the given width, and stdout a
// terminal as RunTTY plays one. What vat draws only on a terminal it can measure (a progress
// bar, which asks the terminal its size) is drawn, as on a person's screen; Err is what the
// terminal received, its line ends as "\n". stdin is not a terminal: nothing can be asked.
func (w *World) RunOnTerminal(width int, args ...string) (Result, error) {
	ptmx, tty, err := openPTY(width)
	if err != nil {
		return Result{}, err
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			screen.Write(buf[:n])
			if err != nil {
				return // EIO once the terminal side is closed
			}
		}
	}()
	ios, _, out, _ := iostreams.Test()
	ios.ErrOut = tty
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	ios.SetTerminalWidth(width)
	code := root.Run(context.Background(), args, w.factory(ios))
	tty.Close()
	<-read
	return Result{code, out.String(), strings.ReplaceAll(screen.String(), "\r\n", "\n")}, nil
}

// openPTY opens a pseudo-terminal pair of the given width, 24 lines high.
func openPTY(width int) (ptmx, tty *os.File, err error) {
	ptmx, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		ptmx.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		ptmx.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		ptmx.Close()
		return nil, nil, err
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(width), Row: 24}); err != nil {
		ptmx.Close()
		tty.Close()
		return nil, nil, fmt.Errorf("terminal size: %w", err)
	}
	return ptmx, tty, nil
}
