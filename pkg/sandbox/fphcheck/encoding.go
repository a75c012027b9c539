package fphcheck

import (
	"fmt"
	"strings"
)

// The spec's structured values are built from percent-encoded components
// (RFC 3986 §2.1) joined by separators that are never encoded: "," between
// list items, "&" between key-value pairs, "=" between a key and its value.
// Everything here works on one component at a time so each header rule can
// reuse it, and reports at most one problem per component so the size of a
// report never grows with the size of the input.

// componentProblem describes why a component is not correctly percent-encoded.
// warn is true when the character is legal in RFC 3986 but should still have
// been encoded, i.e. HMRC may or may not accept it.
type componentProblem struct {
	msg  string
	warn bool
}

// checkComponent reports the first encoding problem in s, or nil.
//
// Only RFC 3986 "unreserved" characters may appear raw: anything else is data
// that the sender was required to percent-encode. Spaces and '+' get their
// own messages because url.QueryEscape's "+" for a space is the classic
// mistake and HMRC wants %20. The sub-delimiters that encodeURIComponent-style
// encoders leave alone are graded as a warning because HMRC's tolerance of
// them is not documented; the separators "=", "&" and "," are errors because
// they make the structure ambiguous.
func checkComponent(s string) *componentProblem {
	var warning *componentProblem
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUnreserved(c):
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return &componentProblem{msg: "Invalid percent-encoding: '%' must be followed by two hexadecimal digits"}
			}
			i += 2
		case c == ' ':
			return &componentProblem{msg: "Value must be percent-encoded: a space must be sent as %20"}
		case c == '+':
			return &componentProblem{msg: "Value must be percent-encoded: '+' is ambiguous, send a space as %20 and a plus sign as %2B"}
		case c >= 0x80:
			return &componentProblem{msg: "Value must be US-ASCII: other characters must be percent-encoded as UTF-8 bytes"}
		case c < 0x20 || c == 0x7f:
			return &componentProblem{msg: "Value must not contain control characters"}
		case strings.IndexByte("!$'()*;", c) >= 0:
			if warning == nil {
				warning = &componentProblem{
					msg:  fmt.Sprintf("Value should be percent-encoded: %q should be sent as %%%02X", c, c),
					warn: true,
				}
			}
		default:
			return &componentProblem{msg: fmt.Sprintf("Value must be percent-encoded: %q must be sent as %%%02X", c, c)}
		}
	}
	return warning
}

// decodeComponent percent-decodes a component that checkComponent accepted
// (or that carries only a warning). Malformed escapes are copied through
// unchanged, so it never fails; callers check first.
func decodeComponent(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// pair is one decoded key-value pair.
type pair struct {
	key, value string
}

// parseList splits a list header into its raw (still encoded) items. An empty
// item is an error because the spec says list values must not be empty, and
// it usually means a trailing comma or an unfiltered empty value.
func parseList(v string, r *report) ([]string, bool) {
	items := strings.Split(v, ",")
	for i, it := range items {
		if it == "" {
			r.errorf(CodeInvalidHeader, "List values must not be empty (item %d is empty)", i+1)
			return nil, false
		}
	}
	return items, true
}

// parseKeyValues decodes one key-value structure. what names the structure in
// messages ("" for the whole header, "Structure 2" inside a list). It reports
// structural and encoding errors and returns ok=false if the structure cannot
// be trusted; encoding warnings are reported but do not fail the parse.
func parseKeyValues(s, what string, r *report) ([]pair, bool) {
	prefix := ""
	if what != "" {
		prefix = what + ": "
	}
	if s == "" {
		r.errorf(CodeInvalidHeader, "%sKey-value structure must not be empty", prefix)
		return nil, false
	}
	raw := strings.Split(s, "&")
	pairs := make([]pair, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for _, p := range raw {
		k, v, found := strings.Cut(p, "=")
		if !found {
			if p == "" {
				r.errorf(CodeInvalidHeader, "%sKey-value pairs must not be empty (check for a stray '&')", prefix)
			} else {
				r.errorf(CodeInvalidHeader, "%sMust be a key-value structure: key1=value1&key2=value2", prefix)
			}
			return nil, false
		}
		if k == "" {
			r.errorf(CodeInvalidHeader, "%sKeys must not be empty", prefix)
			return nil, false
		}
		for _, comp := range []string{k, v} {
			if prob := checkComponent(comp); prob != nil {
				if !prob.warn {
					r.errorf(CodeInvalidHeader, "%s%s", prefix, prob.msg)
					return nil, false
				}
				r.warnf(CodePotentiallyInvalidHeader, "%s%s", prefix, prob.msg)
			}
		}
		dk := decodeComponent(k)
		if seen[dk] {
			r.errorf(CodeInvalidHeader, "%sKeys must not repeat", prefix)
			return nil, false
		}
		seen[dk] = true
		pairs = append(pairs, pair{key: dk, value: decodeComponent(v)})
	}
	return pairs, true
}

// lookup returns the value for key and whether the key was present.
func lookup(pairs []pair, key string) (string, bool) {
	for _, p := range pairs {
		if p.key == key {
			return p.value, true
		}
	}
	return "", false
}
