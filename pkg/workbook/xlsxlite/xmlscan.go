package xlsxlite

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner is a minimal pull tokenizer for the XML of OOXML parts. encoding/xml manages
// about 20–40 MB/s with an allocation per token, which would make one pass over a 50 MB
// worksheet cost more than the whole time budget; this reads bytes straight from a bufio.Reader
// and allocates only for text the caller keeps. It understands elements, attributes, character
// data, the five predefined entities, numeric character references, CDATA, comments,
// processing instructions and a DOCTYPE without an internal subset. Namespace prefixes are
// dropped: OOXML element and attribute local names are unambiguous within the parts read here.
type xmlScanner struct {
	r        *bufio.Reader
	maxToken int

	kind      tokenKind
	name      []byte // local name of a start or end tag
	attrs     []byte // raw attribute text of a start tag
	selfClose bool
	text      []byte // raw character data (entities not yet decoded)
	cdata     bool   // text came from a CDATA section and must not be entity-decoded

	acc     []byte
	tbuf    []byte
	pending bool // a '<' was consumed after text and a tag must be read next

	// pool, when set, interns the strings the scanner returns: ledger columns repeat the same
	// dates and types hundreds of thousands of times.
	pool map[string]string
}

// maxPool bounds an intern pool; a column of unique amounts simply stops being interned.
const maxPool = 1024

// str turns decoded bytes into a string, through the pool when there is one.
func (s *xmlScanner) str(b []byte) string {
	if s.pool == nil {
		return string(b)
	}
	if v, ok := s.pool[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(s.pool) < maxPool {
		s.pool[v] = v
	}
	return v
}

type tokenKind uint8

const (
	tokStart tokenKind = iota + 1
	tokEnd
	tokText
)

// errTokenTooLong reports a single tag or text run beyond the scanner's bound.
var errTokenTooLong = errors.New("xml token too long")

func newXMLScanner(r io.Reader, maxToken int) *xmlScanner {
	return newXMLScannerSize(r, maxToken, 64<<10)
}

// newXMLScannerSize sizes the read buffer to the part, so that the small parts read on every
// open (rels, workbook.xml, the return sheet) do not each allocate 64 KiB.
func newXMLScannerSize(r io.Reader, maxToken int, size int64) *xmlScanner {
	buf := int(min(max(size+1, 4<<10), 64<<10))
	return &xmlScanner{r: bufio.NewReaderSize(r, buf), maxToken: maxToken}
}

// next advances to the next token; it returns io.EOF at the end of input.
func (s *xmlScanner) next() error {
	if !s.pending {
		text, err := s.readUntil('<')
		if err != nil {
			if errors.Is(err, io.EOF) && len(bytes.TrimSpace(text)) == 0 {
				return io.EOF
			}
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		s.pending = true
		if len(text) > 1 {
			s.kind, s.text, s.cdata = tokText, text[:len(text)-1], false
			return nil
		}
	}
	s.pending = false
	return s.readTag()
}

// readUntil returns bytes up to and including delim, valid until the next read.
func (s *xmlScanner) readUntil(delim byte) ([]byte, error) {
	b, err := s.r.ReadSlice(delim)
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	s.acc = append(s.acc[:0], b...)
	for {
		b, err = s.r.ReadSlice(delim)
		s.acc = append(s.acc, b...)
		if len(s.acc) > s.maxToken {
			return nil, errTokenTooLong
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return s.acc, err
		}
	}
}

func (s *xmlScanner) readTag() error {
	c, err := s.r.ReadByte()
	if err != nil {
		return unexpected(err)
	}
	switch c {
	case '?':
		return s.skipPast("?>")
	case '!':
		p, _ := s.r.Peek(7)
		switch {
		case bytes.HasPrefix(p, []byte("--")):
			_, _ = s.r.Discard(2)
			if err := s.skipPast("-->"); err != nil {
				return err
			}
		case bytes.HasPrefix(p, []byte("[CDATA[")):
			_, _ = s.r.Discard(7)
			text, err := s.readPast("]]>")
			if err != nil {
				return err
			}
			s.kind, s.text, s.cdata = tokText, text, true
			return nil
		default:
			// <!DOCTYPE …>: an internal subset could declare entities; none of that is honoured.
			b, err := s.readUntil('>')
			if err != nil {
				return unexpected(err)
			}
			if bytes.IndexByte(b, '[') >= 0 {
				return errors.New("xml: DOCTYPE with an internal subset is not accepted")
			}
		}
		return s.next()
	case '/':
		b, err := s.readUntil('>')
		if err != nil {
			return unexpected(err)
		}
		s.kind, s.name = tokEnd, localName(bytes.TrimSpace(b[:len(b)-1]))
		return nil
	}
	if err := s.r.UnreadByte(); err != nil {
		return err
	}
	b, err := s.readUntil('>')
	if err != nil {
		return unexpected(err)
	}
	// A '>' inside a quoted attribute value does not end the tag.
	if !quotesBalanced(b) {
		s.acc = append(s.acc[:0], b...) // b may alias s.acc; append copies with memmove semantics
		for !quotesBalanced(s.acc) || s.acc[len(s.acc)-1] != '>' {
			more, err := s.r.ReadSlice('>')
			if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
				return unexpected(err)
			}
			s.acc = append(s.acc, more...)
			if len(s.acc) > s.maxToken {
				return errTokenTooLong
			}
		}
		b = s.acc
	}
	b = b[:len(b)-1]
	s.selfClose = len(b) > 0 && b[len(b)-1] == '/'
	if s.selfClose {
		b = b[:len(b)-1]
	}
	end := 0
	for end < len(b) && b[end] != ' ' && b[end] != '\t' && b[end] != '\r' && b[end] != '\n' {
		end++
	}
	s.kind, s.name, s.attrs = tokStart, localName(b[:end]), b[end:]
	return nil
}

func quotesBalanced(b []byte) bool {
	if bytes.IndexByte(b, '\'') < 0 {
		return bytes.Count(b, []byte{'"'})%2 == 0
	}
	var q byte
	for _, c := range b {
		switch {
		case q == 0 && (c == '"' || c == '\''):
			q = c
		case c == q:
			q = 0
		}
	}
	return q == 0
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (s *xmlScanner) skipPast(end string) error {
	_, err := s.readPast(end)
	return err
}

// readPast reads through the terminator end and returns what came before it.
func (s *xmlScanner) readPast(end string) ([]byte, error) {
	last := end[len(end)-1]
	s.acc = s.acc[:0]
	for {
		b, err := s.r.ReadSlice(last)
		s.acc = append(s.acc, b...)
		if len(s.acc) > s.maxToken {
			return nil, errTokenTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return nil, unexpected(err)
		}
		if bytes.HasSuffix(s.acc, []byte(end)) {
			return s.acc[:len(s.acc)-len(end)], nil
		}
	}
}

func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// attr returns the raw (undecoded) value of the attribute with the given local name.
func (s *xmlScanner) attr(name string) ([]byte, bool) {
	b := s.attrs
	for {
		i := 0
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
			i++
		}
		b = b[i:]
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return nil, false
		}
		key := localName(bytes.TrimSpace(b[:eq]))
		rest := bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return nil, false
		}
		if string(key) == name {
			return rest[1 : 1+end], true
		}
		b = rest[end+2:]
	}
}

// attrString returns a decoded attribute value, or "".
func (s *xmlScanner) attrString(name string) string {
	v, ok := s.attr(name)
	if !ok {
		return ""
	}
	return decodeText(v)
}

// textString returns the current character data decoded.
func (s *xmlScanner) textString() string {
	if s.cdata || bytes.IndexByte(s.text, '&') < 0 {
		return s.str(s.text)
	}
	return decodeText(s.text)
}

// decodeText resolves entity and character references. Unknown entities are kept literally:
// OOXML writers only emit the predefined ones.
func decodeText(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			out.Write(b)
			break
		}
		out.Write(b[:i])
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 || semi > 12 {
			out.WriteByte('&')
			b = b[1:]
			continue
		}
		ent := string(b[1:semi])
		switch ent {
		case "amp":
			out.WriteByte('&')
		case "lt":
			out.WriteByte('<')
		case "gt":
			out.WriteByte('>')
		case "quot":
			out.WriteByte('"')
		case "apos":
			out.WriteByte('\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				out.Write(b[:semi+1])
				b = b[semi+1:]
				continue
			}
			out.WriteRune(r)
		}
		b = b[semi+1:]
	}
	return out.String()
}

func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		n, err = strconv.ParseUint(ent[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ent[1:], 10, 32)
	}
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// skipElement skips the rest of the element whose start tag was just read.
func (s *xmlScanner) skipElement() error {
	if s.selfClose {
		return nil
	}
	depth := 1
	for depth > 0 {
		if err := s.next(); err != nil {
			return unexpected(err)
		}
		switch s.kind {
		case tokStart:
			if !s.selfClose {
				depth++
			}
		case tokEnd:
			depth--
		}
	}
	return nil
}

// collectText returns the concatenated text of every <t> inside the element just started,
// leaving out phonetic runs (<rPh>), as Excel does for a shared or inline string.
func (s *xmlScanner) collectText() (string, error) {
	if s.selfClose {
		return "", nil
	}
	b := s.tbuf[:0]
	defer func() { s.tbuf = b[:0] }()
	depth, inT := 1, false
	for depth > 0 {
		if err := s.next(); err != nil {
			return "", unexpected(err)
		}
		switch s.kind {
		case tokStart:
			switch {
			case string(s.name) == "rPh" || string(s.name) == "phoneticPr":
				if err := s.skipElement(); err != nil {
					return "", err
				}
			case s.selfClose:
			default:
				depth++
				inT = string(s.name) == "t"
			}
		case tokEnd:
			depth--
			inT = false
		case tokText:
			if inT {
				if len(b)+len(s.text) > s.maxToken {
					return "", errTokenTooLong
				}
				if s.cdata || bytes.IndexByte(s.text, '&') < 0 {
					b = append(b, s.text...)
				} else {
					b = append(b, decodeText(s.text)...)
				}
			}
		}
	}
	return s.str(b), nil
}

func (s *xmlScanner) String() string {
	return fmt.Sprintf("token %d %q", s.kind, s.name)
}
