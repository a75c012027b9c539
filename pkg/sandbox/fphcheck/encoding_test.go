package fphcheck

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckComponent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		wantMsg string // "" means no problem
		warn    bool
	}{
		{in: "", wantMsg: ""},
		{in: "Dell%20Inc.", wantMsg: ""},
		{in: "my-app_1.6.0~rc", wantMsg: ""},
		{in: "fc00%3A%3A", wantMsg: ""},
		{in: "fc00%3a%3a", wantMsg: ""},
		{in: "domain%5Calice", wantMsg: ""},
		{in: "Dell Inc.", wantMsg: "%20"},
		{in: "Dell+Inc.", wantMsg: "'+' is ambiguous"},
		{in: "fc00::", wantMsg: "':' must be sent as %3A"},
		{in: "a/b", wantMsg: "'/' must be sent as %2F"},
		{in: "a=b", wantMsg: "'=' must be sent as %3D"},
		{in: "a&b", wantMsg: "'&' must be sent as %26"},
		{in: "a,b", wantMsg: "',' must be sent as %2C"},
		{in: "a\\b", wantMsg: "%5C"},
		{in: "a\"b", wantMsg: "%22"},
		{in: "100%", wantMsg: "two hexadecimal digits"},
		{in: "100%2", wantMsg: "two hexadecimal digits"},
		{in: "%zz", wantMsg: "two hexadecimal digits"},
		{in: "caf\xc3\xa9", wantMsg: "US-ASCII"},
		{in: "a\tb", wantMsg: "control characters"},
		{in: "a\x7fb", wantMsg: "control characters"},
		{in: "XPS(13)", wantMsg: "'(' should be sent as %28", warn: true},
		{in: "it's", wantMsg: "%27", warn: true},
		// An error later in the value outranks an earlier warning.
		{in: "a*b c", wantMsg: "%20"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := checkComponent(tt.in)
			if tt.wantMsg == "" {
				if got != nil {
					t.Fatalf("checkComponent(%q) = %q, want no problem", tt.in, got.msg)
				}
				return
			}
			if got == nil {
				t.Fatalf("checkComponent(%q) = nil, want %q", tt.in, tt.wantMsg)
			}
			if !strings.Contains(got.msg, tt.wantMsg) || got.warn != tt.warn {
				t.Errorf("checkComponent(%q) = {%q warn=%v}, want message containing %q warn=%v", tt.in, got.msg, got.warn, tt.wantMsg, tt.warn)
			}
		})
	}
}

func TestDecodeComponent(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"Dell%20Inc.", "Dell Inc."},
		{"fc00%3a%3A1", "fc00::1"},
		{"%2B", "+"},
		{"%", "%"},
		{"a%2", "a%2"},
		{"%zz", "%zz"},
		{"%E2%82%AC", "€"},
	}
	for _, tt := range tests {
		if got := decodeComponent(tt.in); got != tt.want {
			t.Errorf("decodeComponent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEncodedByPathEscapeIsChecked documents why the validator is stricter
// than url.PathEscape: PathEscape keeps ':' (MAC and IPv6 separators) raw,
// which HMRC's examples encode, while QueryEscape turns spaces into '+'.
func TestEncodedByPathEscapeIsChecked(t *testing.T) {
	t.Parallel()
	if p := checkComponent(url.PathEscape("ea:43:1a:5d:21:45")); p == nil || p.warn {
		t.Errorf("PathEscape output with raw ':' must be an error, got %+v", p)
	}
	if p := checkComponent(url.QueryEscape("Dell Inc.")); p == nil || p.warn {
		t.Errorf("QueryEscape output with '+' must be an error, got %+v", p)
	}
	// The correct encoding of every byte value must always pass and round-trip.
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	enc := strictEscape(all.String())
	if p := checkComponent(enc); p != nil {
		t.Fatalf("strictly escaped value rejected: %q", p.msg)
	}
	if dec := decodeComponent(enc); dec != all.String() {
		t.Errorf("round trip lost data")
	}
}

// strictEscape percent-encodes every byte outside RFC 3986's unreserved set,
// which is what the specification asks of a sender.
func strictEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func TestParseKeyValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []pair
		wantErr string
	}{
		{in: "a=1&b=2", want: []pair{{"a", "1"}, {"b", "2"}}},
		{in: "a=&b=2", want: []pair{{"a", ""}, {"b", "2"}}},
		{in: "my%20key=my%20value", want: []pair{{"my key", "my value"}}},
		{in: "", wantErr: "must not be empty"},
		{in: "a", wantErr: "key-value structure"},
		{in: "=1", wantErr: "Keys must not be empty"},
		{in: "a=1&&b=2", wantErr: "stray '&'"},
		{in: "a=1&", wantErr: "stray '&'"},
		{in: "a=1&a=2", wantErr: "Keys must not repeat"},
		{in: "a%3D=1&a%3d=2", wantErr: "Keys must not repeat"},
		{in: "a=1=2", wantErr: "%3D"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			r := &report{}
			got, ok := parseKeyValues(tt.in, "", r)
			if tt.wantErr != "" {
				if ok || len(r.findings) == 0 || !strings.Contains(r.findings[0].msg, tt.wantErr) {
					t.Fatalf("parseKeyValues(%q) ok=%v findings=%+v, want error containing %q", tt.in, ok, r.findings, tt.wantErr)
				}
				return
			}
			if !ok || len(r.findings) != 0 {
				t.Fatalf("parseKeyValues(%q) ok=%v findings=%+v", tt.in, ok, r.findings)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("pair %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
