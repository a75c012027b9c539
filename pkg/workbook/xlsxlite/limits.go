package xlsxlite

// Limits bound what one File may read. Zero fields take the defaults of DefaultLimits.
type Limits struct {
	// MaxPartSize is the largest uncompressed size accepted for any one part. Worksheets are
	// streamed, so this bounds time rather than memory.
	MaxPartSize int64
	// MaxTotalSize bounds the sum of all parts' declared uncompressed sizes.
	MaxTotalSize int64
	// MaxRatio bounds uncompressed/compressed size for parts larger than 1 MiB; real
	// spreadsheet XML compresses 5–50×, zip bombs by hundreds or thousands.
	MaxRatio int64
	// MaxCells bounds how many cells Calc keeps in memory from large sheets (about 75 bytes each
	// with the evaluator's copy); the default admits five columns of a million-row ledger.
	MaxCells int
	// MaxMetaSize bounds parts that are parsed whole into memory: workbook.xml and rels.
	MaxMetaSize int64
}

// DefaultLimits returns limits that admit any realistic workbook, including a ledger of a
// million rows, while stopping zip bombs before they inflate.
func DefaultLimits() Limits {
	return Limits{
		MaxPartSize:  1 << 30,
		MaxTotalSize: 4 << 30,
		MaxRatio:     500,
		MaxCells:     5_000_000,
		MaxMetaSize:  64 << 20,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxPartSize <= 0 {
		l.MaxPartSize = d.MaxPartSize
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	if l.MaxMetaSize <= 0 {
		l.MaxMetaSize = d.MaxMetaSize
	}
	return l
}
