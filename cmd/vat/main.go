// Command vat submits UK VAT returns to HMRC from the named cells of a spreadsheet.
package main

import (
	"os"

	"github.com/vatbridge/vat/pkg/cli"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], iostreams.System()))
}
