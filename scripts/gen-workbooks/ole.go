package main

import (
	"encoding/binary"
	"unicode/utf16"
)

// legacyXLS builds a minimal OLE2 compound file holding a "Workbook" stream, which is what an
// Excel 97-2003 .xls is on the outside. The reader only needs to recognise it, so the stream is
// filler; the container structure is real enough for a compound-file parser to walk.
func legacyXLS() []byte {
	const (
		sector     = 512
		free       = 0xFFFFFFFF
		endChain   = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		streamSize = 4096 // at the mini-stream cutoff, so it lives in regular sectors
		dataSects  = streamSize / sector
	)
	le := binary.LittleEndian
	header := make([]byte, sector)
	copy(header, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(header[24:], 0x3E)     // minor version
	le.PutUint16(header[26:], 3)        // major version 3: 512-byte sectors
	le.PutUint16(header[28:], 0xFFFE)   // byte order
	le.PutUint16(header[30:], 9)        // sector shift
	le.PutUint16(header[32:], 6)        // mini sector shift
	le.PutUint32(header[44:], 1)        // FAT sectors
	le.PutUint32(header[48:], 1)        // first directory sector
	le.PutUint32(header[56:], 4096)     // mini stream cutoff
	le.PutUint32(header[60:], endChain) // first mini FAT sector
	le.PutUint32(header[64:], 0)        // mini FAT sectors
	le.PutUint32(header[68:], endChain) // first DIFAT sector
	le.PutUint32(header[72:], 0)        // DIFAT sectors
	le.PutUint32(header[76:], 0)        // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(header[76+4*i:], free)
	}
	fat := make([]byte, sector)
	for i := 0; i < sector/4; i++ {
		le.PutUint32(fat[4*i:], free)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endChain) // directory: one sector
	for i := 0; i < dataSects; i++ {
		next := uint32(2 + i + 1)
		if i == dataSects-1 {
			next = endChain
		}
		le.PutUint32(fat[4*(2+i):], next)
	}
	dir := make([]byte, sector)
	entry := func(i int, name string, typ byte, child, start uint32, size uint64) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], free)
		le.PutUint32(e[72:], free)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint64(e[120:], size)
	}
	entry(0, "Root Entry", 5, 1, endChain, 0)
	entry(1, "Workbook", 2, free, 2, streamSize)
	for i := 2; i < 4; i++ { // unused entries
		le.PutUint32(dir[128*i+68:], free)
		le.PutUint32(dir[128*i+72:], free)
		le.PutUint32(dir[128*i+76:], free)
	}
	out := append(header, fat...)
	out = append(out, dir...)
	return append(out, make([]byte, streamSize)...)
}
