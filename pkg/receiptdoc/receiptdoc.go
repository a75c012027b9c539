// Package receiptdoc renders the record of a filed VAT return, as kept in the receipts journal,
// as a printable document: an A4 page in PDF, or a self-contained HTML page that prints the same.
// Accountants hand it to their clients and keep it for six years, so it holds everything the
// journal holds about the return: the business and VAT registration number, the period and due
// date, the nine boxes with HMRC's descriptions, HMRC's receipt (processing date, form bundle
// number, receipt ID and timestamp, charge reference, payment indicator), the declaration that was
// made, and the digital-link evidence (file name and SHA-256, and for each box its name, sheet,
// cell, formula and value).
//
// Nothing is left out to make it fit: long formulas and many warnings are what could push it
// onto a second page, and a second page is what they get.
package receiptdoc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Declaration is HMRC's legal declaration for VAT returns, printed when Document.Declaration is
// empty (https://developer.service.hmrc.gov.uk/api-documentation/docs/api/service/vat-api/1.0).
const Declaration = "When you submit this VAT information you are making a legal declaration that the " +
	"information is true and complete. A false declaration can result in prosecution."

// ErrNoReceipt reports an entry that HMRC has not (or not yet) acknowledged: there is no receipt
// to print, and a page that looked like one would mislead.
var ErrNoReceipt = errors.New("no receipt from HMRC for this submission")

// Document is what is printed.
type Document struct {
	// Entry is the journal's record of the submission; it must hold a receipt.
	Entry receipts.Entry
	// Business is the trading name shown at the top, "" when unknown.
	Business string
	// Declaration is the text of the declaration the user made; "" prints Declaration.
	Declaration string
	// Printed is when the document is made, shown in the footer; zero prints no date, which
	// keeps test output stable.
	Printed time.Time
}

// view is the document reduced to the text that both renderers print, so PDF and HTML cannot
// drift apart.
type view struct {
	Title       string
	Business    string
	VRN         string
	Period      string
	PeriodKey   string
	Due         string
	Boxes       []boxRow
	Receipt     []field
	Declaration string
	DeclaredAt  string
	File        string
	FilePath    string
	SHA256      string
	Cells       []cellRow
	Warnings    []string
	Footer      string
}

type boxRow struct{ Number, Description, Amount string }

type field struct{ Label, Value string }

type cellRow struct{ Box, Name, Cell, Formula, Value string }

func (d Document) view() (*view, error) {
	e := d.Entry
	if e.Receipt == nil {
		return nil, fmt.Errorf("%w (submission %s is %s)", ErrNoReceipt, e.Intent.ID, e.State)
	}
	in, rc := e.Intent, e.Receipt
	v := &view{
		Title:       "VAT return and HMRC receipt",
		Business:    d.Business,
		VRN:         formatVRN(in.VRN),
		Period:      formatPeriod(in.PeriodStart, in.PeriodEnd),
		PeriodKey:   in.PeriodKey,
		Due:         formatDay(in.PeriodDue),
		Declaration: d.Declaration,
		File:        filepath.Base(in.Evidence.WorkbookPath),
		FilePath:    in.Evidence.WorkbookPath,
		SHA256:      in.Evidence.WorkbookSHA256,
		Warnings:    in.Evidence.Warnings,
	}
	if v.Declaration == "" {
		v.Declaration = Declaration
	}
	if !in.CreatedAt.IsZero() {
		v.DeclaredAt = "Declaration made on " + formatTime(in.CreatedAt) + ", before the return was sent."
	}
	for n := 1; n <= 9; n++ {
		b := vatreturn.Boxes[n-1]
		v.Boxes = append(v.Boxes, boxRow{fmt.Sprintf("%d", n), b.Description, in.Return.Box(n).GBP()})
	}
	outcome := map[string]string{
		receipts.OutcomeAccepted:     "accepted by HMRC",
		receipts.OutcomeReconciled:   "accepted by HMRC (confirmed by reading the return back after the answer was lost)",
		receipts.OutcomeAlreadyFiled: "already filed: HMRC refused a duplicate; this is the earlier submission's record",
	}[rc.Outcome]
	if outcome == "" {
		outcome = rc.Outcome
	}
	v.Receipt = []field{
		{"Processing date", formatTime(rc.ProcessingDate)},
		{"Form bundle number", orNone(rc.FormBundleNumber)},
		{"Receipt ID", orNone(rc.ReceiptID)},
		{"Receipt timestamp", orNone(rc.ReceiptTimestamp)},
		{"Charge reference", orNone(rc.ChargeRefNumber)},
		{"Payment indicator", formatPayment(rc.PaymentIndicator)},
		{"Correlation ID", orNone(rc.CorrelationID)},
		{"Outcome", outcome},
	}
	for _, c := range in.Evidence.Cells {
		row := cellRow{Box: fmt.Sprintf("%d", c.Box), Name: c.Name, Formula: c.Formula, Value: c.Value.GBP()}
		switch {
		case c.Computed:
			row.Cell = "computed by vat"
		case c.Sheet != "":
			row.Cell = quoteSheet(c.Sheet) + "!" + c.Cell
		default:
			row.Cell = c.Cell
		}
		if c.Formula != "" {
			row.Formula = "=" + c.Formula
		}
		v.Cells = append(v.Cells, row)
	}
	v.Footer = "Made by vat from its journal of submissions (entry " + in.ID + "). Keep this record for six years."
	if !d.Printed.IsZero() {
		v.Footer = "Printed " + formatTime(d.Printed) + ". " + v.Footer
	}
	return v, nil
}

func orNone(s string) string {
	if s == "" {
		return "none given"
	}
	return s
}

// formatPayment spells out HMRC's paymentIndicator values.
func formatPayment(p string) string {
	switch p {
	case "DD":
		return "DD (amount due; HMRC holds a Direct Debit)"
	case "BANK":
		return "BANK (repayment due; HMRC holds bank details)"
	}
	return orNone(p)
}

func formatVRN(v string) string {
	if len(v) == 9 {
		return v[:3] + " " + v[3:7] + " " + v[7:]
	}
	return v
}

func formatDay(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return orNone(s)
	}
	return t.Format("2 January 2006")
}

func formatPeriod(start, end string) string {
	switch {
	case start != "" && end != "":
		return formatDay(start) + " to " + formatDay(end)
	case end != "":
		return "ending " + formatDay(end)
	}
	return "not recorded"
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "not recorded"
	}
	return t.UTC().Format("2 January 2006 15:04:05 UTC")
}

// quoteSheet writes a sheet name as spreadsheets show it in references.
func quoteSheet(s string) string {
	for _, r := range s {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
	}
	return s
}

// CheckFolder refuses a receipt path whose folder does not exist, so that a command can say so
// before it files anything.
func CheckFolder(path string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: the folder %s does not exist", path, dir)
	}
	return nil
}

// WriteFile renders the document to path, as PDF or HTML by its extension (.pdf, .html, .htm).
// The file is written under a temporary name and renamed, so a failure never leaves half a
// receipt behind; it is readable by its owner only, since it holds the business's figures.
func WriteFile(path string, d Document) error {
	var render func(io.Writer, Document) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf":
		render = PDF
	case ".html", ".htm":
		render = HTML
	default:
		return fmt.Errorf("%s: a printable receipt is written as .pdf or .html", path)
	}
	if err := CheckFolder(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		// The temporary name means nothing to the user; the folder does.
		return fmt.Errorf("%s: cannot write in %s: %w", path, filepath.Dir(path), errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	if err := render(tmp, d); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
