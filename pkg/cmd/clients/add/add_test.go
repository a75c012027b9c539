package add

import (
	"io"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestAddFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *AddOptions
	cmd := NewCmdAdd(cmdutil.NewFactory(ios), func(o *AddOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"Acme Ltd", "--vrn", "123456782", "--workbook", "~/a/{period-key}.xlsx", "--map", "a.map", "--method", "OTHER_DIRECT"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := config.Client{Name: "Acme Ltd", VRN: "123456782", Workbook: "~/a/{period-key}.xlsx", Map: "a.map", Method: "OTHER_DIRECT"}
	if got.Client != want {
		t.Errorf("client = %+v, want %+v", got.Client, want)
	}
	cmd.SetArgs([]string{})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("no name: %v", err)
	}
}
