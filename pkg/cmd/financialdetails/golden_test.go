package financialdetails_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// refs are the charge references `vat penalties -o csv` names for a business, by kind of row.
func refs(t *testing.T, w *viewtest.World) (charges, principals []string) {
	t.Helper()
	r := w.Run("penalties", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("penalties csv: %v %q", err, r.Out)
	}
	for _, row := range rows[1:] {
		if row[12] != "" {
			charges = append(charges, row[12])
		}
		if row[13] != "" && row[12] == "" {
			principals = append(principals, row[13])
		}
	}
	return charges, principals
}

func TestFinancialDetailsGolden(t *testing.T) {
	cases := []struct {
		name, kind string
		principal  bool
	}{
		{"late-payment-penalty", sandbox.HistoryLatePayer, false},
		{"late-submission-penalty", sandbox.HistorySerialFiler, false},
		{"unpaid-vat-with-interest", sandbox.HistoryArrears, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := viewtest.New(t, viewtest.Business{History: c.kind})
			charges, principals := refs(t, w)
			list := charges
			if c.principal {
				list = principals
			}
			if len(list) == 0 {
				t.Fatalf("no reference for %s", c.name)
			}
			viewtest.Views(t, w, c.name, "financial-details", list[0])
		})
	}
	t.Run("scenario-DEFAULT", func(t *testing.T) {
		w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
		viewtest.Views(t, w, "scenario-DEFAULT", "financial-details", "XP123456789012", "--test-scenario", "DEFAULT")
	})
}

// HMRC's MATCHING_RESOURCE_NOT_FOUND is an unknown charge, not a wrong API address.
func TestFinancialDetailsNoSuchCharge(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("financial-details", "XP000000000001")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, "no such charge") || strings.Contains(r.Err, "api-url") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
	r = w.Run("financial-details", "XP000000000001", "-o", "json")
	if r.Code != cmdutil.ExitRejected || !strings.Contains(r.Err, `"MATCHING_RESOURCE_NOT_FOUND"`) {
		t.Errorf("json: exit %d, stderr %q", r.Code, r.Err)
	}
}

// A malformed reference is a usage error found before HMRC is asked.
func TestFinancialDetailsBadReference(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	before := w.Srv.Stats().Requests["financial-details"]
	r := w.Run("financial-details", "12345")
	if r.Code != cmdutil.ExitUsage || !strings.Contains(r.Err, "not a charge reference") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Err)
	}
	if n := w.Srv.Stats().Requests["financial-details"]; n != before {
		t.Errorf("HMRC asked %d times", n-before)
	}
}
