package workbook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook/formula"
	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// Options control how Read finds and interprets the boxes.
type Options struct {
	Password string         // for encrypted workbooks
	Map      map[int]string // box number → defined name or plain reference like 'VAT Return'!C7 (from --map)
	Round    bool           // --round: boxes 1-5 to the penny, 6-9 down to whole pounds, each change warned
	// SkipDigest leaves Result.SHA256 empty. Hashing reads the whole file (about 6 ms for a
	// 200,000-row ledger), the one cost of Read that grows with the ledger; a command that keeps
	// no evidence, such as `vat check`, may skip it.
	SkipDigest bool
	// PeriodEnd picks the row of a CSV file that has one row per period (--period-end); other
	// formats ignore it.
	PeriodEnd time.Time
}

// Source says where a box's value came from: the digital link HMRC requires between the records
// and the return, shown by `vat check` and kept with each receipt.
type Source struct {
	Box     int
	Name    string // the defined name used, or "" for a plain reference from --map or a computed box
	Sheet   string
	Cell    string
	Raw     string // the value as stored (or as computed when the file had no cached value)
	Formula string // the cell's formula without '=', or ""
	// Computed is true when the workbook has no cell for box 3 or 5 and vat derived it.
	Computed bool
}

// Box is one box as read, with its own problems: what `vat check -o json` shows for every box
// even when a rule across boxes fails.
type Box struct {
	Number int
	Value  vatreturn.Money // meaningful only when OK
	// OK is true when the box has a value: read from its cell (or computed, for a missing box 3
	// or 5). A box whose value breaks a rule across boxes (box 3 ≠ box 1 + box 2) is still OK,
	// with the problem in Problems.
	OK       bool
	Problems []*CellError // every problem naming this box, in the order found
}

// Result is the return read from a workbook, with where each value came from.
type Result struct {
	Return      vatreturn.Return
	Boxes       [9]Box    // Boxes[n-1] is box n; filled alongside *Problems too
	Sources     [9]Source // Sources[n-1] is box n
	PeriodStart time.Time // zero when the workbook has no PeriodStart name
	PeriodEnd   time.Time // zero when the workbook has no PeriodEnd name
	VRN         string    // "" when absent
	VRNSource   Source    // where VRN was read, so that a mismatch can name the cell
	Warnings    []string  // things accepted but worth a look: text numbers, computed boxes, rounding
	Path        string    // digital-link evidence: which file
	SHA256      string    // and exactly which bytes (hex)
	// ExampleRows counts the template's example rows still in its ledger (also a warning): a
	// run with nobody to read the warning refuses a return that counts them.
	ExampleRows int
}

// Read opens the workbook at path and reads the nine boxes through its defined names (or
// opts.Map), applying HMRC's rules. Problems with cells are gathered and returned together as a
// *Problems error, alongside a Result holding whatever could be read, so `vat check` can show
// the user everything at once. A file that is not a readable workbook gives a *FileError
// (errors.Is finds ErrPasswordRequired and ErrWrongPassword).
func Read(ctx context.Context, path string, opts Options) (res *Result, err error) {
	// The readers parse hostile input with third-party code; a panic there must become a clear
	// error about the file, not a crash of the command that is about to file a tax return.
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &FileError{Path: path, Message: fmt.Sprintf("the file is damaged and cannot be read as a workbook (reader failure: %v)", p)}
		}
	}()
	return read(ctx, path, opts, openBook)
}

// opener picks and opens a reader; tests pass an excelize-backed one to cross-check cell reading.
type opener func(path string, k kind, password string) (book, error)

func read(ctx context.Context, path string, opts Options, open opener) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Message: "cannot open the file: " + errText(err), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &FileError{Path: path, Message: "cannot read the file: " + errText(err), Err: err}
	}
	if st.IsDir() {
		return nil, &FileError{Path: path, Message: "is a directory, not an Excel workbook"}
	}
	k, err := sniff(path, f, st.Size())
	if err != nil {
		return nil, err
	}
	// The digest runs alongside the reading: on a large ledger it is the biggest single cost,
	// and it needs only the file, not the parsed workbook.
	type digest struct {
		sum string
		err error
	}
	digestc := make(chan digest, 1)
	if opts.SkipDigest {
		digestc <- digest{}
	} else {
		go func() {
			sum, err := hashFile(f, st.Size())
			digestc <- digest{sum, err}
		}()
	}
	res, err := resolve(ctx, path, k, opts, open)
	d := <-digestc // always drained: f must not be closed while the hash still reads it
	if d.err != nil {
		return nil, &FileError{Path: path, Message: "cannot read the file: " + errText(d.err), Err: d.err}
	}
	if res != nil {
		res.SHA256 = d.sum
	}
	return res, err
}

func resolve(ctx context.Context, path string, k kind, opts Options, open opener) (*Result, error) {
	var bk book
	var err error
	if k == kindCSV {
		bk, err = openCSV(path, opts.PeriodEnd)
	} else {
		bk, err = open(path, k, opts.Password)
	}
	if err != nil {
		return nil, err
	}
	defer bk.Close()
	res := &Result{Path: path}
	r := &resolver{bk: bk, opts: opts, res: res}
	if err := r.run(ctx); err != nil {
		var le *xlsxlite.LimitError
		if errors.As(err, &le) {
			return nil, &FileError{Path: path, Message: "the workbook is too large to read safely (" + le.Error() + ")", Err: err}
		}
		return nil, err
	}
	for i := range res.Boxes {
		res.Boxes[i] = Box{Number: i + 1, Value: r.money[i], OK: r.moneyOK[i]}
	}
	for _, p := range r.problems {
		if p.Box >= 1 && p.Box <= 9 {
			res.Boxes[p.Box-1].Problems = append(res.Boxes[p.Box-1].Problems, p)
		}
	}
	if len(r.problems) > 0 {
		return res, &Problems{Path: path, Cells: r.problems}
	}
	return res, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func hashFile(f *os.File, size int64) (string, error) {
	h := sha256.New()
	// A SectionReader leaves f's offset alone, so sniffing and hashing cannot disturb each other.
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// openBook opens a workbook: .ods with pkg/workbook/ods, every other package with the lazy
// reader. An encrypted package is decrypted in memory first (excelize implements the ECMA-376
// agile and standard encryption; nothing else of it is used), so every .xlsx is computed by the
// same exact evaluator.
func openBook(path string, k kind, password string) (book, error) {
	if k == kindODS {
		return openODS(path)
	}
	if k == kindEncrypted {
		return openEncrypted(path, password)
	}
	f, err := xlsxlite.Open(path, liteLimits())
	if err != nil {
		return nil, &FileError{Path: path, Message: "the file is damaged and cannot be read as a workbook (" + err.Error() + ")", Err: err}
	}
	return &liteBook{f: f}, nil
}

func openEncrypted(path string, password string) (book, error) {
	if password == "" {
		return nil, &FileError{Path: path, Message: "the workbook is password-protected; give its password", Err: ErrPasswordRequired}
	}
	raw, err := os.ReadFile(path) // sniff has bounded its size
	if err != nil {
		return nil, &FileError{Path: path, Message: "cannot read the file: " + errText(err), Err: err}
	}
	plain, err := excelize.Decrypt(raw, &excelize.Options{Password: password})
	// A wrong password decrypts without error into bytes that are not a zip package.
	if err != nil || !bytes.HasPrefix(plain, []byte("PK\x03\x04")) {
		return nil, &FileError{Path: path, Message: "the password does not open this workbook", Err: ErrWrongPassword}
	}
	f, err := xlsxlite.OpenBytes(plain, liteLimits())
	if err != nil {
		return nil, &FileError{Path: path, Message: "the decrypted workbook is damaged (" + err.Error() + ")", Err: err}
	}
	return &liteBook{f: f}, nil
}

// resolver carries one Read's state: the problems and warnings gathered so far.
type resolver struct {
	bk       book
	opts     Options
	res      *Result
	names    map[string][]DefinedName // lower-case name → definitions in every scope
	sheets   []string
	problems []*CellError
	// addressNames are the box names that are also cell addresses in Excel, warned about once.
	addressNames []addressName
	// money and moneyOK are the boxes' final values, set by assemble.
	money   [9]vatreturn.Money
	moneyOK [9]bool
}

func (r *resolver) fail(e *CellError) { r.problems = append(r.problems, e) }

type addressName struct {
	box       int
	name, col string
	row       int
}

// warnAddressNames says once, not once a box, that box names such as Box1 are also cell
// addresses in Excel: a workbook that uses them uses them for every box.
func (r *resolver) warnAddressNames() {
	switch len(r.addressNames) {
	case 0:
	case 1:
		a := r.addressNames[0]
		r.warn("box %d: the defined name %s is also a cell address in Excel 2007 and later (column %s, row %d), so Excel may refuse, rename or drop it; rename it VAT_Box%d or %s",
			a.box, a.name, a.col, a.row, a.box, vatreturn.Boxes[a.box-1].Field)
	default:
		names := make([]string, len(r.addressNames))
		for i, a := range r.addressNames {
			names[i] = a.name
		}
		r.warn("the defined names %s are also cell addresses in Excel 2007 and later (column %s), so Excel may refuse, rename or drop them; rename them VAT_Box1…VAT_Box9 or HMRC's field names (vatDueSales…)",
			strings.Join(names, ", "), r.addressNames[0].col)
	}
}

// excelNames reports whether the workbook's names are Excel's: those of a .csv are made up by
// vat, and LibreOffice's default sheets end at column AMJ, so Box1 is a name there.
func (r *resolver) excelNames() bool {
	x, ok := r.bk.(interface{ excelNames() bool })
	return ok && x.excelNames()
}

func (r *resolver) warn(format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, fmt.Sprintf(format, args...))
}

// boxNames lists the default names for box n, in the order the README gives them.
func boxNames(n int) []string {
	return []string{fmt.Sprintf("Box%d", n), fmt.Sprintf("VAT_Box%d", n), fmt.Sprintf("VATBox%d", n), vatreturn.Boxes[n-1].Field}
}

func (r *resolver) run(ctx context.Context) error {
	r.sheets = r.bk.SheetNames()
	r.names = map[string][]DefinedName{}
	for _, d := range r.bk.DefinedNames() {
		if strings.HasPrefix(strings.ToLower(d.Name), "_xlnm.") {
			continue
		}
		k := strings.ToLower(d.Name)
		r.names[k] = append(r.names[k], d)
	}
	var vals [9]vatreturn.Decimal
	var have [9]bool // a usable value was read
	var found [9]bool
	for n := 1; n <= 9; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, ok := r.locate(n)
		r.res.Sources[n-1] = src
		_, mapped := r.opts.Map[n]
		found[n-1] = ok || src.Name != "" || mapped
		if !ok {
			continue
		}
		d, ok, err := r.readBox(ctx, n, &r.res.Sources[n-1])
		if err != nil {
			return err
		}
		vals[n-1], have[n-1] = d, ok
	}
	r.warnAddressNames()
	if vu, ok := r.bk.(interface{ volatileUses() []formula.VolatileUse }); ok {
		for _, u := range vu.volatileUses() {
			where := ""
			if u.Cell != "" {
				where = " in " + cellRef(u.Sheet, u.Cell)
			}
			r.warn("the boxes depend on %s%s, a volatile function whose result depends on the workbook as it is when calculated; vat computed it from the cells as saved, so check that the range it gives is the one you mean", u.Func, where)
		}
	}
	if mc, ok := r.bk.(interface{ manualCalc() bool }); ok && mc.manualCalc() {
		r.warn("the workbook is set to manual calculation, so its saved results may predate its last edits; vat recomputed every box it can and compared, but set calculation to automatic (Formulas > Calculation Options) before you file")
	}
	r.assemble(vals, have, found)
	r.readPeriod(ctx)
	r.warnExamples()
	return ctx.Err()
}

// locate finds the cell for box n. ok is false when there is none or it is unusable; a missing
// box 3 or 5 is not a problem (it is computed), every other failure is recorded.
func (r *resolver) locate(n int) (Source, bool) {
	src := Source{Box: n}
	if m, ok := r.opts.Map[n]; ok && strings.Contains(m, "!") {
		sheet, cell, err := parseRef(m)
		if err != nil {
			r.fail(&CellError{Box: n, Message: "the --map reference " + refError(m, err), Err: err})
			return src, false
		}
		actual, ok := r.sheet(sheet)
		if !ok {
			r.fail(&CellError{Box: n, Sheet: sheet, Cell: cell, Message: fmt.Sprintf("the --map reference names sheet %s, which is not in the workbook", quoteSheet(sheet))})
			return src, false
		}
		src.Sheet, src.Cell = actual, cell
		return src, true
	}
	candidates := boxNames(n)
	if m, ok := r.opts.Map[n]; ok {
		candidates = []string{strings.TrimSpace(m)}
	}
	type hit struct {
		def          DefinedName
		sheet, cell  string
		err          error
		missingSheet string
	}
	var hits []hit
	for _, c := range candidates {
		for _, d := range r.names[strings.ToLower(c)] {
			h := hit{def: d}
			sheet, cell, err := parseRef(d.RefersTo)
			switch {
			case err != nil:
				h.err = err
			default:
				if actual, ok := r.sheet(sheet); ok {
					h.sheet, h.cell = actual, cell
				} else {
					h.missingSheet, h.cell = sheet, cell
				}
			}
			dup := false
			for _, o := range hits {
				if o.err == nil && h.err == nil && o.sheet == h.sheet && o.cell == h.cell && o.missingSheet == h.missingSheet {
					dup = true // the same cell under two names or scopes is harmless
				}
			}
			if !dup {
				hits = append(hits, h)
			}
		}
	}
	switch {
	case len(hits) == 0:
		if _, mapped := r.opts.Map[n]; mapped {
			r.fail(&CellError{Box: n, Name: candidates[0], Message: fmt.Sprintf("--map names %q for this box, but the workbook has no such defined name", candidates[0])})
		} else if n != 3 && n != 5 {
			r.fail(&CellError{Box: n, Message: fmt.Sprintf("no defined name for this box; name its cell %s (or %s, %s), or map it with --map", candidates[1], candidates[2], candidates[3])})
		}
		return src, false
	case len(hits) > 1:
		descr := make([]string, len(hits))
		for i, h := range hits {
			descr[i] = describeName(h.def)
			switch {
			case h.err != nil:
				descr[i] += " → " + strings.TrimPrefix(h.def.RefersTo, "=")
			case h.missingSheet != "":
				descr[i] += " → " + cellRef(h.missingSheet, h.cell)
			default:
				descr[i] += " → " + cellRef(h.sheet, h.cell)
			}
		}
		r.fail(&CellError{Box: n, Name: hits[0].def.Name, Sheet: hits[0].sheet, Cell: hits[0].cell,
			Message: fmt.Sprintf("%d names define this box: %s; keep exactly one", len(hits), strings.Join(descr, " and "))})
		src.Name = hits[0].def.Name
		return src, false
	}
	h := hits[0]
	src.Name = h.def.Name
	if col, row, ok := formula.ParseCell(h.def.Name); ok && r.excelNames() {
		// Excel 2007 widened sheets to column XFD, so Box1 is also the cell in column BOX: Excel
		// refuses such a name and may rename it (_Box1) or drop it when it opens an older file.
		r.addressNames = append(r.addressNames, addressName{box: n, name: h.def.Name, col: formula.ColName(col), row: row})
	}
	switch {
	case h.err != nil:
		r.fail(&CellError{Box: n, Name: h.def.Name, Message: definedAs(h.def) + refError(h.def.RefersTo, h.err), Err: h.err})
		return src, false
	case h.missingSheet != "":
		r.fail(&CellError{Box: n, Name: h.def.Name, Sheet: h.missingSheet, Cell: h.cell, Message: fmt.Sprintf("the name refers to sheet %s, which is not in the workbook", quoteSheet(h.missingSheet))})
		return src, false
	}
	src.Sheet, src.Cell = h.sheet, h.cell
	return src, true
}

func describeName(d DefinedName) string {
	if d.Scope == "" {
		return "name " + d.Name
	}
	return fmt.Sprintf("name %s (local to sheet %s)", d.Name, quoteSheet(d.Scope))
}

// definedAs introduces a name's definition in messages that already name it.
func definedAs(d DefinedName) string {
	if d.Scope == "" {
		return "its definition "
	}
	return fmt.Sprintf("its definition (local to sheet %s) ", quoteSheet(d.Scope))
}

// sheet finds a sheet by name the way Excel does, ignoring case.
func (r *resolver) sheet(name string) (string, bool) {
	for _, s := range r.sheets {
		if strings.EqualFold(s, name) {
			return s, true
		}
	}
	return "", false
}

// value fetches a cell's value, computing formulas that have no cached result.
func (r *resolver) value(ctx context.Context, sheet, cell string) (CellValue, error) {
	v, err := r.bk.Cell(sheet, cell)
	if err != nil {
		return v, err
	}
	if v.Formula == "" || v.HasCached {
		return v, nil
	}
	out, err := r.bk.Calc(ctx, sheet, cell)
	if err != nil {
		return v, err
	}
	v.Cached, v.HasCached = out, true
	switch {
	case out == "":
		v.Type = TypeEmpty
	case out == "TRUE" || out == "FALSE":
		v.Type = TypeBool
	case strings.HasPrefix(out, "#"):
		v.Type = TypeError
	default:
		if _, err := vatreturn.ParseDecimal(out); err == nil {
			v.Type = TypeNumber
		} else {
			v.Type = TypeString
		}
	}
	return v, nil
}

// Remedy is the advice given whenever vat cannot compute a formula that has no saved result.
const Remedy = "open it in Excel or LibreOffice, let it calculate, save, and run again"

// unsupportedMessage explains a formula the exact evaluator does not implement: which construct,
// in which cell (often a precedent, not the box itself), and the remedy. Guessing is never an
// option, so the box is refused.
func unsupportedMessage(err error) (string, bool) {
	var u *formula.UnsupportedError
	if !errors.As(err, &u) {
		return "", false
	}
	where := ""
	if u.Cell != "" {
		where = " in " + cellRef(u.Sheet, u.Cell)
	}
	if u.Volatile {
		return fmt.Sprintf("has no saved result and depends on %s%s, whose result depends on when the workbook is calculated, which vat does not compute; %s", strings.TrimPrefix(u.Feature, "function "), where, Remedy), true
	}
	return fmt.Sprintf("has no saved result and vat cannot compute it exactly: %s%s is not supported; %s", u.Feature, where, Remedy), true
}

func volatileWhere(u *formula.UnsupportedError) string {
	if u.Cell == "" {
		return ""
	}
	return " (in " + cellRef(u.Sheet, u.Cell) + ")"
}

// stale recomputes a box whose file carries a saved result and compares the two. A program that
// does not recalculate (a script, some exporters), or Excel set to manual calculation, saves
// results that no longer follow from the formulas; filing them would be silently wrong. A
// formula the evaluator cannot compute keeps its saved result: Excel or LibreOffice computed it,
// and nothing here can say otherwise.
func (r *resolver) stale(ctx context.Context, src *Source, saved CellValue) (string, bool) {
	out, err := r.bk.Calc(ctx, src.Sheet, src.Cell)
	if err != nil {
		var u *formula.UnsupportedError
		if errors.As(err, &u) && u.Volatile {
			r.warn("box %d (%s): %s depends on %s%s, whose result depends on when the workbook was calculated; the saved result is used, so check that it was calculated for this period", src.Box, vatreturn.Boxes[src.Box-1].Field, cellRef(src.Sheet, src.Cell), strings.TrimPrefix(u.Feature, "function "), volatileWhere(u))
		}
		return "", false
	}
	same := out == saved.Cached
	if !same && saved.Type == TypeNumber {
		// Saved numbers are doubles: compare the amounts that would be filed, to the penny, after
		// reading the double the way Excel shows it.
		if a, _, err := normaliseNumber(saved.Cached); err == nil {
			if b, err := vatreturn.ParseDecimal(out); err == nil {
				pa, errA := a.RoundPenny()
				pb, errB := b.RoundPenny()
				same = errA == nil && errB == nil && pa == pb
			}
		}
	}
	if same {
		return "", false
	}
	return fmt.Sprintf("holds the saved result %s, but its formula gives %s from the cells as saved: the saved results are out of date (the file was saved without recalculating, or with calculation set to manual); open it in Excel or LibreOffice, recalculate (Ctrl+Alt+F9 in Excel, Ctrl+Shift+F9 in LibreOffice), save, and run again (if the two still differ after that, vat computes this formula differently from your spreadsheet program: please report it)", shorten(saved.Cached), shorten(out)), true
}

// readBox reads box n's cell as an exact decimal. ok is false when the cell holds no usable
// amount; the reason has been recorded. The error is only for cancellation.
func (r *resolver) readBox(ctx context.Context, n int, src *Source) (vatreturn.Decimal, bool, error) {
	cellErr := func(msg string, err error) *CellError {
		return &CellError{Box: n, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: msg, Err: err}
	}
	v, err := r.bk.Cell(src.Sheet, src.Cell)
	saved := err == nil && v.Formula != "" && v.HasCached
	if err == nil {
		v, err = r.value(ctx, src.Sheet, src.Cell)
	}
	src.Raw, src.Formula = v.Cached, v.Formula
	if err == nil && saved {
		if msg, stale := r.stale(ctx, src, v); stale {
			r.fail(cellErr(msg, nil))
			return vatreturn.Decimal{}, false, nil
		}
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return vatreturn.Decimal{}, false, ctxErr
		}
		var le *xlsxlite.LimitError
		if errors.As(err, &le) {
			return vatreturn.Decimal{}, false, err // the file, not the cell, is at fault
		}
		if msg, ok := unsupportedMessage(err); ok {
			r.fail(cellErr(msg, err))
			return vatreturn.Decimal{}, false, nil
		}
		r.fail(cellErr("cannot be read: "+err.Error(), err))
		return vatreturn.Decimal{}, false, nil
	}
	switch v.Type {
	case TypeNumber:
		d, noise, err := normaliseNumber(v.Cached)
		if err != nil {
			r.fail(cellErr(fmt.Sprintf("holds %s, which is not a number", shorten(v.Cached)), err))
			return vatreturn.Decimal{}, false, nil
		}
		_ = noise // floating-point noise is not the user's doing and needs no warning
		return d, true, nil
	case TypeString:
		d, err := parseTextNumber(v.Cached)
		if err != nil {
			r.fail(cellErr(describeValue(v), err))
			return vatreturn.Decimal{}, false, nil
		}
		shown := d.String()
		if m, err := d.Money(); err == nil {
			shown = m.String()
		}
		r.warn("box %d (%s): %s holds the text %s, read as the number %s; store it as a number", n, vatreturn.Boxes[n-1].Field, cellRef(src.Sheet, src.Cell), shorten(v.Cached), shown)
		return d, true, nil
	}
	r.fail(cellErr(describeValue(v), nil))
	return vatreturn.Decimal{}, false, nil
}

// assemble turns the exact values into pence (rounding when asked), computes or checks boxes 3
// and 5, and applies HMRC's rules, naming the cells involved in every problem.
func (r *resolver) assemble(vals [9]vatreturn.Decimal, have, found [9]bool) {
	var money [9]vatreturn.Money
	var moneyOK [9]bool
	for i := range 9 {
		if !have[i] {
			continue
		}
		n, src := i+1, r.res.Sources[i]
		if r.opts.Round {
			m, changed, err := vatreturn.RoundBox(n, vals[i])
			if err != nil {
				r.fail(&CellError{Box: n, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: fmt.Sprintf("%s is too large", vals[i]), Err: err})
				continue
			}
			if changed {
				r.warn("%s (%s)", vatreturn.Change{Box: n, From: vals[i], To: m}, cellRef(src.Sheet, src.Cell))
			}
			money[i], moneyOK[i] = m, true
			continue
		}
		m, err := vals[i].Money()
		if err != nil {
			msg := fmt.Sprintf("%s is too large", vals[i])
			if errors.Is(err, vatreturn.ErrPrecision) {
				msg = fmt.Sprintf("%s has more than two decimal places; round it in the workbook (for example =ROUND(…,2)) or use --round", vals[i])
			}
			r.fail(&CellError{Box: n, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: msg, Err: err})
			continue
		}
		money[i], moneyOK[i] = m, true
	}
	r.derive(3, vals, have, found, money[:], moneyOK[:], func() (vatreturn.Money, vatreturn.Decimal, string) {
		return money[0] + money[1], vals[0].Add(vals[1]), "box 1 + box 2"
	}, moneyOK[0] && moneyOK[1], []int{1, 2})
	r.derive(5, vals, have, found, money[:], moneyOK[:], func() (vatreturn.Money, vatreturn.Decimal, string) {
		return (money[2] - money[3]).Abs(), vals[2].Sub(vals[3]).Abs(), "the difference between box 3 and box 4"
	}, moneyOK[2] && moneyOK[3], []int{3, 4})
	for i := range 9 {
		if moneyOK[i] {
			r.res.Return.SetBox(i+1, money[i])
		}
	}
	r.money, r.moneyOK = money, moneyOK
	for _, p := range r.res.Return.Validate() {
		if p.Code != vatreturn.CodeInvalidAmount || !moneyOK[p.Box-1] {
			continue // derive has checked the arithmetic with the cells named
		}
		src := r.res.Sources[p.Box-1]
		r.fail(&CellError{Box: p.Box, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: p.Message, Err: p})
	}
}

// derive computes box n (3 or 5) when the workbook has no cell for it, or checks the cell against
// the boxes it depends on. inputsOK says the inputs were read.
func (r *resolver) derive(n int, vals [9]vatreturn.Decimal, have, found [9]bool, money []vatreturn.Money, moneyOK []bool,
	calc func() (vatreturn.Money, vatreturn.Decimal, string), inputsOK bool, inputs []int) {
	i := n - 1
	field := vatreturn.Boxes[i].Field
	if !found[i] {
		if !inputsOK {
			return
		}
		m, _, how := calc()
		money[i], moneyOK[i] = m, true
		r.res.Sources[i] = Source{Box: n, Computed: true, Raw: m.String()}
		r.warn("box %d (%s): the workbook has no name for it; computed as %s = %s", n, field, how, m)
		return
	}
	if !moneyOK[i] || !inputsOK {
		return
	}
	want, exact, how := calc()
	got := money[i]
	if n == 5 && got == -want && got != 0 {
		return // a negative box 5 gets its own, clearer message from Validate
	}
	if got == want {
		return
	}
	src := r.res.Sources[i]
	if r.opts.Round && have[i] && vals[i].Cmp(exact) == 0 {
		// The exact values agree and only rounding split them: follow the rounded inputs so the
		// return stays consistent, and say so.
		money[i] = want
		r.warn("box %d (%s): set to %s = %s so that it matches the rounded boxes (%s held %s)", n, field, how, want, cellRef(src.Sheet, src.Cell), vals[i])
		return
	}
	parts := make([]string, len(inputs))
	for j, in := range inputs {
		s := r.res.Sources[in-1]
		where := cellRef(s.Sheet, s.Cell)
		if s.Computed {
			where = "computed"
		}
		parts[j] = fmt.Sprintf("box %d %s = %s", in, where, money[in-1])
	}
	code := vatreturn.CodeTotalValue
	if n == 5 {
		code = vatreturn.CodeNetValue
	}
	msg := fmt.Sprintf("holds %s but %s is %s (%s); HMRC rejects this (%s)", got, how, want, strings.Join(parts, ", "), code)
	// The rule broken travels as a vatreturn.Problem, so that its HMRC code reaches the JSON.
	r.fail(&CellError{Box: n, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: msg,
		Err: vatreturn.Problem{Box: n, Field: field, Code: code, Message: msg}})
}

// readPeriod reads the optional PeriodStart, PeriodEnd and VRN names.
func (r *resolver) readPeriod(ctx context.Context) {
	start, _, okS := r.readDate(ctx, "PeriodStart")
	end, endSrc, okE := r.readDate(ctx, "PeriodEnd")
	r.res.PeriodStart, r.res.PeriodEnd = start, end
	if okS && okE && end.Before(start) {
		r.fail(&CellError{Name: endSrc.Name, Sheet: endSrc.Sheet, Cell: endSrc.Cell,
			Message: fmt.Sprintf("%s is before PeriodStart %s", end.Format(time.DateOnly), start.Format(time.DateOnly))})
	}
	src, v, ok := r.optional(ctx, "VRN")
	if !ok {
		return
	}
	vrn := strings.ToUpper(strings.Join(strings.Fields(v.Cached), ""))
	vrn = strings.TrimPrefix(vrn, "GB")
	if v.Type == TypeNumber {
		if d, err := vatreturn.ParseDecimal(vrn); err == nil {
			vrn = d.String()
		}
	}
	if len(vrn) != 9 || strings.Trim(vrn, "0123456789") != "" {
		r.fail(&CellError{Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: fmt.Sprintf("holds %s, which is not a 9-digit VAT registration number", shorten(v.Cached))})
		return
	}
	r.res.VRN, r.res.VRNSource = vrn, src
}

// optional resolves one of the optional names; ok is false when it is absent or unusable (the
// latter recorded as a problem).
func (r *resolver) optional(ctx context.Context, name string) (Source, CellValue, bool) {
	defs := r.names[strings.ToLower(name)]
	if len(defs) == 0 {
		return Source{}, CellValue{}, false
	}
	var targets []string
	src := Source{Name: defs[0].Name}
	for _, d := range defs {
		sheet, cell, err := parseRef(d.RefersTo)
		if err != nil {
			r.fail(&CellError{Name: d.Name, Message: definedAs(d) + refError(d.RefersTo, err), Err: err})
			return src, CellValue{}, false
		}
		actual, ok := r.sheet(sheet)
		if !ok {
			r.fail(&CellError{Name: d.Name, Sheet: sheet, Cell: cell, Message: fmt.Sprintf("the name refers to sheet %s, which is not in the workbook", quoteSheet(sheet))})
			return src, CellValue{}, false
		}
		t := cellRef(actual, cell)
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
		src.Sheet, src.Cell = actual, cell
	}
	if len(targets) > 1 {
		r.fail(&CellError{Name: src.Name, Message: fmt.Sprintf("%d names %s point at different cells (%s); keep one", len(targets), name, strings.Join(targets, " and "))})
		return src, CellValue{}, false
	}
	v, err := r.value(ctx, src.Sheet, src.Cell)
	if err != nil {
		r.fail(&CellError{Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: "cannot be read: " + err.Error(), Err: err})
		return src, v, false
	}
	if v.Type == TypeEmpty {
		return src, v, false // an empty optional cell is the same as no name
	}
	return src, v, true
}

// excelEpoch is day 0 of Excel's 1900 date system as used by every modern file: serial 1 is
// 1900-01-01 only because Excel counts a fictional 1900-02-29, so anchoring at 1899-12-30 makes
// every serial from 61 (1900-03-01) onwards exact.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excel1904Epoch is day 0 of the 1904 date system that old Mac Excel workbooks use.
var excel1904Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

var dateLayouts = []string{time.DateOnly, "02/01/2006", "2/1/2006", "2 January 2006", "2 Jan 2006", "02-01-2006", "2006/01/02"}

func (r *resolver) readDate(ctx context.Context, name string) (time.Time, Source, bool) {
	src, v, ok := r.optional(ctx, name)
	if !ok {
		return time.Time{}, src, false
	}
	bad := func(why string) (time.Time, Source, bool) {
		r.fail(&CellError{Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Message: why})
		return time.Time{}, src, false
	}
	switch v.Type {
	case TypeNumber:
		d, err := vatreturn.ParseDecimal(v.Cached)
		if err != nil {
			return bad(fmt.Sprintf("holds %s, which is not a date", shorten(v.Cached)))
		}
		days, err := d.TruncatePounds() // whole part, in pence: the time of day is dropped
		if err != nil || days.WholePounds() < 1 || days.WholePounds() > 2958465 {
			return bad(fmt.Sprintf("holds the number %s, which is not a date serial number", v.Cached))
		}
		epoch := excelEpoch
		if ds, ok := r.bk.(interface{ date1904() bool }); ok && ds.date1904() {
			epoch = excel1904Epoch
		}
		return epoch.AddDate(0, 0, int(days.WholePounds())), src, true
	case TypeDate, TypeString:
		s := strings.TrimSpace(v.Cached)
		if v.Type == TypeDate && len(s) >= 10 {
			s = s[:10]
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s); err == nil {
				if _, csv := r.bk.(*csvBook); v.Type == TypeString && l != time.DateOnly && !csv {
					// The date is clear to vat, but formulas that compare dates with this cell
					// (the ledger's SUMIFS) see text: Excel reads day-first text by locale, other
					// programs may match nothing, and the boxes would then be silently 0. ISO
					// dates read the same everywhere.
					r.warn("%s (%s) holds the text %q, not a date: vat reads it as %s, but formulas comparing dates with it may treat it as text; enter it as a date",
						name, cellRef(src.Sheet, src.Cell), s, t.Format("2 January 2006"))
				}
				return t, src, true
			}
		}
		return bad(fmt.Sprintf("holds the text %s, which is not a date (write it as 2026-03-31 or as a date cell)", shorten(v.Cached)))
	}
	return bad(describeValue(v))
}
