package xlsxlite

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestXMLScanner(t *testing.T) {
	t.Parallel()
	in := `<?xml version="1.0"?><!-- c --><!DOCTYPE x><a:root x="1" y='>"'><b q="a&amp;b"/>t&lt;1&#65;&#x42;&bogus;<![CDATA[<raw>&amp;]]></a:root>`
	s := newXMLScanner(strings.NewReader(in), 1<<10)
	var got []string
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch s.kind {
		case tokStart:
			got = append(got, "<"+string(s.name)+" x="+s.attrString("x")+" y="+s.attrString("y")+" q="+s.attrString("q"))
		case tokEnd:
			got = append(got, "</"+string(s.name))
		case tokText:
			got = append(got, "text:"+s.textString())
		}
	}
	want := []string{`<root x=1 y=>" q=`, `<b x= y= q=a&b`, `text:t<1AB&bogus;`, `text:<raw>&amp;`, `</root`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("tokens\n%q\nwant\n%q", got, want)
	}
	// A DOCTYPE with an internal subset could declare entity bombs; it is refused.
	s = newXMLScanner(strings.NewReader(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`), 1<<10)
	if err := s.next(); err == nil || !strings.Contains(err.Error(), "DOCTYPE") {
		t.Fatalf("internal subset: %v", err)
	}
	// One token beyond the bound fails rather than growing without limit.
	s = newXMLScanner(strings.NewReader("<a>"+strings.Repeat("x", 200<<10)+"</a>"), 1<<10)
	var err error
	for err == nil {
		err = s.next()
	}
	if !errors.Is(err, errTokenTooLong) {
		t.Fatalf("long token: %v", err)
	}
}

func FuzzXMLScanner(f *testing.F) {
	for _, s := range []string{`<a b="c">d</a>`, `<![CDATA[x]]>`, `<!-- x -->`, `<a b='">'/>`, `<?x?>`, `&#x110000;`, `<a:b c:d="e">`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := newXMLScanner(strings.NewReader(in), 1<<12)
		for i := 0; i < len(in)+2; i++ {
			if err := s.next(); err != nil {
				return
			}
			_ = s.attrString("r")
			_ = s.textString()
			if s.kind == tokStart && string(s.name) == "si" {
				_, _ = s.collectText()
			}
		}
		t.Fatalf("scanner produced more tokens than input bytes")
	})
}
