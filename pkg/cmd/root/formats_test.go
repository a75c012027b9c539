package root

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
)

// A practice whose books export CSV files the return from one, and prints the receipt.
func TestSubmitFromACSVFileAndPrintTheReceipt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	csv := filepath.Join(t.TempDir(), "returns.csv")
	// One row per period, two periods: --period-end picks the row.
	body := fmt.Sprintf("end,vat_sales,vat_acquisitions,vat_reclaimed,total_sales,total_purchases,total_supplies,total_acquisitions\n"+
		"%s,\"1,234.56\",0,500.10,6172,2500,0,0\n%s,99.00,0,10.00,495,50,0,0\n", w.period.End, w.period.Start.AddDays(-1))
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "receipt.pdf")
	if code, _, errOut := w.run("submit", "--workbook", csv, "--yes", "--receipt-pdf", filepath.Join(t.TempDir(), "receipt.txt")); code != cmdutil.ExitUsage ||
		w.srv.Stats().Submissions != 0 {
		t.Fatalf("--receipt-pdf receipt.txt: exit %d, %d submissions\n%s", code, w.srv.Stats().Submissions, errOut)
	}
	// A folder that does not exist is found before anything is filed, and named.
	missing := filepath.Join(t.TempDir(), "no-such-folder", "r.pdf")
	if code, _, errOut := w.run("submit", "--workbook", csv, "--period-end", w.period.End.String(), "--yes", "--receipt-pdf", missing); code != cmdutil.ExitUsage ||
		w.srv.Stats().Submissions != 0 || !strings.Contains(errOut, "no-such-folder does not exist") {
		t.Fatalf("--receipt-pdf in a missing folder: exit %d, %d submissions\n%s", code, w.srv.Stats().Submissions, errOut)
	}
	code, out, errOut := w.run("submit", "--workbook", csv, "--period-end", w.period.End.String(), "--yes", "--receipt-pdf", pdf)
	if code != 0 {
		t.Fatalf("submit from CSV: %d\n%s\n%s", code, out, errOut)
	}
	held := w.srv.Returns(w.user.VRN)
	if len(held) != 1 || !strings.Contains(string(held[w.period.PeriodKey]), `"vatDueSales":1234.56`) {
		t.Fatalf("HMRC holds %s", held)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("receipt PDF: %v (%.20q)", err, b)
	}
	// The journal can print it again later, as PDF or HTML, with the digital link to the CSV row.
	entries := w.journal()
	if len(entries) != 1 || entries[0].Receipt == nil {
		t.Fatalf("journal = %+v", entries)
	}
	html := filepath.Join(t.TempDir(), "receipt.html")
	if code, _, errOut := w.run("receipts", "show", entries[0].Intent.ID[:8], "--html", html); code != 0 {
		t.Fatalf("receipts show --html: %d %s", code, errOut)
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), entries[0].Receipt.FormBundleNumber) || !strings.Contains(string(page), "returns.csv") {
		t.Fatalf("receipt HTML lacks the form bundle number or the file: %v", err)
	}
	if code, _, _ := w.run("receipts", "show", entries[0].Intent.ID, "--pdf", pdf, "--html", html); code != cmdutil.ExitUsage {
		t.Errorf("--pdf and --html together: exit %d, want %d", code, cmdutil.ExitUsage)
	}
}

func TestCheckAnOpenDocumentSpreadsheet(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, nil, "check", "--workbook", "../../../testdata/workbooks/good-basic.ods", "-o", "json")
	if code != 0 || !strings.Contains(out, `"vatDueSales"`) || !strings.Contains(out, `"sheet"`) {
		t.Fatalf("check .ods: %d\n%s\n%s", code, out, errOut)
	}
}

// A profile's receipt_pdf pattern files every receipt in the user's folder, as they choose.
func TestSubmitPrintsToTheProfilesReceiptFolder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := w.env["VAT_CONFIG_DIR"]
	file, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	folder := t.TempDir()
	p := file.Profiles["default"]
	p.ReceiptPDF = filepath.Join(folder, "{vrn}", "{period-end:2006-01}-{period-key}.pdf")
	file.Profiles["default"] = p
	if err := file.Save(dir); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := w.run("submit", "--workbook", w.workbook, "--yes"); code != 0 {
		t.Fatalf("submit: %d %s", code, errOut)
	}
	want := filepath.Join(folder, w.user.VRN, w.period.End.Time().Format("2006-01")+"-"+w.period.PeriodKey+".pdf")
	if b, err := os.ReadFile(want); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no receipt PDF at %s: %v", want, err)
	}
}
