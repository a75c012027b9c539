package xlsxlite

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// TestOnePassOverLedger: computing all nine boxes streams the large ledger once, even though
// the boxes are computed one by one and read different columns.
func TestOnePassOverLedger(t *testing.T) {
	t.Parallel()
	p, want := genLedger(t, t.TempDir(), 5000, false)
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.smallSheet = 64 << 10 // the ledger (~400 KB) is large, the return sheet small
	for i := 0; i < 9; i++ {
		got, err := f.Calc(t.Context(), "VAT Return", fmt.Sprintf("B%d", i+3))
		if err != nil || got != want[i] {
			t.Fatalf("box %d = %q, %v; want %q", i+1, got, err, want[i])
		}
	}
	if f.fullScans[0] != 1 {
		t.Fatalf("ledger streamed %d times, want 1", f.fullScans[0])
	}
	if n := len(f.data[0].cols); n != 4 {
		t.Fatalf("%d ledger columns loaded, want 4 (A, C, D, E)", n)
	}
}

// TestLedgerWithFormulaColumn: a ledger whose VAT column is a formula on every row, with no
// cached values, is computed correctly and without a streaming pass per row.
func TestLedgerWithFormulaColumn(t *testing.T) {
	t.Parallel()
	p, want := genLedgerOpts(t, t.TempDir(), 3000, false, true)
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.smallSheet = 64 << 10
	for i := 0; i < 9; i++ {
		got, err := f.Calc(t.Context(), "VAT Return", fmt.Sprintf("B%d", i+3))
		if err != nil || got != want[i] {
			t.Fatalf("box %d = %q, %v; want %q", i+1, got, err, want[i])
		}
	}
	if f.fullScans[0] > 2 {
		t.Fatalf("ledger streamed %d times, want at most 2", f.fullScans[0])
	}
}

func TestLedgerCachedAndComputed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, cached := range []bool{true, false} {
		p, want := genLedger(t, dir, 3000, cached)
		if got := readBoxes(t, p, false); got != want {
			t.Errorf("cached=%v: boxes %q, want %q", cached, got, want)
		}
		if got := readBoxes(t, p, true); got != want {
			t.Errorf("cached=%v computed: boxes %q, want %q", cached, got, want)
		}
		for _, compute := range []bool{false, true} {
			if got := readBoxesStreaming(t, p, compute, true); got != want {
				t.Errorf("cached=%v compute=%v streaming: boxes %q, want %q", cached, compute, got, want)
			}
		}
	}
}

// peakHeap samples live heap bytes every 200µs while fn runs; the sampling can miss a short
// spike, so the figure is a close lower bound. It is reported, never asserted.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			if v := sample[0].Value.Uint64(); v > peak {
				peak = v
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak
}

func benchBoxes(b *testing.B, rows int, cached, compute bool) {
	benchBoxesOpts(b, rows, cached, compute, false)
}

func benchBoxesOpts(b *testing.B, rows int, cached, compute, vatFormulas bool) {
	p, want := genLedgerOpts(b, b.TempDir(), rows, cached, vatFormulas)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		var got [9]string
		if pk := peakHeap(func() { got = readBoxes(b, p, compute) }); pk > peak {
			peak = pk
		}
		if got != want {
			b.Fatalf("boxes %q, want %q", got, want)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func BenchmarkOpenCached1k(b *testing.B)   { benchBoxes(b, 1_000, true, false) }
func BenchmarkOpenCached200k(b *testing.B) { benchBoxes(b, 200_000, true, false) }
func BenchmarkComputed200k(b *testing.B)   { benchBoxes(b, 200_000, false, true) }

// BenchmarkComputedFormulaColumn200k: as BenchmarkComputed200k, but every ledger row's VAT is
// itself a formula without a cached value, so 200,000 more formulas are evaluated.
func BenchmarkComputedFormulaColumn200k(b *testing.B) { benchBoxesOpts(b, 200_000, false, true, true) }
