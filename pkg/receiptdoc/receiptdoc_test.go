package receiptdoc

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

var updateExample = flag.Bool("update-example", false, "rewrite ../../testdata/receipt-example.png from the example receipt")

// example is a receipted entry as the journal returns it after `vat submit`.
func example() Document {
	ret := vatreturn.Return{VATDueSales: 123456, TotalVATDue: 123456, VATReclaimedCurrPeriod: 50010, NetVATDue: 73446,
		TotalValueSalesExVAT: 617200, TotalValuePurchasesExVAT: 250000}
	cells := []receipts.CellEvidence{
		{Box: 1, Name: "VAT_Box1", Sheet: "VAT Return", Cell: "C7", Raw: "1234.56", Formula: "SUMIFS(Ledger!D:D,Ledger!A:A,\">=\"&PeriodStart,Ledger!A:A,\"<=\"&PeriodEnd,Ledger!C:C,\"Sale\")", Value: 123456},
		{Box: 2, Name: "VAT_Box2", Sheet: "VAT Return", Cell: "C8", Raw: "0", Value: 0},
		{Box: 3, Name: "VAT_Box3", Sheet: "VAT Return", Cell: "C9", Raw: "1234.56", Formula: "C7+C8", Value: 123456},
		{Box: 4, Name: "VAT_Box4", Sheet: "VAT Return", Cell: "C10", Raw: "500.1", Formula: "SUM(Purchases!E2:E200)", Value: 50010},
		{Box: 5, Computed: true, Raw: "734.46", Value: 73446},
		{Box: 6, Name: "totalValueSalesExVAT", Sheet: "VAT Return", Cell: "C12", Raw: "6172", Formula: "ROUNDDOWN(Ledger!B1,0)", Value: 617200},
		{Box: 7, Name: "VAT_Box7", Sheet: "VAT Return", Cell: "C13", Raw: "2500", Value: 250000},
		{Box: 8, Name: "VAT_Box8", Sheet: "VAT Return", Cell: "C14", Raw: "0", Value: 0},
		{Box: 9, Name: "VAT_Box9", Sheet: "VAT Return", Cell: "C15", Raw: "0", Value: 0},
	}
	return Document{
		Business: "Acme Widgets Ltd",
		Entry: receipts.Entry{
			State: receipts.StateReceipted,
			Intent: receipts.Intent{
				ID: "01JQ8Z6W3K", VRN: "123456782", PeriodKey: "26A1",
				PeriodStart: "2026-01-01", PeriodEnd: "2026-03-31", PeriodDue: "2026-05-07",
				Return: ret,
				Evidence: receipts.Evidence{
					WorkbookPath:   "/home/acme/books/vat-2026-q1.ods",
					WorkbookSHA256: "3f7a1c9e0b5d4e2f8a6c1b3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f",
					Cells:          cells,
					Warnings:       []string{"box 5 (netVatDue): the workbook has no name for it; computed as the difference between box 3 and box 4 = 734.46"},
				},
				CreatedAt: time.Date(2026, 4, 2, 9, 14, 55, 0, time.UTC),
			},
			Receipt: &receipts.Receipt{
				ProcessingDate:   time.Date(2026, 4, 2, 9, 14, 58, 0, time.UTC),
				FormBundleNumber: "256660290587",
				PaymentIndicator: "DD",
				ChargeRefNumber:  "XM002610011594",
				ReceiptID:        "2fc3a7c5-0a0e-4f7e-9d0b-5d2f0e1c9a11",
				ReceiptTimestamp: "2026-04-02T09:14:58.123Z",
				CorrelationID:    "c75f40a6-a3df-4429-a697-471eeec46435",
				Outcome:          receipts.OutcomeAccepted,
			},
		},
	}
}

// every text a printed receipt must show, as pdftotext and a browser would read it.
var wantFields = []string{
	"VAT return and HMRC receipt", "Acme Widgets Ltd",
	"123 4567 82", "1 January 2026 to 31 March 2026", "period key 26A1", "7 May 2026",
	"VAT due on sales and other outputs", "£1,234.56",
	"Total VAT due (box 1 + box 2)", "£500.10", "£734.46", "£6,172.00", "£2,500.00", "£0.00",
	"Total acquisitions of goods from EU member states excluding VAT (NI)",
	"2 April 2026 09:14:58 UTC", "256660290587", "2fc3a7c5-0a0e-4f7e-9d0b-5d2f0e1c9a11",
	"2026-04-02T09:14:58.123Z", "XM002610011594", "DD (amount due; HMRC holds a Direct Debit)",
	"c75f40a6-a3df-4429-a697-471eeec46435", "accepted by HMRC",
	"legal declaration that the", "2 April 2026 09:14:55 UTC",
	"vat-2026-q1.ods", "/home/acme/books/vat-2026-q1.ods",
	"3f7a1c9e0b5d4e2f8a6c1b3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f",
	"VAT_Box1", "'VAT Return'!C7", "=C7+C8", "=SUM(Purchases!E2:E200)", "totalValueSalesExVAT",
	"'VAT Return'!C12", "=ROUNDDOWN(Ledger!B1,0)", "computed by vat", "the workbook has no name for it",
	"Keep this record for six years",
}

// tool finds a poppler tool; without it the PDF tests cannot read their output. They skip on a
// developer's machine but fail when VAT_TEST_REAL=1 (the test command installs poppler-utils).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("VAT_TEST_REAL") == "1" {
			t.Fatalf("%s not found: apt-get install -y poppler-utils", name)
		}
		t.Skipf("%s not found (apt-get install -y poppler-utils)", name)
	}
	return p
}

func writePDF(t *testing.T, d Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := WriteFile(path, d); err != nil {
		t.Fatal(err)
	}
	return path
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDF(t *testing.T) {
	t.Parallel()
	path := writePDF(t, example())
	text := pdfText(t, path)
	for _, w := range wantFields {
		// A long line may be wrapped by the layout; compare with whitespace runs collapsed.
		if !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if strings.Contains(text, "Â") {
		t.Errorf("PDF text has mis-encoded pound signs (Â£): the core fonts need Windows-1252")
	}
	// The long SUMIFS formula is shortened in its table cell, visibly.
	if !strings.Contains(text, "=SUMIFS(Ledger!D:D") || !strings.Contains(text, "…") {
		t.Errorf("long formula not shown shortened with an ellipsis:\n%s", text)
	}
	info, err := exec.Command(tool(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if fields := strings.Join(strings.Fields(string(info)), " "); !strings.Contains(fields, "Pages: 1 ") || !strings.Contains(fields, "pts (A4)") {
		t.Errorf("pdfinfo:\n%s\nwant one A4 page", info)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("receipt file mode = %v, %v; want 0600", st.Mode(), err)
	}
}

// TestExampleImage renders page 1 to the PNG shown in the README, so that the picture is what
// the code draws. Run with -update-example after changing the layout.
func TestExampleImage(t *testing.T) {
	t.Parallel()
	path := writePDF(t, example())
	dir := t.TempDir()
	if out, err := exec.Command(tool(t, "pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	png, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	const committed = "../../testdata/receipt-example.png"
	if *updateExample {
		if err := os.WriteFile(committed, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(committed); err != nil {
		t.Errorf("%s is missing: run go test ./pkg/receiptdoc -run TestExampleImage -update-example", committed)
	}
}

func TestPDFManyWarningsStillComplete(t *testing.T) {
	t.Parallel()
	d := example()
	for i := range 60 {
		d.Entry.Intent.Evidence.Warnings = append(d.Entry.Intent.Evidence.Warnings, "warning number "+string(rune('A'+i%26)))
	}
	text := pdfText(t, writePDF(t, d))
	if !strings.Contains(text, "Page 2") || strings.Count(text, "warning number") != 60 {
		t.Errorf("a record too long for one page must continue on a second page, losing nothing")
	}
}

func TestHTML(t *testing.T) {
	t.Parallel()
	d := example()
	d.Business = "Smith & Sons <Trading>"
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, w := range wantFields {
		if w == "Acme Widgets Ltd" {
			continue
		}
		w = strings.NewReplacer("'", "&#39;", "&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#43;").Replace(w)
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	if !strings.Contains(html, "Smith &amp; Sons &lt;Trading&gt;") {
		t.Error("business name not escaped")
	}
	// The full formula is in the HTML, unlike the shortened PDF cell.
	if !strings.Contains(html, "=SUMIFS(Ledger!D:D,Ledger!A:A,&#34;&gt;=&#34;&amp;PeriodStart") {
		t.Error("HTML lacks the full SUMIFS formula")
	}
	for _, ext := range []string{"<script", "src=", "href=", "@import", "url("} {
		if strings.Contains(html, ext) {
			t.Errorf("HTML is not self-contained: has %q", ext)
		}
	}
	if !strings.Contains(html, "size: A4") {
		t.Error("HTML does not ask for A4 when printed")
	}
}

func TestNoReceipt(t *testing.T) {
	t.Parallel()
	d := example()
	d.Entry.Receipt, d.Entry.State = nil, receipts.StateUnknown
	for name, render := range map[string]func(*bytes.Buffer) error{
		"pdf":  func(b *bytes.Buffer) error { return PDF(b, d) },
		"html": func(b *bytes.Buffer) error { return HTML(b, d) },
	} {
		var b bytes.Buffer
		if err := render(&b); !errors.Is(err, ErrNoReceipt) || b.Len() != 0 {
			t.Errorf("%s without a receipt: %v, %d bytes; want ErrNoReceipt and nothing written", name, err, b.Len())
		}
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := WriteFile(path, d); !errors.Is(err, ErrNoReceipt) {
		t.Errorf("WriteFile = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a failed WriteFile left %s behind", path)
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "r.docx"), example()); err == nil {
		t.Error("WriteFile accepted .docx")
	}
}
