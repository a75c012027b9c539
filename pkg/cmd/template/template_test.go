package template

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestTemplateArgs(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var got *TemplateOptions
	cmd := NewCmdTemplate(cmdutil.NewFactory(ios), func(o *TemplateOptions) error { got = o; return nil })
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"q4.xlsx", "--force"})
	if err := cmd.Execute(); err != nil || got.Path != "q4.xlsx" || !got.Force {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	cmd.SetArgs(nil)
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("no FILE: %v, want a usage error", err)
	}
	cmd.SetArgs([]string{"q4.xlsx", "--period-start", "2026-07-01"})
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--period-end") {
		t.Errorf("--period-start alone: %v, want a usage error naming --period-end", err)
	}
}

// An existing file is kept unless --force says otherwise.
func TestTemplateKeepsAnExistingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := templateRun(context.Background(), &TemplateOptions{Path: path, Status: func(string, ...any) {}})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--force") {
		t.Errorf("err = %v, want a usage error naming --force", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Errorf("the file was overwritten")
	}
}
