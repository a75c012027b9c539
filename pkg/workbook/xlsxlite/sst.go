package xlsxlite

import (
	"errors"
	"fmt"
	"io"
)

// sharedStrings parses xl/sharedStrings.xml on demand and only as far as the highest index
// requested: a large ledger's table can hold hundreds of thousands of descriptions that a VAT
// return never looks at.
type sharedStrings struct {
	f     *File
	part  string
	rc    io.ReadCloser
	s     *xmlScanner
	items []string
	done  bool
	err   error
}

func (ss *sharedStrings) get(i int) (string, error) {
	if i < 0 {
		return "", fmt.Errorf("%w: negative shared string index", ErrCorrupt)
	}
	for i >= len(ss.items) && !ss.done && ss.err == nil {
		ss.err = ss.parseOne()
	}
	if i < len(ss.items) {
		return ss.items[i], nil
	}
	if ss.err != nil {
		return "", ss.err
	}
	return "", fmt.Errorf("%w: shared string %d of %d", ErrCorrupt, i, len(ss.items))
}

// parseOne reads up to and including the next <si>.
func (ss *sharedStrings) parseOne() error {
	if ss.s == nil {
		rc, err := ss.f.open(ss.part, ss.f.limits.MaxPartSize)
		if err != nil {
			return err
		}
		ss.rc, ss.s = rc, newXMLScanner(rc, 4<<20)
	}
	for {
		err := ss.s.next()
		if errors.Is(err, io.EOF) {
			ss.done = true
			ss.close()
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, ss.part, err)
		}
		if ss.s.kind == tokStart && string(ss.s.name) == "si" {
			text, err := ss.s.collectText()
			if err != nil {
				return fmt.Errorf("%w: %s: %w", ErrCorrupt, ss.part, err)
			}
			ss.items = append(ss.items, text)
			return nil
		}
	}
}

func (ss *sharedStrings) close() {
	if ss.rc != nil {
		ss.rc.Close()
		ss.rc, ss.s = nil, nil
	}
}
