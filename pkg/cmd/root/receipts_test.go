package root

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

const (
	idPaid    = "aaaa1111-0000-4000-8000-000000000001"
	idRepay   = "bbbb2222-0000-4000-8000-000000000002"
	idUnknown = "cccc3333-0000-4000-8000-000000000003"
)

// seedJournal writes, through the receipts package, a journal with an accepted return to pay,
// an already-filed repayment return and one whose outcome is unknown.
func seedJournal(t *testing.T) (configDir string) {
	t.Helper()
	configDir = t.TempDir()
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	j, err := receipts.Open(filepath.Join(configDir, "receipts"), receipts.WithClock(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	intent := func(id, pk, end string, r vatreturn.Return) receipts.Intent {
		return receipts.Intent{
			ID: id, VRN: "123456789", PeriodKey: pk, PeriodStart: "2026-04-01", PeriodEnd: end, PeriodDue: "2026-08-07",
			Return: r, ToolVersion: "1.0.0", Profile: "default", CreatedAt: t0,
			Evidence: receipts.Evidence{
				WorkbookPath: "/books/q.xlsx", WorkbookSHA256: strings.Repeat("0f", 32),
				Cells: []receipts.CellEvidence{
					{Box: 1, Name: "Box1", Sheet: "VAT Return", Cell: "C5", Raw: "105.12", Formula: "SUM(Sales!D2:D90)*0.2", Value: r.VATDueSales},
					{Box: 3, Computed: true, Value: r.TotalVATDue},
					{Box: 6, Name: "totalValueSalesExVAT", Sheet: "VAT", Cell: "C10", Raw: "525", Value: r.TotalValueSalesExVAT},
				},
				Warnings: []string{"box 3 computed as box 1 + box 2"},
			},
		}
	}
	pay := vatreturn.Return{VATDueSales: 10512, TotalVATDue: 10512, VATReclaimedCurrPeriod: 2500, NetVATDue: 8012, TotalValueSalesExVAT: 52500}
	repay := vatreturn.Return{VATDueSales: 1000, TotalVATDue: 1000, VATReclaimedCurrPeriod: 4000, NetVATDue: 3000, TotalValueSalesExVAT: 5000}
	steps := []func() error{
		func() error { return j.BeginIntent(ctx, intent(idPaid, "26A1", "2026-06-30", pay)) },
		func() error {
			return j.RecordReceipt(ctx, receipts.Receipt{
				IntentID: idPaid, Outcome: receipts.OutcomeAccepted, FormBundleNumber: "123456789012", PaymentIndicator: "DD",
				ChargeRefNumber: "XM002610011594", ReceiptID: "dddd4444-aaaa-4bbb-8ccc-000000000000", ReceiptTimestamp: "2026-11-24T09:31:02Z",
				CorrelationID: "corr-1", ProcessingDate: t0.Add(time.Minute), RecordedAt: t0.Add(time.Hour),
			})
		},
		func() error { return j.BeginIntent(ctx, intent(idRepay, "26A2", "2026-09-30", repay)) },
		func() error {
			return j.RecordReceipt(ctx, receipts.Receipt{IntentID: idRepay, Outcome: receipts.OutcomeAlreadyFiled, RecordedAt: t0.Add(2 * time.Hour)})
		},
		func() error { return j.BeginIntent(ctx, intent(idUnknown, "26A3", "2026-12-31", pay)) },
		func() error { return j.MarkUnknown(ctx, idUnknown, "POST timed out") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	return configDir
}

func TestReceiptsListJSON(t *testing.T) {
	t.Parallel()
	env := map[string]string{"VAT_CONFIG_DIR": seedJournal(t)}
	code, stdout, stderr := runCLI(t, env, "receipts", "list", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Receipts []struct {
			ID, VRN, PeriodKey, FormBundleNumber, PaymentIndicator, Outcome, RecordedAt, ProcessingDate, Position string
			NetVatDue                                                                                             json.Number
			Period                                                                                                struct{ Start, End, Due string }
		}
		Unresolved []struct {
			ID, State, Reason string
			InFlight          bool
		}
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(doc.Receipts) != 2 || doc.Receipts[0].ID != idRepay || doc.Receipts[1].ID != idPaid {
		t.Fatalf("receipts not newest first: %+v", doc.Receipts)
	}
	paid := doc.Receipts[1]
	if paid.FormBundleNumber != "123456789012" || paid.PaymentIndicator != "DD" || paid.Outcome != "accepted" ||
		paid.NetVatDue.String() != "80.12" || paid.Position != "payable" || paid.PeriodKey != "26A1" || paid.VRN != "123456789" ||
		paid.Period.End != "2026-06-30" || paid.RecordedAt != "2026-11-24T10:30:00Z" || paid.ProcessingDate != "2026-11-24T09:31:00Z" {
		t.Errorf("paid receipt = %+v", paid)
	}
	if r := doc.Receipts[0]; r.Position != "repayable" || r.Outcome != "already-filed" || r.NetVatDue.String() != "30.00" {
		t.Errorf("repayment receipt = %+v", r)
	}
	if len(doc.Unresolved) != 1 || doc.Unresolved[0].ID != idUnknown || doc.Unresolved[0].State != "unknown" ||
		doc.Unresolved[0].Reason != "POST timed out" || doc.Unresolved[0].InFlight {
		t.Errorf("unresolved = %+v", doc.Unresolved)
	}
}

func TestReceiptsListTable(t *testing.T) {
	t.Parallel()
	env := map[string]string{"VAT_CONFIG_DIR": seedJournal(t)}
	// Bare 'vat receipts' lists too.
	code, stdout, stderr := runCLI(t, env, "receipts")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 rows, got:\n%s", stdout)
	}
	for i, want := range [][]string{
		{"Recorded", "ID", "VRN", "Period", "Outcome", "Form bundle", "Amount"},
		{"cccc3333", "Apr–Dec 2026 (26A3)", "UNKNOWN", "£80.12 to pay"},
		{"bbbb2222", "already-filed", "£30.00 repayment"},
		{"2026-11-24 10:30:00 UTC", "aaaa1111", "123456789", "Apr–Jun 2026 (26A1)", "accepted", "123456789012", "£80.12 to pay"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	if strings.ContainsRune(stdout, '\x1b') || strings.ContainsAny(stdout, "│╭") {
		t.Error("output to a pipe must be plain columns")
	}

	code, stdout, _ = runCLI(t, env, "receipts", "list", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 || rows[3][8] != "123456789012" {
		t.Fatalf("csv = %d %v %q", code, err, rows)
	}
	// One value per column: the period's dates apart, the state as a word, the boxes as numbers.
	if got := strings.Join(rows[1][3:11], ","); got != "26A3,2026-04-01,2026-12-31,2026-08-07,unknown,,payable,105.12" {
		t.Errorf("unresolved csv row = %s", got)
	}
}

func TestReceiptsShow(t *testing.T) {
	t.Parallel()
	env := map[string]string{"VAT_CONFIG_DIR": seedJournal(t)}

	code, stdout, stderr := runCLI(t, env, "receipts", "show", "AAAA11", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		ID, State string
		Receipt   *struct{ FormBundleNumber, ReceiptID, ChargeRefNumber, RecordedAt string }
		Return    map[string]json.Number
		Evidence  struct {
			WorkbookPath, WorkbookSha256 string
			Cells                        []struct {
				Box                                    int
				Field, Name, Sheet, Cell, Raw, Formula string
				Computed                               bool
			}
			Warnings []string
		}
		Events []struct{ Type, Reason string }
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if doc.ID != idPaid || doc.State != "receipted" || doc.Receipt == nil || doc.Receipt.FormBundleNumber != "123456789012" ||
		doc.Receipt.ChargeRefNumber != "XM002610011594" {
		t.Errorf("show = %+v", doc)
	}
	// The return uses HMRC's wire shape: boxes 6-9 as whole pounds.
	if doc.Return["netVatDue"].String() != "80.12" || doc.Return["totalValueSalesExVAT"].String() != "525" {
		t.Errorf("return = %v", doc.Return)
	}
	ev := doc.Evidence
	if ev.WorkbookPath != "/books/q.xlsx" || len(ev.Cells) != 3 || ev.Cells[0].Field != "vatDueSales" || ev.Cells[0].Cell != "C5" ||
		ev.Cells[0].Formula != "SUM(Sales!D2:D90)*0.2" || !ev.Cells[1].Computed || len(ev.Warnings) != 1 {
		t.Errorf("evidence = %+v", ev)
	}

	code, stdout, stderr = runCLI(t, env, "receipts", "show", "123456789012")
	if code != 0 {
		t.Fatalf("show by form bundle number: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Submission " + idPaid, "Form bundle number", "123456789012", "XM002610011594", "accepted by HMRC",
		"Box1 = 'VAT Return'!C5", "=SUM(Sales!D2:D90)*0.2", "computed by vat", "totalValueSalesExVAT = VAT!C10",
		"£80.12 to pay", strings.Repeat("0f", 32), "box 3 computed as box 1 + box 2",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = runCLI(t, env, "receipts", "show", idUnknown)
	if code != 0 || !strings.Contains(stdout, "outcome UNKNOWN") || !strings.Contains(stdout, "outcome unknown: POST timed out") {
		t.Errorf("show unknown = %d\n%s", code, stdout)
	}
}

func TestReceiptsShowErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{"VAT_CONFIG_DIR": seedJournal(t)}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"receipts", "show", "zzzz"}, "no such submission"},
		// "aaa" starts a submission's ID: too short to look up, which is not "no such".
		{[]string{"receipts", "show", "aaa"}, `submission ID "aaa" is too short to look up`},
		{[]string{"receipts", "show", "9"}, "give at least 4 characters of the ID"},
		{[]string{"receipts", "show"}, "needs the ID of a submission"},
		{[]string{"receipts", "show", "a", "b"}, "needs the ID of a submission"},
		{[]string{"receipts", "bogus"}, "takes no arguments"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, env, tt.args...)
		if code != cmdutil.ExitUsage || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d stdout %q stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

func TestReceiptsEmpty(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, nil, "receipts", "-o", "json")
	if code != 0 || strings.TrimSpace(stdout) != "{\n  \"receipts\": [],\n  \"unresolved\": []\n}" || stderr != "" {
		t.Errorf("empty -o json = %d %q %q", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, nil, "receipts")
	if code != 0 || !strings.Contains(stderr, "no submissions recorded yet") {
		t.Errorf("empty = %d %q", code, stderr)
	}
}
