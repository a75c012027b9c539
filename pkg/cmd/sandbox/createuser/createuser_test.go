package createuser

import (
	"io"
	"reflect"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestCreateUserFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want CreateUserOptions
	}{
		{nil, CreateUserOptions{Kind: "organisation", Services: []string{"mtd-vat"}}},
		{[]string{"--type", "individual"}, CreateUserOptions{Kind: "individual", Services: []string{"mtd-vat"}}},
		{[]string{"--type", "agent"}, CreateUserOptions{Kind: "agent", Services: []string{"agent-services"}}},
		{[]string{"--type", "agent", "--services", "agent-services,mtd-vat", "--save"},
			CreateUserOptions{Kind: "agent", Services: []string{"agent-services", "mtd-vat"}, Save: true}},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *CreateUserOptions
		cmd := NewCmdCreateUser(cmdutil.NewFactory(ios), func(o *CreateUserOptions) error { got = o; return nil })
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		got.IO, got.Factory = nil, nil
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%v: opts = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}
