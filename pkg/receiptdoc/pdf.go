package receiptdoc

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres: A4 with 15 mm margins.
const (
	pageW   = 210.0
	margin  = 15.0
	usableW = pageW - 2*margin
)

// PDF renders the document as an A4 PDF. The core fonts fpdf embeds nothing for are encoded in
// Windows-1252, so every string goes through fpdf's translator: without it '£' (U+00A3, two
// bytes in UTF-8) would print as "Â£". Characters Windows-1252 lacks print as '?'; the HTML
// rendering shows them exactly.
func PDF(w io.Writer, d Document) error {
	v, err := d.view()
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetTitle(v.Title+" "+v.PeriodKey, true)
	pdf.SetCreator("vat", true)
	// A fixed date keeps the bytes stable for the same record; the printed date, when wanted, is
	// in the footer.
	pdf.SetCreationDate(fixedDate)
	pdf.SetModificationDate(fixedDate)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	p := &page{pdf: pdf, tr: tr}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		p.font("", 7)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(usableW, 4, tr(fmt.Sprintf("%s   Page %d", v.Footer, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	p.header(v)
	p.boxes(v)
	p.receipt(v)
	p.declaration(v)
	p.evidence(v)
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

type page struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func (p *page) font(style string, size float64) { p.pdf.SetFont("Helvetica", style, size) }

func (p *page) heading(s string) {
	p.pdf.Ln(3)
	p.font("B", 10.5)
	p.pdf.SetTextColor(0, 59, 92)
	p.pdf.CellFormat(usableW, 6, p.tr(s), "B", 1, "L", false, 0, "")
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.Ln(1)
}

// fit shortens s with an ellipsis until it fits width; only the PDF table cells need it, and
// each one shortened is also in full in the HTML rendering and the journal.
func (p *page) fit(s string, width float64) string {
	t := p.tr(s)
	if p.pdf.GetStringWidth(t) <= width-2 {
		return t
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		t = p.tr(string(r) + "…")
		if p.pdf.GetStringWidth(t) <= width-2 {
			return t
		}
	}
	return t
}

func (p *page) pair(label, value string, labelW float64) {
	p.font("", 8.5)
	p.pdf.SetTextColor(80, 80, 80)
	p.pdf.CellFormat(labelW, 5, p.tr(label), "", 0, "L", false, 0, "")
	p.pdf.SetTextColor(0, 0, 0)
	p.font("B", 8.5)
	p.pdf.MultiCell(usableW-labelW, 5, p.tr(value), "", "L", false)
}

func (p *page) header(v *view) {
	p.font("B", 16)
	p.pdf.CellFormat(usableW, 9, p.tr(v.Title), "", 1, "L", false, 0, "")
	if v.Business != "" {
		p.font("B", 12)
		p.pdf.CellFormat(usableW, 7, p.tr(v.Business), "", 1, "L", false, 0, "")
	}
	p.pdf.Ln(1)
	p.pair("VAT registration number", v.VRN, 45)
	p.pair("Period", v.Period+" (period key "+v.PeriodKey+")", 45)
	p.pair("Due date", v.Due, 45)
}

func (p *page) boxes(v *view) {
	p.heading("The return")
	for i, b := range v.Boxes {
		fill := i%2 == 0
		p.pdf.SetFillColor(242, 245, 248)
		p.font("B", 8.5)
		p.pdf.CellFormat(14, 5.5, p.tr("Box "+b.Number), "", 0, "L", fill, 0, "")
		p.font("", 8.5)
		p.pdf.CellFormat(usableW-14-36, 5.5, p.fit(b.Description, usableW-14-36), "", 0, "L", fill, 0, "")
		p.font("B", 8.5)
		p.pdf.CellFormat(36, 5.5, p.tr(b.Amount), "", 1, "R", fill, 0, "")
	}
}

func (p *page) receipt(v *view) {
	p.heading("HMRC's receipt")
	for _, f := range v.Receipt {
		p.pair(f.Label, f.Value, 40)
	}
}

func (p *page) declaration(v *view) {
	p.heading("Declaration")
	p.font("I", 8.5)
	p.pdf.MultiCell(usableW, 4.5, p.tr(v.Declaration), "", "L", false)
	if v.DeclaredAt != "" {
		p.font("", 8)
		p.pdf.MultiCell(usableW, 4.5, p.tr(v.DeclaredAt), "", "L", false)
	}
}

func (p *page) evidence(v *view) {
	p.heading("Digital link: where each box came from")
	p.pair("File", v.File, 25)
	if v.FilePath != v.File {
		p.pair("Path", v.FilePath, 25)
	}
	p.font("", 8.5)
	p.pdf.SetTextColor(80, 80, 80)
	p.pdf.CellFormat(25, 5, "SHA-256", "", 0, "L", false, 0, "")
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.SetFont("Courier", "", 8)
	p.pdf.CellFormat(usableW-25, 5, p.tr(v.SHA256), "", 1, "L", false, 0, "")
	p.pdf.Ln(1)
	cols := []struct {
		title string
		w     float64
		align string
	}{{"Box", 10, "L"}, {"Name", 46, "L"}, {"Sheet and cell", 42, "L"}, {"Formula", 54, "L"}, {"Value", 28, "R"}}
	p.font("B", 8)
	p.pdf.SetFillColor(225, 232, 240)
	for i, c := range cols {
		ln := 0
		if i == len(cols)-1 {
			ln = 1
		}
		p.pdf.CellFormat(c.w, 5, c.title, "", ln, c.align, true, 0, "")
	}
	p.font("", 8)
	for _, r := range v.Cells {
		vals := []string{r.Box, r.Name, r.Cell, r.Formula, r.Value}
		for i, c := range cols {
			ln := 0
			if i == len(cols)-1 {
				ln = 1
			}
			p.pdf.CellFormat(c.w, 4.8, p.fit(vals[i], c.w), "B", ln, c.align, false, 0, "")
		}
	}
	if len(v.Warnings) > 0 {
		p.pdf.Ln(1.5)
		p.font("B", 8)
		p.pdf.CellFormat(usableW, 4.5, "Notes from reading the file", "", 1, "L", false, 0, "")
		p.font("", 7.5)
		for _, w := range v.Warnings {
			p.pdf.MultiCell(usableW, 4, p.tr("- "+strings.TrimSpace(w)), "", "L", false)
		}
	}
}
