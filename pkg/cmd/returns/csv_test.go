package returns_test

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// The history's CSV carries all nine boxes of each return, in box order under HMRC's names, as
// plain numbers equal to the JSON's: boxes 1 to 5 with two decimals, 6 to 9 in whole pounds.
func TestReturnsCSVHasTheNineBoxes(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	w.FileLatest()
	r := w.Run("returns", "-o", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Out)).ReadAll()
	if r.Code != 0 || err != nil || len(rows) < 2 {
		t.Fatalf("exit %d, %v\n%s%s", r.Code, err, r.Out, r.Err)
	}
	boxes := []string{"vatDueSales", "vatDueAcquisitions", "totalVatDue", "vatReclaimedCurrPeriod", "netVatDue",
		"totalValueSalesExVAT", "totalValuePurchasesExVAT", "totalValueGoodsSuppliedExVAT", "totalAcquisitionsExVAT"}
	want := append([]string{"period", "periodKey", "start", "end", "due", "received"}, boxes...)
	if !slices.Equal(rows[0], want) {
		t.Fatalf("header\n%v, want\n%v", rows[0], want)
	}

	var doc struct {
		Returns []struct {
			PeriodKey string                     `json:"periodKey"`
			Return    map[string]json.RawMessage `json:"return"`
		} `json:"returns"`
	}
	j := w.Run("returns", "-o", "json")
	if err := json.Unmarshal([]byte(j.Out), &doc); err != nil || len(doc.Returns) != len(rows)-1 {
		t.Fatalf("json: %v, %d returns for %d CSV rows", err, len(doc.Returns), len(rows)-1)
	}
	for i, it := range doc.Returns {
		row := rows[i+1]
		if row[1] != it.PeriodKey {
			t.Fatalf("row %d is %s, JSON's is %s", i+1, row[1], it.PeriodKey)
		}
		for b, name := range boxes {
			got := row[6+b]
			if string(it.Return[name]) != got {
				t.Errorf("%s %s: CSV %q, JSON %s", it.PeriodKey, name, got, it.Return[name])
			}
			dot := strings.Index(got, ".")
			if b < 5 && (dot < 0 || len(got)-dot != 3) || b >= 5 && dot >= 0 {
				t.Errorf("%s box %d = %q: want two decimals in boxes 1 to 5, whole pounds in 6 to 9", it.PeriodKey, b+1, got)
			}
		}
	}
	// The return filed through the API has a box 2 and a box 8 that the history's do not.
	if rows[1][7] != "60.00" || rows[1][13] != "800" {
		t.Errorf("newest return: box 2 %q, box 8 %q, want 60.00 and 800\n%v", rows[1][7], rows[1][13], rows[1])
	}
}

// A period key typed in lower case is the upper-case key HMRC issued, as submit takes it.
func TestReturnsLowerCasePeriodKey(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	r := w.Run("returns", "26a2", "-o", "json")
	if r.Code != 0 || !strings.Contains(r.Out, `"periodKey": "26A2"`) {
		t.Errorf("exit %d\n%s%s", r.Code, r.Out, r.Err)
	}
}
