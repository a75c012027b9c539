// Package fulldisk gives tests a real, small file system that they can fill up, so that code
// handling ENOSPC is exercised against the kernel rather than a mock.
package fulldisk

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of sizeKiB KiB on a new temporary directory and unmounts it when the test
// ends. Mounting needs root (or CAP_SYS_ADMIN); without it the test is skipped, unless
// VAT_TEST_REAL=1 says the full suite is running, where a missing mount is a failure.
func Mount(t testing.TB, sizeKiB int) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(sizeKiB)+"k,mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := "cannot mount a tmpfs for the full-disk test (run as root): " + err.Error() + ": " + string(out)
		if os.Getenv("VAT_TEST_REAL") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// Fill writes a file in dir until the file system has no space left, and returns its path; remove
// it to give the space back.
func Fill(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 512)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
	}
	// Byte-sized writes can still land in a partly used page; make sure even one byte fails.
	for _, n := range []int{64, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
	return p
}

// ReadOnly remounts a directory returned by Mount read-only, as a file system that went read-only
// under a running program would be.
func ReadOnly(t testing.TB, dir string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s read-only: %v: %s", dir, err, out)
	}
}
