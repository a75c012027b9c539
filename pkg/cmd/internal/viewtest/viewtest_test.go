package viewtest

import (
	"reflect"
	"testing"
)

// A terminal line wider than the terminal is reported, measured in columns (not bytes, so "£"
// counts once), and colour does not count; a line that is one URL alone is not, since cutting
// it would break it.
func TestOverWide(t *testing.T) {
	guide := "https://www.gov.uk/guidance/penalty-points-and-penalties-if-you-submit-your-vat-return-late"
	out := "£1,234.56 £1,234.56\n" + // 19 columns, 21 bytes
		"\x1b[1m£1,234.56\x1b[0m\n" +
		guide + "\n" +
		"  (" + guide + ").\n" +
		"see " + guide + "\n" +
		"twenty-one columns!!!"
	got := OverWide(out, 20)
	want := []string{"see " + guide, "twenty-one columns!!!"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OverWide = %q, want %q", got, want)
	}
}
