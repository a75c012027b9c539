package xlsxlite

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/vatbridge/vat/pkg/workbook/formula"
)

// DefinedName is one entry of the workbook's definedNames table. Field names mirror
// pkg/workbook's DefinedName.
type DefinedName struct {
	Name     string
	RefersTo string // raw formula text without a leading '=', e.g. `'VAT Return'!$C$7`
	Scope    string // "" for workbook scope, otherwise the sheet the name belongs to
	Hidden   bool
}

type sheetInfo struct {
	name  string
	part  string // zip entry name, e.g. xl/worksheets/sheet1.xml
	state string // "", "hidden" or "veryHidden"
}

// File is an open workbook. Its methods are safe for concurrent use.
type File struct {
	mu     sync.Mutex
	zr     *zip.Reader
	closer io.Closer // the file behind zr; nil for OpenBytes
	limits Limits
	parts  map[string]*zip.File // lower-cased entry name → entry
	sheets []sheetInfo
	names  []DefinedName
	sst    *sharedStrings
	data   map[int]*sheetData // loaded cells per sheet index
	eval   *formula.Evaluator
	// smallSheet is the size threshold below which sheets load whole (tests lower it to drive
	// the streaming paths with small files).
	smallSheet int64
	// fullScans counts whole-sheet passes per sheet index; tests use it to hold Calc to its
	// promise of one pass over the ledger.
	fullScans map[int]int
	date1904  bool
	tables    map[string]formula.Table // lower-cased table name → table; nil until loaded
	// hiddenRows holds, per sheet index, the rows a full pass found hidden (by hand or by a
	// filter); a sheet never passed over in full has no entry.
	hiddenRows map[int]map[int]bool
	// manualCalc is calcPr calcMode="manual".
	manualCalc bool
	nameIndex  map[string][]int // lower-cased name → indexes into names
	cellsHeld  int              // cells loaded from all sheets, for Limits.MaxCells
}

var (
	zipMagic  = []byte("PK\x03\x04")
	ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

const odsMime = "application/vnd.oasis.opendocument.spreadsheet"

// Open opens a plain (unencrypted) .xlsx/.xlsm workbook and reads its sheet list and defined
// names; no worksheet is read until a cell is asked for.
func Open(name string, limits Limits) (*File, error) {
	limits = limits.withDefaults()
	if err := sniff(name); err != nil {
		return nil, err
	}
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	f, err := open(&zr.Reader, zr, limits)
	if err != nil {
		zr.Close()
		return nil, err
	}
	return f, nil
}

// OpenBytes opens a package held in memory: a password-protected workbook once decrypted, which
// must not be written to disk in the clear.
func OpenBytes(b []byte, limits Limits) (*File, error) {
	limits = limits.withDefaults()
	if len(b) < 4 || !bytes.Equal(b[:4], zipMagic) {
		return nil, ErrNotZip
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return open(zr, nil, limits)
}

func open(zr *zip.Reader, closer io.Closer, limits Limits) (*File, error) {
	f := &File{zr: zr, closer: closer, limits: limits, parts: make(map[string]*zip.File, len(zr.File)), data: make(map[int]*sheetData), smallSheet: smallSheet, fullScans: map[int]int{}}
	if err := f.init(); err != nil {
		return nil, err
	}
	return f, nil
}

func sniff(name string) error {
	fh, err := os.Open(name)
	if err != nil {
		return err
	}
	defer fh.Close()
	var head [8]byte
	n, err := io.ReadFull(fh, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	switch {
	case n == 8 && bytes.Equal(head[:], ole2Magic):
		return fmt.Errorf("%w: %w", ErrNotZip, ErrOLE2)
	case n < 4 || !bytes.Equal(head[:4], zipMagic):
		return ErrNotZip
	}
	return nil
}

func (f *File) init() error {
	var total int64
	for _, zf := range f.zr.File {
		size := int64(zf.UncompressedSize64)
		if zf.UncompressedSize64 > 1<<62 {
			size = 1 << 62
		}
		if size > f.limits.MaxPartSize {
			return &LimitError{Part: zf.Name, What: "uncompressed size", Size: size, Limit: f.limits.MaxPartSize}
		}
		if size > 1<<20 && zf.CompressedSize64 > 0 && size/int64(zf.CompressedSize64) > f.limits.MaxRatio {
			return &LimitError{Part: zf.Name, What: "compression ratio", Size: size / int64(zf.CompressedSize64), Limit: f.limits.MaxRatio}
		}
		total += size
		if total > f.limits.MaxTotalSize {
			return &LimitError{What: "total uncompressed size", Size: total, Limit: f.limits.MaxTotalSize}
		}
		f.parts[strings.ToLower(strings.TrimPrefix(zf.Name, "/"))] = zf
	}
	if zf := f.parts["mimetype"]; zf != nil {
		if b, err := f.readMeta("mimetype"); err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), odsMime) {
			return ErrODS
		}
	}
	wbPart, err := f.workbookPart()
	if err != nil {
		return err
	}
	rels, err := f.readRels(wbPart)
	if err != nil {
		return err
	}
	return f.readWorkbook(wbPart, rels)
}

// open returns a reader for a part that fails once more than the part's bound is read, so a
// lying size in the zip directory cannot inflate past the limit.
func (f *File) open(part string, limit int64) (io.ReadCloser, error) {
	zf := f.parts[strings.ToLower(strings.TrimPrefix(part, "/"))]
	if zf == nil {
		return nil, fmt.Errorf("%w: missing part %s", ErrCorrupt, part)
	}
	if int64(zf.UncompressedSize64) > limit {
		return nil, &LimitError{Part: zf.Name, What: "uncompressed size", Size: int64(zf.UncompressedSize64), Limit: limit}
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, part, err)
	}
	return &boundedReader{rc: rc, left: limit, part: zf.Name, limit: limit}, nil
}

type boundedReader struct {
	rc    io.ReadCloser
	left  int64
	part  string
	limit int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, &LimitError{Part: b.part, What: "data read", Size: b.limit + 1, Limit: b.limit}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %s: %w", ErrCorrupt, b.part, err)
	}
	return n, err
}

func (b *boundedReader) Close() error { return b.rc.Close() }

func (f *File) readMeta(part string) ([]byte, error) {
	rc, err := f.open(part, f.limits.MaxMetaSize)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func (f *File) has(part string) bool {
	_, ok := f.parts[strings.ToLower(strings.TrimPrefix(part, "/"))]
	return ok
}

// workbookPart finds the main workbook part through the package relationships, falling back to
// the conventional name.
func (f *File) workbookPart() (string, error) {
	if f.has("_rels/.rels") {
		rels, err := f.parseRels("_rels/.rels", "")
		if err != nil {
			return "", err
		}
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") && f.has(r.target) {
				return r.target, nil
			}
		}
	}
	if f.has("xl/workbook.xml") {
		return "xl/workbook.xml", nil
	}
	return "", ErrNotWorkbook
}

type rel struct{ id, typ, target string }

// parseRels reads a .rels part; targets are resolved against base (the directory of the
// source part) into zip entry names.
func (f *File) parseRels(part, base string) ([]rel, error) {
	b, err := f.readMeta(part)
	if err != nil {
		return nil, err
	}
	s := newXMLScannerSize(bytes.NewReader(b), 1<<20, int64(len(b)))
	var out []rel
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, part, err)
		}
		if s.kind != tokStart || string(s.name) != "Relationship" {
			continue
		}
		if s.attrString("TargetMode") == "External" {
			continue
		}
		target := s.attrString("Target")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(base, target)
		}
		out = append(out, rel{id: s.attrString("Id"), typ: s.attrString("Type"), target: target})
	}
}

func (f *File) readRels(wbPart string) (map[string]string, error) {
	dir := path.Dir(wbPart)
	relsPart := path.Join(dir, "_rels", path.Base(wbPart)+".rels")
	out := map[string]string{}
	if !f.has(relsPart) {
		return out, nil
	}
	rels, err := f.parseRels(relsPart, dir)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		out[r.id] = r.target
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			f.sst = &sharedStrings{f: f, part: r.target}
		}
	}
	if f.sst == nil && f.has(path.Join(dir, "sharedStrings.xml")) {
		f.sst = &sharedStrings{f: f, part: path.Join(dir, "sharedStrings.xml")}
	}
	return out, nil
}

func (f *File) readWorkbook(part string, rels map[string]string) error {
	b, err := f.readMeta(part)
	if err != nil {
		return err
	}
	s := newXMLScannerSize(bytes.NewReader(b), 1<<20, int64(len(b)))
	type pendingName struct {
		DefinedName
		local int
	}
	var names []pendingName
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, part, err)
		}
		if s.kind != tokStart {
			continue
		}
		switch string(s.name) {
		case "workbookPr":
			v := s.attrString("date1904")
			f.date1904 = v == "1" || v == "true"
		case "calcPr":
			f.manualCalc = s.attrString("calcMode") == "manual"
		case "sheet":
			name := s.attrString("name")
			target, ok := rels[s.attrString("id")]
			if name == "" || !ok {
				// Chart sheets and dialog sheets have relationships too; an entry without a
				// worksheet target is still listed so that localSheetId indexes stay aligned.
				target = ""
			}
			f.sheets = append(f.sheets, sheetInfo{name: name, part: target, state: s.attrString("state")})
		case "definedName":
			n := pendingName{local: -1}
			n.Name = s.attrString("name")
			n.Hidden = s.attrString("hidden") == "1" || s.attrString("hidden") == "true"
			if v := s.attrString("localSheetId"); v != "" {
				if id, err := strconv.Atoi(v); err == nil {
					n.local = id
				}
			}
			text, err := s.collectDefinedName()
			if err != nil {
				return fmt.Errorf("%w: %s: %w", ErrCorrupt, part, err)
			}
			n.RefersTo = strings.TrimPrefix(text, "=")
			names = append(names, n)
		}
	}
	if len(f.sheets) == 0 {
		return fmt.Errorf("%w: workbook has no sheets", ErrNotWorkbook)
	}
	for _, n := range names {
		if n.local >= 0 {
			if n.local >= len(f.sheets) {
				continue // a name scoped to a sheet that does not exist is unusable
			}
			n.Scope = f.sheets[n.local].name
		}
		f.names = append(f.names, n.DefinedName)
	}
	f.nameIndex = make(map[string][]int, len(f.names))
	for i, n := range f.names {
		key := strings.ToLower(n.Name)
		f.nameIndex[key] = append(f.nameIndex[key], i)
	}
	return nil
}

// collectDefinedName returns the text content of the definedName element just started.
func (s *xmlScanner) collectDefinedName() (string, error) {
	if s.selfClose {
		return "", nil
	}
	var b strings.Builder
	for {
		if err := s.next(); err != nil {
			return "", unexpected(err)
		}
		switch s.kind {
		case tokText:
			b.WriteString(s.textString())
		case tokEnd:
			return b.String(), nil
		case tokStart:
			return "", errors.New("unexpected element inside definedName")
		}
	}
}

// DefinedNames returns every defined name, hidden and built-in (_xlnm.*) ones included.
func (f *File) DefinedNames() []DefinedName {
	return append([]DefinedName(nil), f.names...)
}

// SheetNames returns the sheet names in workbook order.
func (f *File) SheetNames() []string {
	out := make([]string, len(f.sheets))
	for i, s := range f.sheets {
		out[i] = s.name
	}
	return out
}

// sheetIndex finds a sheet by name; exact match first, then case-insensitive, as Excel treats
// sheet names in formulas.
func (f *File) sheetIndex(name string) (int, error) {
	for i, s := range f.sheets {
		if s.name == name {
			return i, nil
		}
	}
	for i, s := range f.sheets {
		if strings.EqualFold(s.name, name) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrNoSheet, name)
}

// Close releases the file.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sst != nil {
		f.sst.close()
	}
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Date1904 reports whether the workbook counts dates from 1904 (old Mac Excel).
func (f *File) Date1904() bool { return f.date1904 }

// ManualCalc reports whether the workbook is set to manual calculation (calcPr
// calcMode="manual"): its saved results may predate its last edits.
func (f *File) ManualCalc() bool { return f.manualCalc }

func lower(s string) string { return strings.ToLower(strings.TrimPrefix(s, "/")) }
