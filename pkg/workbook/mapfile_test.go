package workbook

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     map[int]string
		errs     []string
	}{
		{"names and references", "# comment\n\nbox1 = SalesVAT\nBox 3 = 'VAT Return'!$C$9   \nvatReclaimedCurrPeriod=Input\n9 = Acq\n",
			map[int]string{1: "SalesVAT", 3: "'VAT Return'!$C$9", 4: "Input", 9: "Acq"}, nil},
		{"every error at once", "box10 = X\nbox1\nbox2 =\nbox3 = Sheet1!A1:B2\nbox4 = 0.2*X\nbox5 = A\nbox5 = B\n", nil,
			[]string{`line 1: "box10" is not a box`, "line 2: expected `box1 = Name`", "line 3: box 2 has no name", "line 4: box 3: reference", "range", "line 5: box 4", "line 7: box 5 is already mapped on line 6"}},
		{"empty", "", map[int]string{}, nil},
		{"overlong line", "box1 = " + strings.Repeat("x", 10000), nil, []string{"line 1", "token too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMap(strings.NewReader(tt.in))
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("ParseMap = %v, want error", got)
				}
				for _, e := range tt.errs {
					if !strings.Contains(err.Error(), e) {
						t.Errorf("error %q lacks %q", err, e)
					}
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("ParseMap = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestParseMapFixture(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(fixtures, "custom-names.map"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ParseMap(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(t.Context(), filepath.Join(fixtures, "custom-names.xlsx"), Options{Map: m})
	if err != nil {
		t.Fatalf("Read with the map: %v", err)
	}
	if res.Return != standardReturn {
		t.Errorf("Return = %+v", res.Return)
	}
	if res.Sources[0].Name != "SalesVAT" || res.Sources[2].Name != "" || res.Sources[2].Cell != "C9" {
		t.Errorf("Sources = %+v", res.Sources)
	}
}
