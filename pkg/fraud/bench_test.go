package fraud

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func BenchmarkHeaders(b *testing.B) {
	f := goldenFacts()
	now := time.Date(2026, 7, 1, 9, 15, 31, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Headers(DesktopAppDirect, f, now)
	}
}

func BenchmarkTransportOverhead(b *testing.B) {
	tr := &Transport{Collector: &countingCollector{facts: goldenFacts()}, Base: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzEncode checks that any input encodes to US-ASCII made only of unreserved characters and
// upper-case %XX escapes, and that decoding gives the input back.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "Zoë", `domain\alice`, "fe80::1", "a b+c", "\xff\x00", "🙂=&,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := Encode(s)
		var dec strings.Builder
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			switch {
			case unreserved(c):
				dec.WriteByte(c)
			case c == '%' && i+2 < len(enc) && isUpperHex(enc[i+1]) && isUpperHex(enc[i+2]):
				dec.WriteByte(unhex(enc[i+1])<<4 | unhex(enc[i+2]))
				i += 2
			default:
				t.Fatalf("Encode(%q) = %q: bad byte %q at %d", s, enc, c, i)
			}
		}
		if dec.String() != s {
			t.Fatalf("round trip of %q gave %q", s, dec.String())
		}
	})
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// BenchmarkSystemLocalIPs measures the per-request cost of re-reading this machine's addresses.
func BenchmarkSystemLocalIPs(b *testing.B) {
	c := NewSystemCollector(b.TempDir(), DefaultVendor()).(LocalIPsCollector)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.LocalIPs(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
