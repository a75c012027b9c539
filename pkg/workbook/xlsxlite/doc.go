// Package xlsxlite reads cells and defined names from .xlsx/.xlsm workbooks while touching as
// little of the file as it can.
//
// excelize's OpenFile decompresses every part of the package up front and parses a worksheet
// into a DOM the first time it is touched; on a workbook with a 200,000-row ledger that is
// 125 ms before anything is read, and seconds once the ledger is touched. A VAT return needs nine
// cells that usually sit on a small sheet of their own, so this reader opens the zip's central
// directory, parses only workbook.xml and its relationships, and streams just the worksheet that
// holds a requested cell, stopping as soon as it has gone past it. Shared strings are parsed
// lazily and only up to the highest index asked for. Every part is read through a size bound, so
// a zip bomb or an enormous part fails with a *LimitError instead of exhausting memory.
//
// When formula cells carry no cached value (files written by excelize or openpyxl), Calc
// evaluates them with pkg/workbook/formula: it first works out every ledger column the formula
// (and the cells and names it depends on) reads, then streams each large sheet once to load just
// those columns. Excel tables are read from the sheets' table parts when a structured
// reference needs them, and each full pass over a sheet records its hidden rows for SUBTOTAL.
package xlsxlite
