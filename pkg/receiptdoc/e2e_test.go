package receiptdoc_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receiptdoc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/workbook"
)

// signedIn starts the HMRC emulator over real HTTP and signs a new test organisation in.
func signedIn(t *testing.T) (*hmrc.Client, string) {
	t.Helper()
	ctx := t.Context()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	user, err := srv.CreateUser("organisation", []string{hmrc.ServiceMTDVAT})
	if err != nil {
		t.Fatal(err)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, ts.Client())
	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://localhost:8765/callback", Scopes: []string{"read:vat", "write:vat"}}
	verifier := oauth2.GenerateVerifier()
	cb, err := sandbox.SignIn(ctx, ts.Client(), cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), user.UserID, user.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	return hmrc.NewClient(cfg.Client(ctx, tok), hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0)), user.VRN
}

// TestFileAndPrint files a return read from an .ods and from a CSV with one row per period
// against the emulator through pkg/filing as `vat submit` does (intent, POST, receipt), reads it back
// from HMRC, and prints the receipt: the printed figures, HMRC's references and the file's
// digest must all be those of the filing.
func TestFileAndPrint(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"ods", "csv"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			client, vrn := signedIn(t)
			obs, _, err := client.Obligations(ctx, vrn, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
			if err != nil {
				t.Fatal(err)
			}
			var ob hmrc.Obligation
			for _, o := range obs {
				if o.End.Before(hmrc.DateOf(time.Now())) {
					ob = o
					break
				}
			}
			if ob.PeriodKey == "" {
				t.Fatalf("no ended open obligation in %+v", obs)
			}
			end, err := time.Parse(time.DateOnly, ob.End.String())
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "..", "testdata", "workbooks", "good-basic.ods")
			if format == "csv" {
				path = filepath.Join(t.TempDir(), "returns.csv")
				body := "end,vat_sales,vat_acquisitions,vat_reclaimed,total_sales,total_purchases,total_supplies,total_acquisitions\n" +
					end.AddDate(0, -3, 0).Format("02/01/2006") + ",1.00,0,0,5,0,0,0\n" +
					end.Format("02/01/2006") + ",\"£1,234.56\",(0.00),500.10,\"6,172\",\"2,500\",0,0\n"
				if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			res, err := workbook.Read(ctx, path, workbook.Options{PeriodEnd: end})
			if err != nil {
				t.Fatal(err)
			}

			journal, err := receipts.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer journal.Close()
			ev := receipts.Evidence{WorkbookPath: res.Path, WorkbookSHA256: res.SHA256, Warnings: res.Warnings}
			for i, s := range res.Sources {
				ev.Cells = append(ev.Cells, receipts.CellEvidence{Box: i + 1, Name: s.Name, Sheet: s.Sheet, Cell: s.Cell,
					Raw: s.Raw, Formula: s.Formula, Computed: s.Computed, Value: res.Return.Box(i + 1)})
			}
			filer := &filing.Filer{API: client, Journal: journal}
			out, err := filer.Submit(ctx, filing.Submission{VRN: vrn, Obligation: ob, Return: res.Return, Evidence: ev})
			if err != nil {
				t.Fatal(err)
			}
			rc := out.Receipt
			back, _, err := client.Return(ctx, vrn, ob.PeriodKey)
			if err != nil {
				t.Fatal(err)
			}
			if back.Return != res.Return {
				t.Errorf("HMRC holds %+v, the file said %+v", back.Return, res.Return)
			}

			entry, err := journal.Get(ctx, out.Intent.ID)
			if err != nil {
				t.Fatal(err)
			}
			pdf := filepath.Join(t.TempDir(), "receipt.pdf")
			if err := receiptdoc.WriteFile(pdf, receiptdoc.Document{Entry: *entry}); err != nil {
				t.Fatal(err)
			}
			bin, err := exec.LookPath("pdftotext")
			if err != nil {
				if os.Getenv("VAT_TEST_REAL") == "1" {
					t.Fatal("pdftotext not found: apt-get install -y poppler-utils")
				}
				t.Skip("pdftotext not found")
			}
			printed, err := exec.Command(bin, "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(printed)), " ")
			cell := "'VAT Return'!C7"
			if format == "csv" {
				cell = "returns.csv!B3"
			}
			for _, w := range []string{rc.FormBundleNumber, rc.ReceiptID, res.SHA256, filepath.Base(path), cell,
				"£1,234.56", "£500.10", "£734.46", "£6,172.00", "£2,500.00", fmt.Sprintf("period key %s", ob.PeriodKey)} {
				if !strings.Contains(text, w) {
					t.Errorf("printed receipt lacks %q:\n%s", w, printed)
				}
			}
		})
	}
}
