package cmdutil

import (
	"errors"
	"net/http"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/batch"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestBatchExit(t *testing.T) {
	t.Parallel()
	unavailable := &hmrc.APIError{StatusCode: http.StatusServiceUnavailable, Code: "SERVICE_UNAVAILABLE"}
	rejected := &hmrc.APIError{StatusCode: http.StatusBadRequest, Code: "INVALID_REQUEST"}
	for _, tt := range []struct {
		worst batch.Outcome
		errs  []error
		want  int
	}{
		{batch.Filed, nil, ExitOK},
		{batch.NothingDue, nil, ExitOK},
		{batch.Ready, nil, ExitOK},
		{batch.WorkbookMissing, []error{errors.New("x")}, ExitInvalidData},
		{batch.InvalidWorkbook, []error{errors.New("x")}, ExitInvalidData},
		{batch.NotAuthorised, []error{errors.New("x")}, ExitAuth},
		{batch.HMRCError, []error{unavailable}, ExitUnavailable},
		{batch.HMRCError, []error{unavailable, rejected}, ExitRejected},
		{batch.HMRCError, []error{errors.New("odd")}, ExitFailure},
		{batch.OutcomeUnknown, []error{hmrc.ErrOutcomeUnknown}, ExitUnknown},
	} {
		if got := BatchExit(tt.worst, tt.errs); got != tt.want {
			t.Errorf("BatchExit(%s, %v) = %d, want %d", tt.worst, tt.errs, got, tt.want)
		}
	}
}

func TestClientFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := &config.File{Profiles: map[string]config.Profile{}}
	p := config.Profile{Rate: 2}
	for _, c := range []config.Client{{Name: "Acme", VRN: "123456782"}, {Name: "Bloggs", VRN: "987654353", Method: "OTHER_DIRECT"}} {
		if err := p.AddClient(c); err != nil {
			t.Fatal(err)
		}
	}
	file.Profiles["default"] = p
	if err := file.Save(dir); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) ([]config.Client, *Factory, error) {
		ios, _, _, _ := iostreams.Test()
		f := NewFactory(ios)
		f.Getenv = func(k string) string { return map[string]string{"VAT_CONFIG_DIR": dir}[k] }
		var cf ClientFlags
		var got []config.Client
		var err error
		cmd := &cobra.Command{Use: "x", RunE: func(cmd *cobra.Command, _ []string) error {
			got, err = cf.Clients(f)
			return nil
		}}
		cf.Add(cmd)
		cmd.SetArgs(args)
		if e := cmd.Execute(); e != nil {
			t.Fatal(e)
		}
		return got, f, err
	}
	if cs, f, err := run("--all-clients"); err != nil || len(cs) != 2 || f.rateLimit != 2 || cs[1].Method != "OTHER_DIRECT" {
		t.Errorf("all: %v %v rate %v (want the profile's 2)", cs, err, f.rateLimit)
	}
	if cs, f, err := run("--all-clients", "--clients", "bloggs,Acme,bloggs", "--rate", "50", "--method", "batch_process_direct"); err != nil ||
		len(cs) != 2 || cs[0].Name != "Bloggs" || cs[0].Method != "" || f.rateLimit != 50 || f.methodOverride != "BATCH_PROCESS_DIRECT" {
		t.Errorf("some: %v %v rate %v method %q", cs, err, f.rateLimit, f.methodOverride)
	}
	for _, args := range [][]string{
		{"--clients", "Acme"},                    // without --all-clients
		{"--all-clients", "--clients", "Nobody"}, // unknown name
		{"--all-clients", "--rate", "0"},
		{"--all-clients", "--method", "FAX"},
	} {
		if _, _, err := run(args...); err == nil || ExitCode(err) != ExitUsage {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// The progress bar is drawn on a terminal's stderr and nowhere else.
func TestProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetStderrTTY(tty)
		f := NewFactory(ios)
		p := f.NewProgress(t.Context(), "filing", 3)
		for _, n := range []string{"a", "b", "c"} {
			p.Done(n)
		}
		p.Wait()
		// mpb draws on its own clock, so a test cannot wait for a frame; it can see whether
		// a bar was made at all, and that nothing reached a stderr that is not a terminal.
		if (p.bar != nil) != tty || !tty && errOut.Len() > 0 {
			t.Errorf("tty=%v: bar %v, stderr %q", tty, p.bar != nil, errOut.String())
		}
	}
}
