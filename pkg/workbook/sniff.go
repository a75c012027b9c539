package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/vatbridge/vat/pkg/workbook/ods"
)

// Limits that keep a hostile or broken file from exhausting memory. They are checked against the
// zip's declared sizes before any part is decompressed; the readers enforce them again while
// reading, since declared sizes can lie.
const (
	// maxPartSize bounds one decompressed part. A 200,000-row ledger sheet is about 50 MB of XML,
	// so this leaves room for a million rows.
	maxPartSize = 256 << 20
	// maxTotalSize bounds the whole decompressed package.
	maxTotalSize = 1 << 30
	// maxRatio is the compression ratio beyond which a large part is taken for a zip bomb;
	// spreadsheet XML compresses 10 to 30 times, a bomb thousands of times.
	maxRatio = 1000
	// bombFloor is the size under which a high ratio is harmless (an empty sheet compresses well).
	bombFloor = 4 << 20
	// maxEncryptedSize bounds encrypted workbooks, which must be decrypted whole in memory.
	maxEncryptedSize = 64 << 20
)

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// kind is what sniffing found the file to be.
type kind int

const (
	kindZip       kind = iota // plain OOXML package
	kindEncrypted             // OOXML encrypted inside an OLE2 container
	kindODS                   // OpenDocument spreadsheet, read by pkg/workbook/ods
	kindCSV                   // comma-separated text, read by pkg/workbook/csvlink
)

// sniff identifies the file and rejects every kind vat cannot read with one clear sentence,
// before excelize (whose own errors are "zip: not a valid zip file" or "EOF") sees it.
func sniff(path string, f *os.File, size int64) (kind, error) {
	fe := func(format string, args ...any) error {
		return &FileError{Path: path, Message: fmt.Sprintf(format, args...)}
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case size == 0:
		return 0, fe("the file is empty, not an Excel workbook")
	case isCSVPath(path):
		return kindCSV, nil
	case bytes.Equal(head, oleMagic):
		return sniffOLE(path, f, size)
	case !bytes.HasPrefix(head, []byte("PK")):
		return 0, fe("not an Excel workbook (.xlsx); save it from your spreadsheet program as an Excel workbook")
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return 0, fe("the file is damaged: it starts like an Excel workbook but is not a readable zip archive (%v)", err)
	}
	return checkZip(path, zr)
}

func checkZip(path string, zr *zip.Reader) (kind, error) {
	fe := func(format string, args ...any) error {
		return &FileError{Path: path, Message: fmt.Sprintf(format, args...)}
	}
	var total uint64
	odsMime := false
	names := make(map[string]bool, len(zr.File))
	for _, zf := range zr.File {
		names[zf.Name] = true
		if zf.Name == "mimetype" {
			if mime, err := readSmall(zf, 128); err == nil {
				odsMime = strings.TrimSpace(mime) == ods.MimeType
			}
		}
		size := zf.UncompressedSize64
		total += size
		if size > maxPartSize {
			return 0, fe("part %s would unpack to %d MB, more than the %d MB vat reads from one part; the file is too large or a zip bomb", zf.Name, size>>20, maxPartSize>>20)
		}
		if size > bombFloor && (zf.CompressedSize64 == 0 || size/zf.CompressedSize64 > maxRatio) {
			return 0, fe("part %s is compressed more than %d to 1, which real spreadsheets never are; refusing a likely zip bomb", zf.Name, maxRatio)
		}
	}
	if total > maxTotalSize {
		return 0, fe("the workbook would unpack to %d MB, more than the %d MB vat reads; the file is too large or a zip bomb", total>>20, maxTotalSize>>20)
	}
	switch {
	case names["xl/workbook.xml"]:
		return kindZip, nil
	case odsMime:
		return kindODS, nil
	case names["xl/workbook.bin"]:
		return 0, fe("this is an Excel binary workbook (.xlsb); save it as an Excel workbook (.xlsx) and try again")
	case names["word/document.xml"]:
		return 0, fe("this is a Word document, not an Excel workbook")
	case names["content.xml"]:
		return 0, fe("this is an OpenDocument file but not a spreadsheet; save it as an OpenDocument spreadsheet (.ods) or an Excel workbook (.xlsx) and try again")
	}
	return 0, fe("not an Excel workbook: the zip archive has no xl/workbook.xml")
}

func readSmall(zf *zip.File, limit int64) (string, error) {
	rc, err := zf.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	return string(b), err
}

// sniffOLE tells an encrypted .xlsx (an OLE2 container holding EncryptionInfo and
// EncryptedPackage streams) from a legacy .xls (an OLE2 container holding a Workbook stream).
func sniffOLE(path string, f *os.File, size int64) (kind, error) {
	fe := func(msg string) error { return &FileError{Path: path, Message: msg} }
	r, err := mscfb.New(io.NewSectionReader(f, 0, size))
	if err != nil {
		return 0, fe("the file is damaged: it starts like an old-style Office file but its structure cannot be read")
	}
	var encrypted, legacy bool
	for i := 0; i < 10000; i++ { // bounded: a hostile directory could be long
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fe("the file is damaged: it starts like an old-style Office file but its structure cannot be read")
		}
		switch e.Name {
		case "EncryptedPackage":
			encrypted = true
		case "Workbook", "Book":
			legacy = true
		}
	}
	switch {
	case encrypted:
		if size > maxEncryptedSize {
			return 0, fe(fmt.Sprintf("the encrypted workbook is %d MB; vat decrypts at most %d MB (remove the password or split the workbook)", size>>20, maxEncryptedSize>>20))
		}
		return kindEncrypted, nil
	case legacy:
		return 0, fe("this is a legacy Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) and try again")
	}
	return 0, fe("this is an old-style Office file, not an Excel workbook; save it as an Excel workbook (.xlsx)")
}

func createExclusive(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, &FileError{Path: path, Message: "already exists; choose another name or remove it first", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", path, err)
	}
	return f, nil
}
