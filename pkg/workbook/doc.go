// Package workbook reads the nine VAT boxes of a return from an Excel workbook's defined names:
// the "digital link" between a business's records and what it sends to HMRC.
//
// # Finding the boxes
//
// Each box is a cell named, case-insensitively and at workbook or sheet scope, BoxN, VAT_BoxN,
// VATBoxN or the HMRC field name (vatDueSales … totalAcquisitionsExVAT). Two names that point at
// different cells for one box are an error naming both. Optional names PeriodStart, PeriodEnd
// (date cells, Excel serial numbers or text such as 2026-03-31) and VRN are read when present.
// When a workbook has no cell for box 3 or box 5 they are computed (box 1 + box 2, |box 3 − box 4|)
// and a warning says so; when it has them they must agree exactly.
//
// # Values
//
// The cached value of a formula cell is used, as Excel last calculated it. Files written by code
// (excelize, openpyxl) carry no cached values; their formulas are then computed. Binary
// floating-point noise such as 50244367.170000002 is read as 50244367.17; a real third decimal
// (12.345) is an error unless Options.Round is set, which rounds boxes 1 to 5 to the penny and
// boxes 6 to 9 down to whole pounds, listing every change. Text that reads as an amount
// ("£1,234.56", "(1,234.56)") is accepted with a warning; any other text, error values, logical
// values and empty cells are errors naming the box, the defined name, the sheet and the cell.
//
// # Readers and limits
//
// Plain .xlsx files are read by pkg/workbook/xlsxlite, which opens only the parts holding the
// boxes, so a cached return reads in the same time whatever the ledger's size; formulas without
// cached results are evaluated exactly (decimal, not float64) by pkg/workbook/formula. Encrypted
// workbooks, and formulas that evaluator does not implement, go through excelize, whose float64
// arithmetic can differ from the exact result by a penny or, after ROUNDDOWN, a pound. Before
// either reader sees a file it is sniffed: legacy .xls, .xlsb and non-workbooks are refused
// with advice, and zip bombs are refused by declared size and compression ratio. Date serial
// numbers follow the workbook's date system (1900, or 1904 for old Mac Excel files).
//
// OpenDocument spreadsheets (.ods) are read by pkg/workbook/ods, which presents named ranges and
// named expressions as defined names and the saved values LibreOffice stored, under the same
// bounds; a formula with no saved value is refused, not computed. A file ending in .csv is read
// by pkg/workbook/csvlink in one of its documented layouts, each box becoming a name for its
// cell ('vat.csv'!B3), and amounts written the UK way are numbers there, without a warning;
// Options.PeriodEnd picks the row of a file with one row per period. Every format gives the same
// Result, messages and evidence.
//
// Read returns the partial Result together with a *Problems error so that a caller can show
// everything that was read alongside everything that is wrong.
//
// # Map files (--map)
//
// A map file assigns boxes to other names or to plain cell references, one per line:
//
//	# comments start with '#'; blank lines are ignored
//	box1 = SalesVAT                 # a defined name in the workbook
//	box3 = 'VAT Return'!C9          # a cell: sheet name quoted when it has spaces, $ allowed
//	vatReclaimedCurrPeriod = Input  # the HMRC field name works as the key too
//
// Keys are box1 to box9 (case and spaces ignored, "1" alone also works) or HMRC field names.
// A value containing '!' is a cell reference; anything else is a defined name. A mapped box uses
// only its mapping; boxes not mapped keep the default names.
package workbook
