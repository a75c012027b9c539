// Command vat submits UK VAT returns to HMRC from the named cells of a spreadsheet.
package main

import (
	"os"

	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func main() {
	os.Exit(root.Main(os.Args[1:], iostreams.System()))
}
