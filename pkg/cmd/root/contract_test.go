package root_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/information"
	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/penalties"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// validate checks one JSON document against the committed schema testdata/schema/name.json.
func validate(t *testing.T, name, doc string) {
	t.Helper()
	if err := checkSchema(name, doc); err != nil {
		t.Errorf("%s: %v\n%s", name, err, doc)
	}
}

func checkSchema(name, doc string) error { return root.CheckSchema(name, doc) }

// The schemas are strict: a missing field, an unknown one, a number as text or a bad date fails.
func TestSchemasRefuseDrift(t *testing.T) {
	t.Parallel()
	good := `{"version":"1.0","commit":"abc","date":"2026-11-29","os":"linux","arch":"amd64"}`
	if err := checkSchema("version", good); err != nil {
		t.Fatalf("a good document fails: %v", err)
	}
	for _, bad := range []struct{ name, doc string }{
		{"version", `{"version":"1.0","commit":"abc","date":"2026-11-29","os":"linux"}`},
		{"version", `{"version":"1.0","commit":"abc","date":"2026-11-29","os":"linux","arch":"amd64","extra":1}`},
		{"obligations", `{"obligations":[{"periodKey":"26A3","start":"30/09/2026","end":"2026-09-30","due":"2026-11-07","status":"O"}]}`},
		{"error", `{"error":{"code":"X","message":"m","details":["a bare string"]}}`},
		{"liabilities", `{"liabilities":[{"type":"VAT Return Debit Charge","originalAmount":"24677.21"}]}`},
		{"payments", `{"payments":[{"amount":1,"received":"07/02/2024"}]}`},
		{"returns", `{"returns":[{"periodKey":"26A2","start":"2026-04-01","end":"2026-06-30","due":"2026-08-07","status":"F","return":{"periodKey":"26A2"}}]}`},
	} {
		if checkSchema(bad.name, bad.doc) == nil {
			t.Errorf("%s accepted %s", bad.name, bad.doc)
		}
	}
	var checkDoc = `{"return":{"vatDueSales":"1.00"}}`
	if checkSchema("check", checkDoc) == nil {
		t.Error("check accepted money as text")
	}
}

// ok runs a command with -o json, expects exit 0 and validates stdout against its schema.
func ok(t *testing.T, w *viewtest.World, schema string, args ...string) string {
	t.Helper()
	r := w.Run(append(args, "-o", "json")...)
	if r.Code != 0 {
		t.Fatalf("vat %s -o json: exit %d\n%s", strings.Join(args, " "), r.Code, r.Err)
	}
	validate(t, schema, r.Out)
	return r.Out
}

// TestJSONMatchesSchemas runs every command this contract covers against the emulator, through
// root.Run as a user would, and validates each -o json document against its committed schema.
func TestJSONMatchesSchemas(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	dir := t.TempDir()

	obs := ok(t, w, "obligations", "obligations")
	ok(t, w, "obligations", "obligations", "--status", "all")
	ob, err := demo.LatestEnded([]byte(obs), hmrc.DateOf(viewtest.Today))
	if err != nil {
		t.Fatal(err)
	}
	wb := filepath.Join(dir, "q.xlsx")
	ok(t, w, "template", "template", wb)
	if err := demo.FillWorkbook(wb, ob, w.VRN); err != nil {
		t.Fatal(err)
	}
	// Without a box 3 name vat computes box 3 and warns: a warning both check and submit must carry.
	x, err := excelize.OpenFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.DeleteDefinedName(&excelize.DefinedName{Name: "VAT_Box3"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()

	var checked, dry, filed struct{ Warnings []string }
	json.Unmarshal([]byte(ok(t, w, "check", "check", wb)), &checked)
	json.Unmarshal([]byte(ok(t, w, "submit", "submit", "--workbook", wb, "--dry-run")), &dry)
	out := ok(t, w, "submit", "submit", "--workbook", wb, "--yes")
	json.Unmarshal([]byte(out), &filed)
	if len(checked.Warnings) == 0 || !reflect.DeepEqual(checked.Warnings, filed.Warnings) || !reflect.DeepEqual(checked.Warnings, dry.Warnings) {
		t.Errorf("warnings: check %q, submit --dry-run %q, submit %q", checked.Warnings, dry.Warnings, filed.Warnings)
	}

	var list struct {
		Receipts []struct{ ID, PeriodKey string }
	}
	if err := json.Unmarshal([]byte(ok(t, w, "receipts-list", "receipts", "list")), &list); err != nil || len(list.Receipts) != 1 {
		t.Fatalf("receipts list: %v %+v", err, list)
	}
	if list.Receipts[0].PeriodKey != ob.PeriodKey {
		t.Errorf("receipt period key %q, want %q", list.Receipts[0].PeriodKey, ob.PeriodKey)
	}
	ok(t, w, "receipts-show", "receipts", "show", list.Receipts[0].ID)
	ok(t, w, "status", "status")
	ok(t, w, "version", "version")
	ok(t, w, "sandbox-create-user", "sandbox", "create-user")
	ok(t, w, "demo", "demo")

	// A failure is one error document on stderr, its details naming each box and cell; stdout
	// still shows every box with its own value or problems, and no return to send.
	r := w.Run("check", filepath.Join("..", "..", "..", "testdata", "workbooks", "error-cells.xlsx"), "-o", "json")
	if r.Code != cmdutil.ExitInvalidData {
		t.Fatalf("check error-cells: exit %d, stdout %q", r.Code, r.Out)
	}
	validate(t, "check", r.Out)
	var partial struct {
		Return *json.RawMessage
		Boxes  []struct {
			Box      int
			Value    *json.Number
			Problems []string
		}
	}
	if err := json.Unmarshal([]byte(r.Out), &partial); err != nil || partial.Return != nil || len(partial.Boxes) != 9 {
		t.Fatalf("check error-cells stdout: %v\n%s", err, r.Out)
	}
	if b1, b6 := partial.Boxes[0], partial.Boxes[5]; b1.Value != nil || len(b1.Problems) == 0 || !strings.Contains(b1.Problems[0], "#DIV/0!") ||
		b6.Value == nil || b6.Value.String() != "6172" || len(b6.Problems) != 0 {
		t.Errorf("boxes 1 and 6 = %+v, %+v; want box 1's problem and box 6's value", b1, b6)
	}
	validate(t, "error", r.Err)
	var e cmdutil.ErrorDoc
	if err := json.Unmarshal([]byte(r.Err), &e); err != nil || len(e.Error.Details) == 0 {
		t.Fatalf("error document: %v %s", err, r.Err)
	}
	for _, d := range e.Error.Details {
		if d.Box == 0 || d.Field == "" || d.Name == "" || d.Sheet == "" || d.Cell == "" || d.Message == "" {
			t.Errorf("a detail without its box, field, name, sheet, cell or message: %+v", d)
		}
	}
	r = w.Run("frobnicate", "-o", "json")
	validate(t, "error", r.Err)

	ok(t, w, "logout", "logout")
}

// TestLoginJSONMatchesSchema signs in through the emulator's forms, as the browser would.
func TestLoginJSONMatchesSchema(t *testing.T) {
	t.Parallel()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"VAT_ENV": "local", "VAT_API_URL": hs.URL, "VAT_CONFIG_DIR": t.TempDir(), "VAT_TOKEN_STORE": "file", "VAT_VRN": u.VRN}
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	f.OpenBrowser = func(authURL string) error {
		go func() {
			loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, u.UserID, u.Password)
			if err != nil {
				t.Errorf("sign in: %v", err)
				return
			}
			if resp, err := http.Get(loc.String()); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	if code := root.Run(context.Background(), []string{"login", "-o", "json"}, f); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, errOut)
	}
	validate(t, "login", out.String())
	if bytes.Contains(out.Bytes(), []byte("oken\": \"")) || strings.Contains(out.String(), "access") {
		t.Errorf("login -o json shows a token:\n%s", out)
	}
}

// TestAccountViewsMatchSchemas validates the account views' -o json against their committed
// schemas, for businesses whose accounts hold something (penalties, interest, unpaid VAT) and
// for a new business whose views are empty, and under HMRC's documented scenarios.
func TestAccountViewsMatchSchemas(t *testing.T) {
	t.Parallel()
	for _, kind := range sandbox.HistoryKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			w := viewtest.New(t, viewtest.Business{History: kind})
			ok(t, w, "returns-period", "returns", newestPeriodKey(t, ok(t, w, "returns", "returns")))
			ok(t, w, "liabilities", "liabilities", "--from", viewtest.Today.AddDate(-3, 0, 0).Format("2006-01-02"))
			ok(t, w, "payments", "payments", "--from", viewtest.Today.AddDate(-3, 0, 0).Format("2006-01-02"))
			ok(t, w, "information", "information")
			var p struct {
				LateSubmissionPenalty struct {
					Details []struct{ ChargeReference string }
				}
				LatePaymentPenalty struct {
					Details []struct{ PenaltyChargeReference, PrincipalChargeReference string }
				}
			}
			if err := json.Unmarshal([]byte(ok(t, w, "penalties", "penalties")), &p); err != nil {
				t.Fatal(err)
			}
			refs := map[string]bool{}
			for _, d := range p.LateSubmissionPenalty.Details {
				refs[d.ChargeReference] = true
			}
			for _, d := range p.LatePaymentPenalty.Details {
				refs[d.PenaltyChargeReference], refs[d.PrincipalChargeReference] = true, true
			}
			delete(refs, "")
			for ref := range refs {
				ok(t, w, "financial-details", "financial-details", ref)
			}
		})
	}
	t.Run("new-business", func(t *testing.T) {
		t.Parallel()
		w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 20})
		for _, c := range [][]string{{"returns", "returns"}, {"liabilities", "liabilities"}, {"payments", "payments"},
			{"penalties", "penalties"}, {"information", "information"}} {
			ok(t, w, c[0], c[1:]...)
		}
	})
	t.Run("scenarios", func(t *testing.T) {
		t.Parallel()
		w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
		for _, sc := range penalties.Scenarios {
			ok(t, w, "penalties", "penalties", "--test-scenario", sc)
		}
		for _, sc := range information.Scenarios {
			if sc != "CUSTOMER_INFO_NOT_FOUND" {
				ok(t, w, "information", "information", "--test-scenario", sc)
			}
		}
		for _, sc := range []string{"SINGLE_LIABILITY", "MULTIPLE_LIABILITIES"} {
			ok(t, w, "liabilities", "liabilities", "--from", "2017-01-01", "--to", "2017-12-31", "--test-scenario", sc)
		}
		for _, sc := range []string{"SINGLE_PAYMENT", "MULTIPLE_PAYMENTS"} {
			ok(t, w, "payments", "payments", "--from", "2017-01-01", "--to", "2017-12-31", "--test-scenario", sc)
		}
		ok(t, w, "financial-details", "financial-details", "XP123456789012", "--test-scenario", "DEFAULT")
	})
}

// newestPeriodKey is the newest filed period in `vat returns -o json`.
func newestPeriodKey(t *testing.T, returns string) string {
	t.Helper()
	var doc struct{ Returns []struct{ PeriodKey string } }
	if err := json.Unmarshal([]byte(returns), &doc); err != nil || len(doc.Returns) == 0 {
		t.Fatalf("returns: %v %q", err, returns)
	}
	return doc.Returns[0].PeriodKey
}
