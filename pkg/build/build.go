// Package build holds the facts the release build stamps into the binary with -ldflags.
package build

// Set by goreleaser through -ldflags "-X github.com/vatbridge/vat/pkg/build.Version=…".
var (
	Version = "dev"
	Commit  = "none"
	Date    = "unknown"
)

// ProductName is the name marketed to users; HMRC's Gov-Vendor-Product-Name carries it.
const ProductName = "vat"
