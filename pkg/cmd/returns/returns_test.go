package returns

import (
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestReturnsArgs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args    []string
		wantKey string
		wantErr bool
	}{
		{nil, "", false},
		{[]string{"24A3"}, "24A3", false},
		{[]string{"24a3"}, "24A3", false},
		{[]string{"24A3", "24A4"}, "", true},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *ReturnsOptions
		cmd := NewCmdReturns(cmdutil.NewFactory(ios), func(o *ReturnsOptions) error { got = o; return nil })
		// A nil slice would make cobra read the test binary's own arguments.
		cmd.SetArgs(append([]string{}, tt.args...))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if tt.wantErr {
			if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got.PeriodKey != tt.wantKey {
			t.Errorf("%v: err = %v, period key %q, want %q", tt.args, err, got.PeriodKey, tt.wantKey)
		}
	}
}
