package hmrc

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without a time zone, as HMRC's "YYYY-MM-DD" fields are. A civil date
// keeps a period end from shifting a day when a caller's clock is not in UTC.
type Date struct {
	Y int
	M time.Month
	D int
}

// ParseDate reads a strict "YYYY-MM-DD" date; "2017-02-30" is refused as HMRC refuses it.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time returns midnight UTC at the start of the date.
func (d Date) Time() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats as "YYYY-MM-DD"; the zero Date formats as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Y, int(d.M), d.D)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// AddYears returns the same day n years later. 29 February becomes 28 February in a year without
// one, as Java's LocalDate.plusYears does: HMRC's range rules are written with it, and Go's
// normalisation to 1 March would let a range one day too long through.
func (d Date) AddYears(n int) Date {
	e := Date{d.Y + n, d.M, d.D}
	if DateOf(e.Time()) != e {
		e.D = 28
	}
	return e
}

// MarshalJSON writes "YYYY-MM-DD"; callers leave zero dates out with omitzero.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte(`null`), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD"; null and "" leave the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: %w", err)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// window is one request's date range.
type window struct{ From, To Date }

// splitRange cuts [from, to] into consecutive windows that each satisfy HMRC's rule for one
// request: from < to and to <= maxTo(from). HMRC refuses a one-day window (from == to), so when
// the last piece would be a single day the previous window gives up its final day to it.
// A range that already fits, or an inverted or one-day range, is passed through unchanged so
// that HMRC, not the client, judges what the user asked for.
func splitRange(from, to Date, maxTo func(Date) Date) []window {
	if !from.Before(to) || !to.After(maxTo(from)) {
		return []window{{from, to}}
	}
	var out []window
	start := from
	for {
		end := maxTo(start)
		if !end.Before(to) {
			out = append(out, window{start, to})
			return out
		}
		if end.AddDays(1) == to {
			end = end.AddDays(-1)
		}
		out = append(out, window{start, end})
		start = end.AddDays(1)
	}
}

// obligationsMaxTo is vat-api's obligations rule: to may be at most one year after from.
func obligationsMaxTo(from Date) Date { return from.AddYears(1) }

// financialMaxTo is vat-api's liabilities and payments rule: at most one year less a day.
func financialMaxTo(from Date) Date { return from.AddYears(1).AddDays(-1) }
