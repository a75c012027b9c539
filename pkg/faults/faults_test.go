package faults_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vatbridge/vat/pkg/faults"
)

type insecure struct{ path string }

func (e *insecure) Error() string     { return "refusing to use " + e.path }
func (e *insecure) LocalPath() string { return e.path }

func TestLocalFileSystemErrorsAreNotNetworkErrors(t *testing.T) {
	t.Parallel()
	full := fmt.Errorf("save token: %w", &fs.PathError{Op: "write", Path: "/cfg/tokens/x.json", Err: syscall.ENOSPC})
	var ne net.Error
	if !errors.As(full, &ne) {
		t.Fatal("premise: syscall.Errno no longer satisfies net.Error")
	}
	le, ok := faults.Local(full)
	if !ok {
		t.Fatal("ENOSPC while writing a file not classified as local")
	}
	if le.Path != "/cfg/tokens/x.json" || !strings.Contains(le.Error(), "local file-system error") ||
		!strings.Contains(le.Hint(), "no space left on device") {
		t.Errorf("local error = %q, hint %q", le, le.Hint())
	}

	ro := &fs.PathError{Op: "open", Path: "/ro/tokens/x.lock", Err: syscall.EROFS}
	if le, ok := faults.Local(ro); !ok || !strings.Contains(le.Hint(), "read-only") {
		t.Errorf("EROFS = %v, %v", le, ok)
	}
	if le, ok := faults.Local(fmt.Errorf("load: %w", &insecure{"/cfg/tokens/x.json"})); !ok || le.Path != "/cfg/tokens/x.json" {
		t.Errorf("insecure file = %v, %v", le, ok)
	}
	if le, ok := faults.Local(syscall.ENOSPC); !ok || !errors.Is(le.Err, syscall.ENOSPC) {
		t.Errorf("bare ENOSPC = %v, %v", le, ok)
	}
}

func TestNetworkErrorsStayNetwork(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		&url.Error{Op: "Post", URL: "https://x/", Err: &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}},
		&net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.EACCES}},
		syscall.ECONNREFUSED,
		errors.New("hmrc: 503"),
	} {
		if faults.IsLocal(err) {
			t.Errorf("%v classified as local", err)
		}
	}
}

// A real read-only file system, not a constructed error: what os.WriteFile returns there must
// classify as local.
func TestRealPermissionErrorIsLocal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "missing", "f")
	err := os.WriteFile(p, []byte("x"), 0o600)
	le, ok := faults.Local(err)
	if !ok || le.Path != p {
		t.Fatalf("Local(%v) = %v, %v", err, le, ok)
	}
}
