// Command diff-workbooks generates VAT workbooks whose boxes are formulas without saved results,
// has LibreOffice Calc recalculate them, and reports how often vat computes every box as
// LibreOffice does, refuses, or (the failure that must never happen) accepts a wrong box. The
// test suite runs a fixed sample of 40 (pkg/workbook/difftest); this is the larger run.
//
//	apt-get install -y --no-install-recommends libreoffice-calc-nogui
//	go run ./scripts/diff-workbooks -n 320 -seed 1000
//
// The generator is pkg/workbook/workbooktest.WriteVATWorkbook; it stays clear of the places
// where LibreOffice differs from Excel (which vat follows), and says which.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/vatbridge/vat/pkg/workbook/difftest"
)

func main() {
	n := flag.Int("n", 320, "workbooks to generate")
	seed := flag.Uint64("seed", 1000, "first seed")
	dir := flag.String("dir", "", "where to keep the workbooks (default: a temporary directory, removed afterwards)")
	verbose := flag.Bool("v", false, "list every refusal")
	flag.Parse()
	work := *dir
	if work == "" {
		d, err := os.MkdirTemp("", "vat-diff")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		work = d
	}
	rep, err := difftest.Run(context.Background(), work, *seed, *n)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range rep.Outcomes {
		switch {
		case !o.Oracle && *verbose:
			fmt.Printf("LibreOffice did not compute every box of %s (%s)\n", o.Path, strings.Join(o.Features, ","))
		case len(o.Wrong) > 0:
			fmt.Printf("WRONG %s (%s): %s\n", o.Path, strings.Join(o.Features, ","), strings.Join(o.Wrong, "; "))
		case o.Refused != nil && *verbose:
			fmt.Printf("refused %s (%s): %v\n", o.Path, strings.Join(o.Features, ","), o.Refused)
		}
		if o.CachedRefused != nil && *verbose {
			fmt.Printf("refused LibreOffice's copy of %s: %v\n", o.Path, o.CachedRefused)
		}
	}
	fmt.Println(rep)
	if rep.Wrong > 0 || rep.Refused*20 > rep.Computed {
		os.Exit(1)
	}
}
