// Command gen-docs writes shell completions and man pages for the release archives.
//
// Usage: go run ./scripts/gen-docs DIR
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra/doc"

	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen-docs DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-docs:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	ios, _, _, _ := iostreams.Test()
	cmd := root.NewCmdRoot(cmdutil.NewFactory(ios))
	cmd.DisableAutoGenTag = true

	comp := filepath.Join(dir, "completions")
	man := filepath.Join(dir, "manpages")
	for _, d := range []string{comp, man} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	gens := map[string]func(io.Writer) error{
		"vat.bash": func(w io.Writer) error { return cmd.GenBashCompletionV2(w, true) },
		"vat.zsh":  cmd.GenZshCompletion,
		"vat.fish": func(w io.Writer) error { return cmd.GenFishCompletion(w, true) },
		"vat.ps1":  cmd.GenPowerShellCompletionWithDesc,
	}
	for name, gen := range gens {
		if err := writeFile(filepath.Join(comp, name), gen); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "vat-man")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := doc.GenManTree(cmd, &doc.GenManHeader{Title: "VAT", Section: "1", Source: "vat"}, tmp); err != nil {
		return err
	}
	pages, _ := filepath.Glob(filepath.Join(tmp, "*.1"))
	for _, p := range pages {
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// Man pages ship gzipped, as distributions install them.
		err = writeFile(filepath.Join(man, filepath.Base(p)+".gz"), func(w io.Writer) error {
			zw := gzip.NewWriter(w)
			if _, err := zw.Write(src); err != nil {
				return err
			}
			return zw.Close()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, gen func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := gen(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
