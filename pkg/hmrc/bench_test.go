package hmrc

import (
	"net/http"
	"testing"
	"time"
)

func BenchmarkSubmitRequestMarshal(b *testing.B) {
	req := sampleSubmit()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := req.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseErrorWrapped(b *testing.B) {
	body := []byte(`{"code":"INVALID_REQUEST","message":"Invalid request","errors":[{"code":"VAT_TOTAL_VALUE","message":"totalVatDue should be equal to vatDueSales + vatDueAcquisitions","path":"/totalVatDue"}]}`)
	resp := &http.Response{StatusCode: 400, Header: http.Header{"X-Correlationid": {"x"}}}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		_ = parseError(resp, body, now)
	}
}

func BenchmarkObligationsRoundTrip(b *testing.B) {
	h, _ := sequence(status(200, obligationsOK))
	c, _ := setup(b, h)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Obligations(b.Context(), "123456789", openQ); err != nil {
			b.Fatal(err)
		}
	}
}
