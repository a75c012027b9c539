package xlsxlite

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// Scanner exposes this package's XML tokenizer to pkg/workbook/ods, which streams an
// OpenDocument content.xml as worksheets are streamed here: encoding/xml allocates per token and
// would make reading the boxes below a 200,000-row ledger take seconds. Element names are local
// names (the prefix dropped); attributes are looked up by their qualified name as written, since
// OpenDocument has attributes whose local names collide (office:value-type and
// calcext:value-type).
type Scanner struct{ s xmlScanner }

// Token kinds returned by Scanner.Kind.
const (
	TokenStart = int(tokStart)
	TokenEnd   = int(tokEnd)
	TokenText  = int(tokText)
)

// NewScanner reads XML from r; no single tag or text run may exceed maxToken bytes.
func NewScanner(r io.Reader, maxToken int) *Scanner {
	return &Scanner{s: *newXMLScanner(r, maxToken)}
}

// Next advances to the next start tag, end tag or text run; it returns io.EOF at the end.
func (s *Scanner) Next() error { return s.s.next() }

// Kind is TokenStart, TokenEnd or TokenText.
func (s *Scanner) Kind() int { return int(s.s.kind) }

// Name is the local name of the current tag, valid until the next call to Next.
func (s *Scanner) Name() []byte { return s.s.name }

// SelfClosing reports whether the current start tag ends with "/>".
func (s *Scanner) SelfClosing() bool { return s.s.selfClose }

// Text returns the current text run, entities decoded.
func (s *Scanner) Text() string { return s.s.textString() }

// Skip skips the rest of the element whose start tag was just read.
func (s *Scanner) Skip() error { return s.s.skipElement() }

// Attr returns the decoded value of the current start tag's attribute with this qualified name
// ("table:name").
func (s *Scanner) Attr(qname string) (string, bool) {
	var val string
	found := false
	s.EachAttr(func(name, value []byte) bool {
		if string(name) == qname {
			val, found = decodeText(value), true
			return false
		}
		return true
	})
	return val, found
}

// EachAttr calls fn with each attribute's qualified name and raw value until fn returns false.
func (s *Scanner) EachAttr(fn func(name, value []byte) bool) {
	b := s.s.attrs
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return
		}
		key := bytes.TrimSpace(b[:eq])
		rest := bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return
		}
		if !fn(key, rest[1:1+end]) {
			return
		}
		b = rest[end+2:]
	}
}

// WithDefaults fills zero fields with DefaultLimits, as Open does.
func (l Limits) WithDefaults() Limits { return l.withDefaults() }

// OpenBounded opens a zip entry for reading, failing with a *LimitError when its declared size
// is over limit or once more than limit bytes have been inflated, whatever the directory says.
// pkg/workbook/ods reads content.xml through it.
func OpenBounded(zf *zip.File, limit int64) (io.ReadCloser, error) {
	if zf.UncompressedSize64 > 1<<62 || int64(zf.UncompressedSize64) > limit {
		return nil, &LimitError{Part: zf.Name, What: "uncompressed size", Size: int64(min(zf.UncompressedSize64, 1<<62)), Limit: limit}
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, zf.Name, err)
	}
	return &boundedReader{rc: rc, left: limit, part: zf.Name, limit: limit}, nil
}

// DecodeText resolves the predefined entities and character references in raw XML text.
func DecodeText(b []byte) string { return decodeText(b) }
