package login

import (
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestLoginFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		wantErr  bool
		wantOpts LoginOptions
	}{
		{[]string{}, false, LoginOptions{}},
		{[]string{"--no-browser"}, false, LoginOptions{NoBrowser: true}},
		{[]string{"--port", "53683"}, false, LoginOptions{Port: 53683}},
		{[]string{"--save-secret"}, false, LoginOptions{SaveSecret: true}},
		{[]string{"--port", "70000"}, true, LoginOptions{}},
		{[]string{"--no-browser", "--port", "53683"}, true, LoginOptions{}},
		{[]string{"extra"}, true, LoginOptions{}},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *LoginOptions
		cmd := NewCmdLogin(cmdutil.NewFactory(ios), func(o *LoginOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(&strings.Builder{})
		cmd.SetErr(&strings.Builder{})
		err := cmd.Execute()
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err = %v, wantErr %v", tt.args, err, tt.wantErr)
			continue
		}
		if err == nil && (got.NoBrowser != tt.wantOpts.NoBrowser || got.Port != tt.wantOpts.Port || got.SaveSecret != tt.wantOpts.SaveSecret) {
			t.Errorf("%v: opts = %+v", tt.args, *got)
		}
		if err != nil && cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d, want usage", tt.args, cmdutil.ExitCode(err))
		}
	}
}
