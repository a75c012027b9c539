package financialdetails_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// A charge reference typed in lower case is HMRC's upper-case one: the same charge is shown.
func TestFinancialDetailsLowerCaseReference(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryLatePayer})
	charges, _ := refs(t, w)
	if len(charges) == 0 {
		t.Fatal("no charge reference")
	}
	want := w.Run("financial-details", charges[0], "-o", "json")
	got := w.Run("financial-details", strings.ToLower(charges[0]), "-o", "json")
	if got.Code != 0 || want.Code != 0 || got.Out != want.Out {
		t.Errorf("%s: exit %d\n%s%s\nwant exit %d\n%s", strings.ToLower(charges[0]), got.Code, got.Out, got.Err, want.Code, want.Out)
	}
	r := w.Run("financial-details", strings.ToLower(charges[0]))
	if r.Code != 0 || !strings.Contains(r.Out, "Charge "+charges[0]) {
		t.Errorf("table: exit %d\n%s%s", r.Code, r.Out, r.Err)
	}
}

// The CSV's columns are HMRC's field names, one value each.
func TestFinancialDetailsCSVHeader(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("financial-details", "XP123456789012", "--test-scenario", "DEFAULT", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if r.Code != 0 || err != nil || len(rows) < 2 {
		t.Fatalf("exit %d, %v\n%s%s", r.Code, err, r.Out, r.Err)
	}
	want := []string{"chargeDescription", "periodFromDate", "periodToDate", "netDueDate", "amount", "documentClearedAmount",
		"documentOutstandingAmount", "interestPostedAmount", "interestAccruingAmount", "currentInterestRate"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header\n%v, want\n%v", rows[0], want)
	}
}
