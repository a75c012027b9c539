package root

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/sandbox"
)

// Practice-wide runs against the emulator limited to R requests a second, as HMRC limits an
// application. Run them one iteration each (the R=3 cases take a minute):
//
//	go test ./pkg/cmd/root -run '^$' -bench AllClients -benchtime 1x
//
// VAT_BENCH_CLIENTS changes the practice's size (default 200 for obligations, 50 for submit).

// throttleCounter counts the 429s the emulator answers (which vat's client absorbs by waiting).
func throttleCounter(n *atomic.Int64) func(string, ...any) {
	return func(_ string, args ...any) {
		if len(args) >= 3 {
			if st, ok := args[2].(int); ok && st == 429 {
				n.Add(1)
			}
		}
	}
}

func benchClients(def int) int {
	if n, err := strconv.Atoi(os.Getenv("VAT_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkObligationsAllClients: `vat obligations --all-clients` for 200 clients must take at
// most 1.1 × requests ÷ R seconds, with no 429 reaching the user.
func BenchmarkObligationsAllClients(b *testing.B) {
	for _, r := range []int{50, 3} {
		b.Run(fmt.Sprintf("R=%d", r), func(b *testing.B) {
			n := benchClients(200)
			var throttled atomic.Int64
			w := newPracticeWorldWith(b, n, nil, sandbox.Options{RateLimit: float64(r), Logf: throttleCounter(&throttled)}, "")
			rate := strconv.Itoa(r)
			var worst float64
			b.ResetTimer()
			for range b.N {
				before := w.srv.Stats().Requests["obligations"]
				start := time.Now()
				code, out, errOut := w.run("obligations", "--all-clients", "--rate", rate, "-o", "json")
				el := time.Since(start).Seconds()
				reqs := w.srv.Stats().Requests["obligations"] - before
				if code != 0 {
					b.Fatalf("exit %d: %s", code, errOut)
				}
				var doc struct{ Clients []struct{ Outcome string } }
				if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Clients) != n {
					b.Fatalf("%v: %d clients", err, len(doc.Clients))
				}
				for _, c := range doc.Clients {
					if c.Outcome != "read" {
						b.Fatalf("a client ended %s", c.Outcome)
					}
				}
				bound := 1.1 * float64(reqs) / float64(r)
				if el > bound {
					b.Errorf("%d requests at %d/s took %.2fs, over the bound of %.2fs", reqs, r, el, bound)
				}
				worst = max(worst, el/bound)
				b.ReportMetric(float64(reqs), "requests")
			}
			b.ReportMetric(worst, "elapsed/bound")
			b.ReportMetric(float64(throttled.Load()), "429s-absorbed")
		})
	}
}

// BenchmarkSubmitAllClients: `vat submit --all-clients --yes` for 50 clients files every return
// exactly once at HMRC's rate.
func BenchmarkSubmitAllClients(b *testing.B) {
	for _, r := range []int{50, 3} {
		b.Run(fmt.Sprintf("R=%d", r), func(b *testing.B) {
			n := benchClients(50)
			rate := strconv.Itoa(r)
			for range b.N {
				b.StopTimer()
				var throttled atomic.Int64
				w := newPracticeWorldWith(b, n, nil, sandbox.Options{RateLimit: float64(r), Logf: throttleCounter(&throttled)}, rate)
				for _, vrn := range w.vrns {
					w.writeWorkbook(vrn)
				}
				before := w.srv.Stats().Requests
				b.StartTimer()
				code, _, errOut := w.run("submit", "--all-clients", "--yes", "--rate", rate, "-o", "json")
				b.StopTimer()
				if code != 0 {
					b.Fatalf("exit %d: %s", code, errOut)
				}
				for i, vrn := range w.vrns {
					if h := len(w.srv.Returns(vrn)); h != 1 {
						b.Errorf("client %d: HMRC holds %d returns", i, h)
					}
				}
				after := w.srv.Stats().Requests
				if s := after["submit"] - before["submit"]; s != n {
					b.Errorf("%d submit requests for %d clients", s, n)
				}
				total := 0
				for k, v := range after {
					if k != "token" && k != "authorize" {
						total += v - before[k]
					}
				}
				b.ReportMetric(float64(total), "requests")
				b.ReportMetric(float64(throttled.Load()), "429s-absorbed")
				b.StartTimer()
			}
		})
	}
}
