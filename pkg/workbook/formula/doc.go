// Package formula parses and evaluates the subset of Excel formulas that VAT return workbooks use,
// with Excel's semantics: cell and range references (other sheets, quoted names, $), defined
// names, structured references to Excel tables (Table1[Net], [@Net], Table1[[#Totals],[VAT]]),
// arithmetic, comparison, concatenation and the functions SUM, SUMIF, SUMIFS, SUMPRODUCT,
// SUBTOTAL, AGGREGATE, ROUND, ROUNDDOWN, ROUNDUP, TRUNC, ABS, IF, IFERROR, AND, OR, NOT, TRUE,
// FALSE, MIN, MAX, INT, COUNT, COUNTA, COUNTIF, COUNTIFS, AVERAGE, DATE, YEAR, MONTH, DAY, EDATE,
// EOMONTH, VLOOKUP, MATCH, INDEX, OFFSET and INDIRECT (A1 style; both reported by VolatileUses).
//
// Array evaluation follows Excel: inside SUMPRODUCT and array (Ctrl+Shift+Enter) formulas,
// operators and element-wise functions apply to each element of a range
// (SUMPRODUCT((MONTH(A2:A99)=3)*D2:D99), {=SUM(IF(B2:B6="Sales",D2:D6))}); elsewhere a range
// where one value is expected is reduced by implicit intersection. Text in arithmetic is read as
// VALUE reads it in a UK locale ("1,250.00", "20%", "(12)", "£1,234", "01/03/2024" as 1 March);
// a blank date is serial 0, 0 January 1900; numbers stored with more than 15 significant digits
// are read to 15, as Excel does.
//
// It exists because excelize's CalcCellValue works in float64 and re-parses a whole worksheet into
// a DOM before it evaluates anything; on a 200,000-row ledger that is seconds and a gigabyte. Here
// numbers are exact rationals (math/big.Rat), each cell is evaluated at most once per Evaluator,
// and cell data comes from a Source that can stream only the columns a formula needs.
//
// Anything outside the subset fails with an error that matches ErrUnsupported (and has an
// Unsupported method reporting true) naming the feature and the cell that uses it; callers refuse
// the value rather than guess it. The volatile functions TODAY, NOW, RAND, RANDBETWEEN,
// RANDARRAY, CELL and INFO, whose result depends on when or where the workbook is calculated,
// are among them, marked so that a caller can warn about a saved result that depends on them.
package formula
