package edit

import (
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// Only the flags given are marked changed, so that an empty value can clear a field.
func TestEditFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *EditOptions
	cmd := NewCmdEdit(cmdutil.NewFactory(ios), func(o *EditOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"Acme Ltd", "--map", "", "--name", "Acme plc"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Acme Ltd" || got.Set.Name != "Acme plc" || got.Set.Map != "" {
		t.Errorf("opts = %+v", got)
	}
	want := map[string]bool{"name": true, "vrn": false, "workbook": false, "map": true, "method": false}
	for k, v := range want {
		if got.Changed[k] != v {
			t.Errorf("changed[%s] = %v", k, got.Changed[k])
		}
	}
}
