package logout

import (
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestLogoutFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args    []string
		forget  bool
		wantErr bool
	}{
		{nil, false, false},
		{[]string{"--forget-secret"}, true, false},
		{[]string{"default"}, false, true},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *LogoutOptions
		cmd := NewCmdLogout(cmdutil.NewFactory(ios), func(o *LogoutOptions) error { got = o; return nil })
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(tt.args)
		err := cmd.Execute()
		if tt.wantErr {
			if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
				t.Errorf("%v: %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got.ForgetSecret != tt.forget {
			t.Errorf("%v: err = %v, opts = %+v", tt.args, err, got)
		}
	}
}
