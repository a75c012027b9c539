package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExitCodeMapping(t *testing.T) {
	t.Parallel()
	dl, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-dl.Done()
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitFailure},
		{FlagErrorf("bad --period-end"), ExitUsage},
		{fmt.Errorf("wrapped: %w", FlagErrorf("x")), ExitUsage},
		{WithKind(KindInvalidData, errors.New("box 5 negative"), ""), ExitInvalidData},
		{WithKind(KindAuth, errors.New("not logged in"), "run vat login"), ExitAuth},
		{WithKind(KindRejected, errors.New("VAT_TOTAL_VALUE"), ""), ExitRejected},
		{WithKind(KindUnavailable, errors.New("503"), ""), ExitUnavailable},
		{WithKind(KindUnknownOutcome, errors.New("dropped"), ""), ExitUnknown},
		{context.Canceled, ExitInterrupted},
		{fmt.Errorf("get: %w", dl.Err()), ExitUnavailable},
		{&net.OpError{Op: "dial", Err: errors.New("refused")}, ExitUnavailable},
		{&SilentError{Code: 7}, 7},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestLocalFileSystemErrorsAreNotNetworkOutages(t *testing.T) {
	t.Parallel()
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EROFS, syscall.EACCES} {
		err := fmt.Errorf("saving tokens: %w", &os.PathError{Op: "write", Path: "/home/a/.config/vat/tokens/default", Err: errno})
		e := Classify(err)
		if e.Kind != KindFailure || strings.Contains(e.Hint, "network") || !strings.Contains(e.Err.Error()+e.Hint, "/home/a/.config/vat/tokens") {
			t.Errorf("%v: kind %d, %q / hint %q", errno, e.Kind, e.Err, e.Hint)
		}
	}
}

func TestParseDateFlagTakesUKDates(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"2026-09-30", "30/09/2026", "30/9/2026"} {
		d, err := ParseDateFlag("period-end", v)
		if err != nil || d.String() != "2026-09-30" {
			t.Errorf("%q = %v, %v", v, d, err)
		}
	}
	for _, v := range []string{"09/30/2026", "30.09.2026", "2026/09/30"} {
		if _, err := ParseDateFlag("period-end", v); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--period-end") {
			t.Errorf("%q: %v, want a usage error naming the flag", v, err)
		}
	}
	if k := PeriodKey(" 26a3 "); k != "26A3" {
		t.Errorf("PeriodKey = %q", k)
	}
}
