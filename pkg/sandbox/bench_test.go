package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// FuzzValidateSubmission feeds arbitrary JSON to the submit validator: it must
// never panic, and anything it accepts must be internally consistent.
func FuzzValidateSubmission(f *testing.F) {
	f.Add(fmt.Sprintf(goodReturn, "A001"))
	f.Add(fmt.Sprintf(debitReturn, "#001"))
	f.Add(`{"vatDueSales":1e40,"netVatDue":-0.001,"periodKey":7}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			return
		}
		m, _ := doc.(map[string]any)
		sr, errs := validateSubmission(m)
		if len(errs) > 0 {
			return
		}
		b := sr.boxes
		diff := b[2] - b[3]
		if diff < 0 {
			diff = -diff
		}
		if b[2] != b[0]+b[1] || b[4] != diff || b[4] < 0 || !periodKeyPattern.MatchString(sr.periodKey) {
			t.Fatalf("accepted an inconsistent return %+v from %s", sr, body)
		}
		for i := 5; i < 9; i++ {
			if b[i]%100 != 0 {
				t.Fatalf("box %d has pence: %d", i+1, b[i])
			}
		}
	})
}

// BenchmarkSubmit measures a full submit round trip over HTTP, in memory.
func BenchmarkSubmit(b *testing.B) {
	e := newBenchEnv(b)
	u := e.org()
	tk := e.login(u)
	url := e.ts.URL + "/organisations/vat/" + u.VRN + "/returns"
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(goodReturn, fmt.Sprintf("%c%03d", 'B'+i/1000%20, i%1000))
		req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
		req.Header.Set("Accept", acceptV1)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 && resp.StatusCode != 403 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkObligations measures GET obligations for a user registered 20 years ago.
func BenchmarkObligations(b *testing.B) {
	e := newBenchEnv(b)
	u := e.user("organisation", []string{"mtd-vat"}, "2006-12-01")
	tk := e.login(u)
	url := e.ts.URL + "/organisations/vat/" + u.VRN + "/obligations?from=2025-12-01&to=2026-11-30"
	for b.Loop() {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Accept", acceptV1)
		req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func newBenchEnv(b *testing.B) *env {
	c := &clock{t: testNow}
	srv, err := New(Options{Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	return &env{t: b, srv: srv, ts: newTestServer(b, srv), clock: c}
}
