package workbook

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/workbook/workbooktest"
)

func TestReadGeneratedLedger(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "ledger.xlsx")
		want, err := workbooktest.WriteLedger(path, workbooktest.LedgerOptions{Rows: 3000, Cached: cached})
		if err != nil {
			t.Fatal(err)
		}
		for _, rd := range []struct {
			name string
			open opener
		}{{"lite", openBook}, {"excelize", openExcel}} {
			res, err := read(t.Context(), path, Options{}, rd.open)
			if err != nil {
				t.Fatalf("cached=%v %s: %v", cached, rd.name, err)
			}
			if res.Return != want {
				t.Errorf("cached=%v %s: Return = %+v\nwant %+v", cached, rd.name, res.Return, want)
			}
		}
	}
}

// ledgerOnce generates each benchmark workbook once per process: the 200,000-row one takes a
// few seconds to write and must not be timed.
var ledgerOnce = map[workbooktest.LedgerOptions]func() (string, error){}
var ledgerMu sync.Mutex

func benchLedger(b *testing.B, opts workbooktest.LedgerOptions) string {
	b.Helper()
	ledgerMu.Lock()
	f, ok := ledgerOnce[opts]
	if !ok {
		dir, err := osMkdirTemp()
		if err != nil {
			ledgerMu.Unlock()
			b.Fatal(err)
		}
		f = sync.OnceValues(func() (string, error) {
			path := filepath.Join(dir, "ledger.xlsx")
			_, err := workbooktest.WriteLedger(path, opts)
			return path, err
		})
		ledgerOnce[opts] = f
	}
	ledgerMu.Unlock()
	path, err := f()
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// benchRead reads the workbook b.N times, reporting the peak heap seen by a sampler as well as
// the allocation counts; peak RSS of the whole process is measured by scripts/bench-workbook.sh.
func benchRead(b *testing.B, path string, opts Options) {
	b.ReportAllocs()
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Read(b.Context(), path, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func BenchmarkReadCached1k(b *testing.B) {
	benchRead(b, benchLedger(b, workbooktest.LedgerOptions{Rows: 1000, Cached: true}), Options{})
}

func BenchmarkReadCached200k(b *testing.B) {
	benchRead(b, benchLedger(b, workbooktest.LedgerOptions{Rows: 200000, Cached: true}), Options{})
}

// The NoDigest variants show the cost of reading alone: hashing the file for the digital-link
// evidence is the only part of Read that grows with the ledger.
func BenchmarkReadCached1kNoDigest(b *testing.B) {
	benchRead(b, benchLedger(b, workbooktest.LedgerOptions{Rows: 1000, Cached: true}), Options{SkipDigest: true})
}

func BenchmarkReadCached200kNoDigest(b *testing.B) {
	benchRead(b, benchLedger(b, workbooktest.LedgerOptions{Rows: 200000, Cached: true}), Options{SkipDigest: true})
}

func BenchmarkReadComputed200k(b *testing.B) {
	benchRead(b, benchLedger(b, workbooktest.LedgerOptions{Rows: 200000}), Options{})
}

// osMkdirTemp makes a directory that outlives a single benchmark run (b.TempDir would be removed
// between the b.N rounds the framework runs), cleaned up by the OS's temp policy.
func osMkdirTemp() (string, error) { return os.MkdirTemp("", "vat-bench-") }
