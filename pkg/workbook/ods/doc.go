// Package ods reads the parts of an OpenDocument spreadsheet (.ods) that box resolution needs:
// the sheet names, the named ranges and named expressions (workbook-wide and local to a sheet),
// and the saved value and formula of single cells. LibreOffice is not needed: the file is a zip
// holding content.xml, which is streamed, never loaded whole.
//
// # Names
//
// A table:named-range's cell-range-address ($'VAT Return'.$C$7) and a table:named-expression's
// expression ([$'VAT Return'.$C$7], or text kept from an .xlsx such as 'VAT Return'!#REF!) are
// translated into the Excel form pkg/workbook parses ('VAT Return'!$C$7), so names in .ods and
// .xlsx files obey one set of rules and give the same messages.
//
// # Values
//
// A cell's saved value is read from office:value-type and its value attribute: float,
// percentage and currency give office:value as written (20% is 0.2); date gives
// office:date-value; boolean gives TRUE or FALSE; string gives the text; LibreOffice marks
// error results with calcext:value-type="error" and the error text (#DIV/0!). Formulas are
// translated from OpenFormula (of:=[.C7]+[.C8]) into Excel's notation (C7+C8) for the evidence.
// A formula with no saved value (a file written by a program that does not calculate) is
// reported as such; it is never computed here.
//
// # Bounds
//
// The zip directory's declared sizes and compression ratios are checked before anything is
// inflated, and every read is bounded again by what is actually inflated, with the limits
// xlsxlite uses (the same *xlsxlite.LimitError is returned). Repeated rows and columns
// (table:number-rows-repeated) are counted, not expanded, so a sheet that declares a million
// empty rows costs nothing. Sheets are scanned once for the names and once more for all the
// named cells together, however many there are.
package ods
