// Package csvlink reads a VAT return from a CSV file, the digital link HMRC accepts as an import
// (VAT Notice 700/22, section 4.1: https://www.gov.uk/guidance/vat-notice-70022-making-tax-digital-for-vat).
// The file is kept whole in memory (it is bounded, see MaxSize) and its cells are presented to
// pkg/workbook as one sheet, named after the file, with a defined name for each box, so .csv
// files get the same checks, messages and evidence as workbooks: box → name → file!cell → value.
// A cell reference is the column letter and the line number a text editor or spreadsheet shows
// (B3 is the second field of line 3).
//
// # Layouts
//
// One row per box: the label in column A, the amount in column B. An optional header row
// "box,value" is skipped, as are blank lines and lines starting with '#'.
//
//	box,value
//	vatDueSales,"1,234.56"
//	Box2,0
//	4,(12.00)
//	...
//	PeriodEnd,2026-03-31
//
// One row per period: a header row naming the columns, one of which is the period end, and a
// row per period below it; the row whose period end is Options.PeriodEnd is read (when the file
// holds a single period, that one). This is the layout of the mcb30/hmrc tool, whose column
// names are accepted (end, vat_sales, vat_acquisitions, vat_reclaimed, total_sales,
// total_purchases, total_supplies, total_acquisitions):
//
//	end,vat_sales,vat_acquisitions,vat_reclaimed,total_sales,total_purchases,total_supplies,total_acquisitions
//	2026-03-31,1234.56,0,500.10,6172,2500,0,0
//
// A box's label or column heading may be BoxN, VAT_BoxN, VATBoxN, N alone, the HMRC field name
// (vatDueSales … totalAcquisitionsExVAT) or one of mcb30/hmrc's names; case, spaces and
// underscores are ignored. PeriodStart, PeriodEnd (or end) and VRN are optional. Boxes 3 and 5
// may be left out: pkg/workbook computes them. Every other box must be present (0 when there is
// nothing to declare): unlike mcb30/hmrc, a missing column is refused rather than read as zero.
// Unknown labels or headings, extra fields and a second period with the same end are refused
// with the row and column to fix (*LayoutError).
//
// # Text
//
// The file is UTF-8, with or without a byte-order mark; a file that is not valid UTF-8 is read as
// Windows-1252, which is what Excel's "CSV (Comma delimited)" writes, so a '£' saved by Excel on
// Windows is still a pound sign. Fields are separated by commas, or by semicolons or tabs when
// the first line has no comma. Amounts are parsed by pkg/workbook: 1,234.56, (12.00) and £1,234.56
// are exact; anything else is refused naming its cell.
package csvlink
