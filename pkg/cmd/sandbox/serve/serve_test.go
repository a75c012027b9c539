package serve

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestServeFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *ServeOptions
	cmd := NewCmdServe(cmdutil.NewFactory(ios), func(o *ServeOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0", "--state", "st", "--rate-limit", "0", "--canned", "--quiet",
		"--fault", "submit=503", "--fault", "*=slow:2s", "--client", "id:secret:http://localhost:9/cb"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := ServeOptions{Addr: "127.0.0.1:0", StateDir: "st", RateLimit: 0, Canned: true, Quiet: true,
		Faults: []string{"submit=503", "*=slow:2s"}, Clients: []string{"id:secret:http://localhost:9/cb"}}
	got.IO, got.Now, got.Output, got.JSONOutput = nil, nil, nil, nil
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("opts = %+v, want %+v", *got, want)
	}
}

// Bad specifications are usage errors found before anything listens.
func TestServeUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		opts ServeOptions
		want string
	}{
		{ServeOptions{Faults: []string{"nonsense"}}, `--fault "nonsense"`},
		{ServeOptions{Clients: []string{"only-an-id"}}, `--client "only-an-id"`},
		{ServeOptions{RateLimit: -1}, "--rate-limit must be 0"},
	} {
		opts := tt.opts
		opts.Addr = "127.0.0.1:0"
		err := serveRun(context.Background(), &opts)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want a usage error naming %q", tt.opts, err, tt.want)
		}
	}
}
