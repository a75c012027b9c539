package fphcheck_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/vatbridge/vat/pkg/sandbox/fphcheck"
)

func ExampleValidate() {
	h := http.Header{}
	h.Set("Gov-Client-Connection-Method", "BATCH_PROCESS_DIRECT")
	h.Set("Gov-Client-Device-ID", "beec798b-b366-47fa-b1f8-92cede14a1ce")
	h.Set("Gov-Client-Local-IPs", "10.1.2.3,fc00%3A%3A")
	h.Set("Gov-Client-Local-IPs-Timestamp", "2026-11-24T13:59:58.123Z")
	h.Set("Gov-Client-MAC-Addresses", "ea:43:1a:5d:21:45") // colons must be %3A
	h.Set("Gov-Client-Timezone", "UTC+00:00")
	h.Set("Gov-Client-User-Agent", "os-family=Linux&os-version=6.1&device-manufacturer=Dell&device-model=XPS13")
	h.Set("Gov-Client-User-IDs", "os=batch")
	h.Set("Gov-Vendor-License-IDs", "")
	h.Set("Gov-Vendor-Product-Name", "vat")
	h.Set("Gov-Vendor-Version", "vat=1.0.0")

	res := fphcheck.Validate(h, time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC))
	fmt.Println(res.Code)
	for _, it := range res.Errors {
		fmt.Println("error:", it.Headers, it.Message)
	}
	for _, it := range res.Warnings {
		fmt.Println("warning:", it.Headers, it.Code, it.Message)
	}
	// Output:
	// INVALID_HEADERS
	// error: [gov-client-mac-addresses] List item 1: Value must be percent-encoded: ':' must be sent as %3A
	// warning: [gov-vendor-license-ids] EMPTY_HEADER Value required
}
