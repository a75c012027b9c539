package ods

import (
	"archive/zip"
	"bytes"
	"path/filepath"
	"testing"

	"github.com/vatbridge/vat/pkg/workbook/xlsxlite"
)

// FuzzContent feeds arbitrary content.xml to the reader: it must return names and cells or an
// error, never panic or run away. Seeds are a LibreOffice fixture's content.xml (added below)
// and the corpus committed in testdata/fuzz/FuzzContent. Run it with a short minimisation time,
// since minimising a 20 kB document takes the default minute per new input:
//
//	go test ./pkg/workbook/ods -run XXX -fuzz FuzzContent -fuzztime 60s -fuzzminimizetime 2s
func FuzzContent(f *testing.F) {
	for _, name := range []string{"value-types.ods"} {
		zr, err := zip.OpenReader(filepath.Join(fixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			if zf.Name == "content.xml" {
				b, err := readAll(zf, 1<<20)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
		zr.Close()
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, p := range []struct {
			name string
			body []byte
		}{{"mimetype", []byte(MimeType)}, {"content.xml", body}} {
			w, _ := zw.Create(p.name)
			w.Write(p.body)
		}
		zw.Close()
		file, err := OpenReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), xlsxlite.Limits{MaxPartSize: 1 << 20})
		if err != nil {
			return
		}
		defer file.Close()
		for _, d := range file.DefinedNames() {
			if sheet, cell, ok := simpleRef(d.RefersTo); ok {
				file.Cell(sheet, cell)
			}
		}
		for _, s := range file.SheetNames() {
			file.Cell(s, "A1")
			file.Cell(s, "XFD1048576")
		}
	})
}
