package hmrc

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestParseDateStrict(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"2017-02-30", "2017-2-3", "17-02-03", "2017-02-03T00:00:00Z", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
	if got := d("2024-02-29"); got != (Date{2024, time.February, 29}) || got.String() != "2024-02-29" {
		t.Errorf("ParseDate(2024-02-29) = %v", got)
	}
}

func TestAddYearsLikeJava(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"2024-02-29", "2025-02-28"},
		{"2023-03-01", "2024-03-01"},
		{"2017-01-01", "2018-01-01"},
	}
	for _, tt := range tests {
		if got := d(tt.in).AddYears(1); got != d(tt.want) {
			t.Errorf("%s.AddYears(1) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type s struct {
		A Date `json:"a"`
		B Date `json:"b,omitzero"`
	}
	b, err := json.Marshal(s{A: d("2018-03-31")})
	if err != nil || string(b) != `{"a":"2018-03-31"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var got s
	if err := json.Unmarshal([]byte(`{"a":"2018-03-31","b":null}`), &got); err != nil || got.A != d("2018-03-31") || !got.B.IsZero() {
		t.Fatalf("Unmarshal = %+v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`{"a":"2018-02-31"}`), &got); err == nil {
		t.Fatal("Unmarshal accepted 2018-02-31")
	}
}

func TestSplitRange(t *testing.T) {
	t.Parallel()
	w := func(f, t string) window { return window{d(f), d(t)} }
	tests := []struct {
		name     string
		from, to string
		maxTo    func(Date) Date
		want     []window
	}{
		{"obligations fits exactly a year", "2017-01-01", "2018-01-01", obligationsMaxTo,
			[]window{w("2017-01-01", "2018-01-01")}},
		{"obligations one day over", "2017-01-01", "2018-01-03", obligationsMaxTo,
			[]window{w("2017-01-01", "2018-01-01"), w("2018-01-02", "2018-01-03")}},
		{"obligations tail of one day is avoided", "2017-01-01", "2018-01-02", obligationsMaxTo,
			[]window{w("2017-01-01", "2017-12-31"), w("2018-01-01", "2018-01-02")}},
		{"financial fits 365 days", "2018-01-01", "2018-12-31", financialMaxTo,
			[]window{w("2018-01-01", "2018-12-31")}},
		{"financial three years", "2018-01-01", "2020-12-31", financialMaxTo,
			[]window{w("2018-01-01", "2018-12-31"), w("2019-01-01", "2019-12-31"), w("2020-01-01", "2020-12-31")}},
		{"inverted range passes through", "2020-01-01", "2019-01-01", financialMaxTo,
			[]window{w("2020-01-01", "2019-01-01")}},
		{"one-day range passes through", "2020-01-01", "2020-01-01", financialMaxTo,
			[]window{w("2020-01-01", "2020-01-01")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := splitRange(d(tt.from), d(tt.to), tt.maxTo)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("splitRange = %v, want %v", got, tt.want)
			}
			// Every window must satisfy HMRC's rule unless it is the untouched input.
			if len(got) > 1 {
				for i, x := range got {
					if !x.From.Before(x.To) || x.To.After(tt.maxTo(x.From)) {
						t.Errorf("window %d %v breaks HMRC's rule", i, x)
					}
					if i > 0 && got[i-1].To.AddDays(1) != x.From {
						t.Errorf("window %d does not follow window %d", i, i-1)
					}
				}
			}
		})
	}
}

func FuzzSplitRange(f *testing.F) {
	f.Add(0, 1000)
	f.Add(10, 366)
	f.Fuzz(func(t *testing.T, startOff, length int) {
		if startOff < 0 || startOff > 5000 || length < 2 || length > 4000 {
			return
		}
		from := d("2016-04-06").AddDays(startOff)
		to := from.AddDays(length)
		for _, maxTo := range []func(Date) Date{obligationsMaxTo, financialMaxTo} {
			got := splitRange(from, to, maxTo)
			if got[0].From != from || got[len(got)-1].To != to {
				t.Fatalf("split %s..%s does not cover the range: %v", from, to, got)
			}
			for i, x := range got {
				if !x.From.Before(x.To) || x.To.After(maxTo(x.From)) {
					t.Fatalf("window %d %v breaks the rule", i, x)
				}
				if i > 0 && got[i-1].To.AddDays(1) != x.From {
					t.Fatalf("gap or overlap before window %d: %v", i, got)
				}
			}
		}
	})
}
