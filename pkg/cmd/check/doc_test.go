package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"

	"github.com/vatbridge/vat/pkg/workbook"
)

// readCSV reads a box,value CSV workbook with rows for boxes 1 to 9.
func readCSV(t *testing.T, round bool, values ...string) (*workbook.Result, error) {
	t.Helper()
	body := "box,value\n"
	for i, v := range values {
		body += string(rune('1'+i)) + "," + v + "\n"
	}
	path := filepath.Join(t.TempDir(), "b.csv")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := workbook.Read(context.Background(), path, workbook.Options{Round: round, SkipDigest: true})
	if res == nil {
		t.Fatalf("read: %v", err)
	}
	return res, err
}

type boxOut struct {
	Box      int             `json:"box"`
	Value    json.RawMessage `json:"value"`
	Read     string          `json:"read"`
	Problems []string        `json:"problems"`
}

func boxesJSON(t *testing.T, d Doc) []boxOut {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Boxes []boxOut `json:"boxes"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out.Boxes
}

// A refused box has no value in any format: JSON null (what was read only as text in "read"),
// an empty CSV cell, "(see below)" in the table. Box 6 with pence and box 3 that is not
// box 1 + box 2 are read as exact amounts and still refused.
func TestRefusedBoxHasNoValueInAnyFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		round  bool
		values []string
		bad    map[int]string // box → what "read" says ("" when nothing exact was read)
	}{
		{"pence in box 6", false, []string{"100.005", "0", "100.00", "0", "100.00", "500.50", "0", "0", "0"}, map[int]string{1: "", 6: "500.50"}},
		{"box 3 after rounding", true, []string{"100.005", "0", "100.00", "0", "100.00", "500.50", "0", "0", "0"}, map[int]string{3: "100.00"}},
	} {
		res, err := readCSV(t, tc.round, tc.values...)
		if err == nil {
			t.Fatalf("%s: no problems", tc.name)
		}
		d := DocOf(res, err)
		csv := d.CSV()
		tbl := d.Table()
		for _, b := range boxesJSON(t, d) {
			read, bad := tc.bad[b.Box]
			if bad != (len(b.Problems) > 0) {
				t.Errorf("%s: box %d problems %q", tc.name, b.Box, b.Problems)
			}
			if got := string(b.Value); bad && got != "null" {
				t.Errorf("%s: refused box %d has value %s in JSON, want null", tc.name, b.Box, got)
			} else if !bad && got == "null" {
				t.Errorf("%s: box %d has no value", tc.name, b.Box)
			}
			if b.Read != read {
				t.Errorf("%s: box %d read %q, want %q", tc.name, b.Box, b.Read, read)
			}
			if v := csv.Rows[b.Box-1][3]; bad != (v == "") {
				t.Errorf("%s: box %d CSV value %q", tc.name, b.Box, v)
			}
			if v := tbl.Rows[b.Box-1][2]; bad != (v == "(see below)") {
				t.Errorf("%s: box %d table value %q", tc.name, b.Box, v)
			}
		}
	}
}

// boxes[].value follows the rule of "return": 1-5 with two decimals, 6-9 whole pounds.
func TestBoxValuesFollowTheBoxRule(t *testing.T) {
	t.Parallel()
	res, err := readCSV(t, false, "100", "0", "100", "0", "100", "7300", "0", "0", "0")
	if err != nil {
		t.Fatal(err)
	}
	d := DocOf(res, nil)
	want := []string{"100.00", "0.00", "100.00", "0.00", "100.00", "7300", "0", "0", "0"}
	for _, b := range boxesJSON(t, d) {
		if got := string(b.Value); got != want[b.Box-1] {
			t.Errorf("box %d value %s, want %s", b.Box, got, want[b.Box-1])
		}
	}
	ret, _ := json.Marshal(d.Return)
	if want := `{"vatDueSales":100.00,"vatDueAcquisitions":0.00,"totalVatDue":100.00,"vatReclaimedCurrPeriod":0.00,"netVatDue":100.00,"totalValueSalesExVAT":7300,"totalValuePurchasesExVAT":0,"totalValueGoodsSuppliedExVAT":0,"totalAcquisitionsExVAT":0}`; string(ret) != want {
		t.Errorf("return = %s\nwant %s", ret, want)
	}
}

// The VRN name is checked against the VRN vat files for, as submit checks it, but only when
// one is known: without --vrn, VAT_VRN or a profile's there is nothing to compare.
func TestCheckRefusesAnotherBusinessesWorkbook(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q.csv")
	if err := os.WriteFile(path, []byte("box,value\nvrn,866598456\n1,100\n2,0\n3,100\n4,0\n5,100\n6,500\n7,0\n8,0\n9,0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		vrn  string
		exit int
	}{{"", cmdutil.ExitOK}, {"866598456", cmdutil.ExitOK}, {"901178451", cmdutil.ExitInvalidData}} {
		ios, _, out, _ := iostreams.Test()
		f := cmdutil.NewFactory(ios)
		env := map[string]string{"VAT_CONFIG_DIR": t.TempDir(), "VAT_VRN": tc.vrn, "VAT_OUTPUT": "json"}
		f.Getenv = func(k string) string { return env[k] }
		err := checkRun(context.Background(), &CheckOptions{IO: ios, Factory: f, Workbook: cmdutil.WorkbookFlags{Path: path}})
		if got := cmdutil.ExitCode(err); got != tc.exit {
			t.Errorf("VAT_VRN=%q: exit %d (%v), want %d", tc.vrn, got, err, tc.exit)
			continue
		}
		if tc.exit == cmdutil.ExitOK {
			continue
		}
		e := cmdutil.Classify(err)
		if len(e.Items) != 1 || e.Items[0].Name != "VRN" || e.Items[0].Code != cmdutil.CodeVRNMismatch || e.Items[0].Cell != "B2" || !strings.Contains(e.Items[0].Message, "holds 866598456 but this profile files for 901178451") {
			t.Errorf("details = %+v", e.Items)
		}
		if strings.Contains(out.String(), `"return"`) {
			t.Errorf("a return another business would file is shown as ready:\n%s", out.String())
		}
	}
}

// Every workbook problem that has a code carries it in its own JSON field, not only in the
// message: HMRC's code for a breach of HMRC's rules (the code HMRC would answer with).
func TestProblemDetailsCarryTheirCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		round  bool
		values []string
		want   map[int]string // box → code
	}{
		{"sub-penny and pence in box 6", false, []string{"100.005", "0", "100.00", "0", "100.00", "500.50", "0", "0", "0"},
			map[int]string{1: "INVALID_MONETARY_AMOUNT", 6: "INVALID_MONETARY_AMOUNT"}},
		{"box 3 is not box 1 + box 2", true, []string{"100.005", "0", "100.00", "0", "100.00", "500.50", "0", "0", "0"},
			map[int]string{3: "VAT_TOTAL_VALUE"}},
		{"box 5 is not the difference", false, []string{"100", "0", "100", "40", "70", "0", "0", "0", "0"},
			map[int]string{5: "VAT_NET_VALUE"}},
	} {
		_, err := readCSV(t, tc.round, tc.values...)
		e := cmdutil.Classify(err)
		got := map[int]string{}
		for _, d := range e.Items {
			got[d.Box] = d.Code
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: details %+v", tc.name, e.Items)
		}
		for box, code := range tc.want {
			if got[box] != code {
				t.Errorf("%s: box %d code %q, want %q", tc.name, box, got[box], code)
			}
		}
	}
}
