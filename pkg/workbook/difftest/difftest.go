// Package difftest holds vat's workbook reader to LibreOffice: it generates VAT workbooks whose
// boxes are formulas without saved results, has LibreOffice Calc recalculate them, and checks
// that every box vat computes equals LibreOffice's, or that vat refuses the workbook. It backs
// a test on a fixed small sample and scripts/diff-workbooks for larger runs.
package difftest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
	"github.com/vatbridge/vat/pkg/workbook/workbooktest"
	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// Outcome is what happened to one generated workbook.
type Outcome struct {
	Path     string
	Features []string
	// Oracle is false when LibreOffice itself did not compute every box to a number; such a
	// workbook says nothing about vat.
	Oracle bool
	// Refused holds vat's problems when it refused the workbook without saved results.
	Refused error
	// Wrong lists boxes vat accepted with a value different from LibreOffice's.
	Wrong []string
	// CachedRefused holds vat's problems when it refused LibreOffice's recalculated copy (saved
	// results present: the cached path, with its stale-result check).
	CachedRefused error
}

// Report summarises a run.
type Report struct {
	Outcomes []Outcome
	Computed int // workbooks LibreOffice computed in full
	Refused  int // of those, refused by vat (computed path)
	Wrong    int // workbooks vat accepted with a wrong box: must be 0
}

func (r Report) String() string {
	return fmt.Sprintf("%d workbooks, %d computed in full by LibreOffice, vat refused %d (%.1f%%), wrong %d", len(r.Outcomes), r.Computed, r.Refused, 100*float64(r.Refused)/float64(max(r.Computed, 1)), r.Wrong)
}

// Run generates n workbooks from seeds first..first+n-1 in dir and compares vat with LibreOffice.
func Run(ctx context.Context, dir string, first uint64, n int) (Report, error) {
	var rep Report
	in := filepath.Join(dir, "in")
	out := filepath.Join(dir, "lo")
	for _, d := range []string{in, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return rep, err
		}
	}
	paths := make([]string, n)
	gens := make([]workbooktest.Generated, n)
	for i := range n {
		paths[i] = filepath.Join(in, fmt.Sprintf("vat-%06d.xlsx", first+uint64(i)))
		g, err := workbooktest.WriteVATWorkbook(paths[i], workbooktest.GenOptions{Seed: first + uint64(i)})
		if err != nil {
			return rep, err
		}
		gens[i] = g
	}
	if err := workbooktest.Recalculate(out, paths...); err != nil {
		return rep, err
	}
	for i, p := range paths {
		o, err := compare(ctx, p, filepath.Join(out, filepath.Base(p)))
		if err != nil {
			return rep, err
		}
		o.Features = gens[i].Features
		rep.Outcomes = append(rep.Outcomes, o)
		if !o.Oracle {
			continue
		}
		rep.Computed++
		switch {
		case len(o.Wrong) > 0:
			rep.Wrong++
		case o.Refused != nil:
			rep.Refused++
		}
	}
	return rep, nil
}

func compare(ctx context.Context, plain, recalculated string) (Outcome, error) {
	o := Outcome{Path: plain}
	lo, err := xlsxlite.Open(recalculated, xlsxlite.Limits{})
	if err != nil {
		return o, err
	}
	defer lo.Close()
	var want [9]vatreturn.Money
	o.Oracle = true
	for n := 1; n <= 9; n++ {
		c, err := lo.Cell("VAT Return", fmt.Sprintf("C%d", 6+n))
		if err != nil {
			return o, err
		}
		m, ok := money(c.Cached)
		if c.Type != xlsxlite.CellNumber || !ok {
			o.Oracle = false
			break
		}
		want[n-1] = m
	}
	check := func(path string) ([]string, error) {
		res, err := workbook.Read(ctx, path, workbook.Options{SkipDigest: true})
		var p *workbook.Problems
		if errors.As(err, &p) {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		var wrong []string
		for n := 1; n <= 9; n++ {
			if got := res.Return.Box(n); o.Oracle && got != want[n-1] {
				wrong = append(wrong, fmt.Sprintf("box %d: vat %s, LibreOffice %s", n, got, want[n-1]))
			}
		}
		return wrong, nil
	}
	o.Wrong, o.Refused = check(plain)
	var cachedWrong []string
	cachedWrong, o.CachedRefused = check(recalculated)
	for _, w := range cachedWrong {
		o.Wrong = append(o.Wrong, "saved results: "+w)
	}
	return o, nil
}

// money reads a saved double as the amount it stands for. LibreOffice computes in doubles, so
// ABS(9675.07-10311.86) is saved as 636.790000000001; within a relative 1e-9 of whole pence the
// value is read as those pence, as vat reads saved results.
func money(cached string) (vatreturn.Money, bool) {
	f, err := strconv.ParseFloat(cached, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e13 {
		return 0, false
	}
	pence := math.Round(f * 100)
	if math.Abs(f*100-pence) > 1e-7*math.Max(1, math.Abs(f)) {
		return 0, false
	}
	return vatreturn.Money(pence), true
}
