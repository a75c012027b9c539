package fraud

import "strings"

// Encode percent-encodes s as HMRC's specification requires (RFC 3986 §2.1): the unreserved
// characters A-Z a-z 0-9 - . _ ~ stay, every other byte of the UTF-8 form becomes %XX in upper-case
// hex. Unlike [net/url.QueryEscape] a space becomes %20, never '+', which HMRC rejects.
func Encode(s string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0f])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// Pair is one key=value entry of a key-value header such as Gov-Vendor-Version. Order is kept so
// that the header is reproducible.
type Pair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// encodeList joins already-encoded items with unencoded commas, dropping empty items because the
// specification forbids empty list values.
func encodeList(items []string) string {
	var b strings.Builder
	for _, it := range items {
		if it == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(it)
	}
	return b.String()
}

// encodePairs writes key=value&key=value with keys and values encoded and the separators not.
// A pair with an empty key carries nothing identifiable and is dropped.
func encodePairs(pairs []Pair) string {
	var b strings.Builder
	for _, p := range pairs {
		if p.Key == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(Encode(p.Key))
		b.WriteByte('=')
		b.WriteString(Encode(p.Value))
	}
	return b.String()
}
