// Package workbook reads the nine VAT boxes of a return from an Excel workbook's defined names:
// the "digital link" between a business's records and what it sends to HMRC.
//
// # Finding the boxes
//
// Each box is a cell named, case-insensitively and at workbook or sheet scope, BoxN, VAT_BoxN,
// VATBoxN or the HMRC field name (vatDueSales … totalAcquisitionsExVAT). BoxN is also a cell
// address in Excel 2007 and later (column BOX), so Excel refuses such names and may rename or
// drop them; they are still read, with a warning naming VAT_BoxN or the field name instead, and
// the starter workbook (WriteTemplate) uses VAT_BoxN. Two names that point at different cells
// for one box are an error naming both. Optional names PeriodStart, PeriodEnd (date cells, Excel
// serial numbers or text such as 2026-03-31) and VRN are read when present. When a workbook has
// no cell for box 3 or box 5 they are computed (box 1 + box 2, |box 3 − box 4|) and a warning
// says so; when it has them they must agree exactly.
//
// # Values: saved or computed, never guessed
//
// A box is a value Excel or LibreOffice saved, or one vat computed exactly; otherwise it is
// refused with the reason and the cell.
//
//   - Saved results are used as the spreadsheet program last calculated them, but every box whose
//     formulas pkg/workbook/formula supports is recomputed from the cells as saved and compared
//     (to the penny, after reading the saved double as Excel shows it). A difference means the
//     file was saved without recalculating (by a script, or with manual calculation) and the box
//     is refused, naming both values and how to recalculate. calcMode="manual" is warned about.
//     A box depending on TODAY, NOW or RAND keeps its saved result with a warning that it depends
//     on when the file was calculated; OFFSET and INDIRECT are computed, with a warning too.
//   - Formulas without saved results (files written by excelize, openpyxl, some exporters) are
//     computed by pkg/workbook/formula in exact decimal arithmetic with Excel's semantics: tables
//     and structured references, SUMPRODUCT and array formulas, SUBTOTAL/AGGREGATE skipping nested
//     subtotals, text coerced as Excel's VALUE does (UK day-first dates), blank dates as serial 0.
//     A formula it does not implement (or a SUBTOTAL over hidden rows, a data table, TODAY, NOW
//     or RAND) refuses the box, naming the construct, the cell that uses it and the remedy: open
//     the workbook in Excel or LibreOffice, let it calculate, save, and run again. There is no
//     float64 fallback.
//
// Binary floating-point noise such as 50244367.170000002 is read as 50244367.17; a real third
// decimal (12.345) is an error unless Options.Round is set, which rounds boxes 1 to 5 to the
// penny and boxes 6 to 9 down to whole pounds, listing every change. Text that reads as an
// amount ("£1,234.56", "(1,234.56)") is accepted with a warning; any other text, error values,
// logical values and empty cells are errors naming the box, the defined name, the sheet and the
// cell.
//
// # Readers and limits
//
// Workbooks are read by pkg/workbook/xlsxlite, which opens only the parts holding the boxes (and
// the ledger columns their formulas read), so reading stays fast on large ledgers. Encrypted
// workbooks are decrypted in memory (excelize.Decrypt) and read the same way. Before the reader
// sees a file it is sniffed: legacy .xls, .xlsb and non-workbooks are refused with advice, and
// zip bombs are refused by declared size and compression ratio. Date serial numbers follow the
// workbook's date system (1900, or 1904 for old Mac Excel files).
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
// everything that was read alongside everything that is wrong: Result.Boxes holds each box's
// value (when it has one) with the problems naming it, even when a rule across boxes fails.
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
