package fraud

import (
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 9, 15, 31, 0, time.UTC)
	tests := []struct {
		name   string
		method Method
		f      Facts
		// header → fragment the explanation must contain; "" value means the header must be empty.
		want  map[string]string
		empty []string
	}{
		{
			name: "headless batch", method: BatchProcessDirect, f: headlessFacts(),
			want: map[string]string{
				HeaderConnectionMethod: "no user started",
				HeaderLicenseIDs:       "missing-data procedure",
				HeaderDeviceID:         DeviceIDFile,
			},
			empty: []string{HeaderLicenseIDs},
		},
		{
			name: "headless desktop explains screens with the collector's reason", method: DesktopAppDirect, f: headlessFacts(),
			want: map[string]string{
				HeaderScreens:     "no display; sent empty under HMRC's missing-data procedure",
				HeaderWindowSize:  "no value was collected",
				HeaderMultiFactor: "SDSTeam@hmrc.gov.uk",
			},
			empty: []string{HeaderScreens, HeaderWindowSize, HeaderMultiFactor, HeaderLicenseIDs},
		},
		{
			name: "partly empty user agent", method: OtherDirect,
			f: func() Facts {
				f := headlessFacts()
				f.Missing = map[string]string{HeaderUserAgent: "no DMI data"}
				return f
			}(),
			want: map[string]string{
				HeaderUserAgent:        "partly empty: no DMI data",
				HeaderConnectionMethod: "HMRC may ask why",
				HeaderTimezone:         "(UTC)",
			},
		},
		{
			name: "full desktop", method: DesktopAppDirect, f: goldenFacts(),
			want: map[string]string{
				HeaderUserIDs:  "application accounts (vat)",
				HeaderScreens:  "displays attached",
				HeaderTimezone: "(BST)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines := Describe(tt.method, tt.f, now)
			h := Headers(tt.method, tt.f, now)
			names := tt.method.HeaderNames()
			if len(lines) != len(names) {
				t.Fatalf("%d lines, want %d", len(lines), len(names))
			}
			byName := map[string]Line{}
			for i, l := range lines {
				if l.Header != names[i] {
					t.Errorf("line %d is %s, want %s", i, l.Header, names[i])
				}
				if l.Value != h.Get(l.Header) {
					t.Errorf("%s: described %q but Headers sends %q", l.Header, l.Value, h.Get(l.Header))
				}
				if l.Empty != (l.Value == "") || l.Explanation == "" {
					t.Errorf("%s: empty=%v value=%q explanation=%q", l.Header, l.Empty, l.Value, l.Explanation)
				}
				if l.Empty && !strings.Contains(l.Explanation, "missing-data procedure") {
					t.Errorf("%s: empty without the missing-data note: %q", l.Header, l.Explanation)
				}
				byName[l.Header] = l
			}
			for hdr, frag := range tt.want {
				if !strings.Contains(byName[hdr].Explanation, frag) {
					t.Errorf("%s explanation %q lacks %q", hdr, byName[hdr].Explanation, frag)
				}
			}
			for _, hdr := range tt.empty {
				if !byName[hdr].Empty {
					t.Errorf("%s should be empty, is %q", hdr, byName[hdr].Value)
				}
			}
		})
	}
	if Describe("NOPE", goldenFacts(), now) != nil {
		t.Error("unknown method described")
	}
}
