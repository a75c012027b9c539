package hmrc

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", name, got, want)
	}
}

func TestSubmitRequestWireGolden(t *testing.T) {
	t.Parallel()
	var seen atomic.Pointer[http.Request]
	var body atomic.Pointer[[]byte]
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body.Store(&b)
		seen.Store(r)
		reply(w, 201, submitOK)
	})
	c, _ := setup(t, h, WithGovTestScenario("QUARTERLY_ONE_MET"), WithUserAgent("vat-test/1"))
	req := SubmitRequest{PeriodKey: "#001", Finalised: true, Return: vatreturn.Return{
		VATDueSales: 10550, VATDueAcquisitions: -1, TotalVATDue: 10549, VATReclaimedCurrPeriod: 200000,
		NetVATDue: 189451, TotalValueSalesExVAT: 50000, TotalValuePurchasesExVAT: -100,
		TotalValueGoodsSuppliedExVAT: 0, TotalAcquisitionsExVAT: 99999999999900,
	}}
	if _, _, err := c.SubmitReturn(t.Context(), "123456789", req); err != nil {
		t.Fatalf("SubmitReturn: %v", err)
	}
	golden(t, "submit_request.json", *body.Load())
	r := seen.Load()
	checks := map[string]string{
		"Method":            r.Method,
		"Path":              r.URL.Path,
		"Accept":            r.Header.Get("Accept"),
		"Content-Type":      r.Header.Get("Content-Type"),
		"Gov-Test-Scenario": r.Header.Get("Gov-Test-Scenario"),
		"User-Agent":        r.Header.Get("User-Agent"),
	}
	want := map[string]string{
		"Method": "POST", "Path": "/organisations/vat/123456789/returns",
		"Accept": "application/vnd.hmrc.1.0+json", "Content-Type": "application/json",
		"Gov-Test-Scenario": "QUARTERLY_ONE_MET", "User-Agent": "vat-test/1",
	}
	for k, v := range want {
		if checks[k] != v {
			t.Errorf("%s = %q, want %q", k, checks[k], v)
		}
	}
}

func TestSubmitRefusesPenceInWholePoundBoxes(t *testing.T) {
	t.Parallel()
	h, n := sequence(status(201, submitOK))
	c, _ := setup(t, h)
	req := sampleSubmit()
	req.Return.TotalValuePurchasesExVAT = 12750
	_, _, err := c.SubmitReturn(t.Context(), "123456789", req)
	if !errors.Is(err, ErrNotWholePounds) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrNotWholePounds", err)
	}
	if n.Load() != 0 {
		t.Errorf("requests = %d, want none", n.Load())
	}
}

func TestParseTimestampBothForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2018-03-01T11:43:43.195Z", time.Date(2018, 3, 1, 11, 43, 43, 195e6, time.UTC)},
		{"2018-02-14T09:32:15.895+0000", time.Date(2018, 2, 14, 9, 32, 15, 895e6, time.UTC)},
		{"2018-02-14T10:32:15.895+0100", time.Date(2018, 2, 14, 9, 32, 15, 895e6, time.UTC)},
		{"2018-02-14T09:32:15Z", time.Date(2018, 2, 14, 9, 32, 15, 0, time.UTC)},
		{"2018-02-14T09:32:15+00:00", time.Date(2018, 2, 14, 9, 32, 15, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseTimestamp(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseTimestamp("yesterday"); err == nil {
		t.Error("ParseTimestamp accepted nonsense")
	}
}

func TestViewReturnEscapesHashAndDecodesExactly(t *testing.T) {
	t.Parallel()
	var rawPath atomic.Value
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rawPath.Store(r.URL.EscapedPath())
		reply(w, 200, `{"periodKey":"#001","vatDueSales":105.5,"vatDueAcquisitions":-0.01,"totalVatDue":105.49,`+
			`"vatReclaimedCurrPeriod":2000,"netVatDue":1894.51,"totalValueSalesExVAT":500.00,`+
			`"totalValuePurchasesExVAT":-1,"totalValueGoodsSuppliedExVAT":0,"totalAcquisitionsExVAT":999999999999}`)
	})
	c, _ := setup(t, h)
	v, _, err := c.Return(t.Context(), "123456789", "#001")
	if err != nil {
		t.Fatalf("Return: %v", err)
	}
	if got := rawPath.Load(); got != "/organisations/vat/123456789/returns/%23001" {
		t.Errorf("path = %v, want the # escaped as %%23", got)
	}
	want := vatreturn.Return{VATDueSales: 10550, VATDueAcquisitions: -1, TotalVATDue: 10549,
		VATReclaimedCurrPeriod: 200000, NetVATDue: 189451, TotalValueSalesExVAT: 50000,
		TotalValuePurchasesExVAT: -100, TotalAcquisitionsExVAT: 99999999999900}
	if v.PeriodKey != "#001" || v.Return != want {
		t.Errorf("Return = %+v, want %+v", v, want)
	}
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "view_return.json", b)
}

func TestViewReturnEmpty404IsErrNotFound(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-CorrelationId", "c0ffee00-0000-4000-8000-000000000002")
		w.WriteHeader(404)
	})
	c, _ := setup(t, h)
	_, _, err := c.Return(t.Context(), "123456789", "18A1")
	var ae *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &ae) || ae.CorrelationID != "c0ffee00-0000-4000-8000-000000000002" {
		t.Fatalf("err = %v, want ErrNotFound with the correlation id", err)
	}
}
