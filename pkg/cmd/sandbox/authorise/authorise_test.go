package authorise

import (
	"io"
	"reflect"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestAuthoriseFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *AuthoriseOptions
	cmd := NewCmdAuthorise(cmdutil.NewFactory(ios), func(o *AuthoriseOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"--agent", "123456789012", "123456782", "987654353"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	got.IO, got.Factory = nil, nil
	want := AuthoriseOptions{Agent: "123456789012", VRNs: []string{"123456782", "987654353"}}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("opts = %+v, want %+v", *got, want)
	}
	cmd.SetArgs([]string{"--agent", "1"})
	if err := cmd.Execute(); err == nil {
		t.Error("no VRN was accepted")
	}
}
