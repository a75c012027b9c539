// Package formula parses and evaluates the subset of Excel formulas that VAT return workbooks use:
// cell and range references (other sheets, quoted names, $), defined names, arithmetic,
// comparison, concatenation and the functions SUM, SUMIF, SUMIFS, ROUND, ROUNDDOWN,
// ROUNDUP, TRUNC, ABS, IF, IFERROR, AND, OR, NOT, MIN, MAX, INT, COUNT, COUNTA, COUNTIF,
// COUNTIFS, AVERAGE, DATE, YEAR, MONTH, DAY, EDATE, EOMONTH, VLOOKUP, MATCH, INDEX and
// SUMPRODUCT (with element-wise array expressions such as (E2:E99="sales")*D2:D99).
//
// It exists because excelize's CalcCellValue works in float64 and re-parses a whole worksheet into
// a DOM before it evaluates anything; on a 200,000-row ledger that is seconds and a gigabyte. Here
// numbers are exact rationals (math/big.Rat), each cell is evaluated at most once per Evaluator,
// and cell data comes from a Source that can stream only the columns a formula needs.
//
// Anything outside the subset fails with an error that matches ErrUnsupported (and has an
// Unsupported method reporting true) naming the feature and the cell that uses it; callers refuse
// the value rather than guess it.
package formula
