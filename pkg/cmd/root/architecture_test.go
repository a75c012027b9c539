package root

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/vatbridge/vat"

// TestDependenciesPointOneWay keeps the layers apart: domain packages never reach up into the
// command layer, and the filing workflow knows nothing of cobra.
func TestDependenciesPointOneWay(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Deps", module+"/pkg/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.ImportPath, module+"/pkg/") {
			continue
		}
		seen++
		upper := strings.HasPrefix(p.ImportPath, module+"/pkg/cmd")
		for _, d := range p.Deps {
			if !upper && strings.HasPrefix(d, module+"/pkg/cmd") {
				t.Errorf("%s (a domain package) depends on %s", p.ImportPath, d)
			}
			if p.ImportPath == module+"/pkg/filing" && strings.HasPrefix(d, "github.com/spf13/") {
				t.Errorf("pkg/filing depends on %s: the workflow must not know the command line", d)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("go list reported only %d packages", seen)
	}
}

// TestOneCommandPerPackage: each package under pkg/cmd builds exactly one command.
func TestOneCommandPerPackage(t *testing.T) {
	t.Parallel()
	count := map[string]int{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		dir := filepath.Dir(path)
		// pkg/cmd/internal holds test helpers shared by the command packages, not commands.
		if filepath.Base(dir) == "root" || strings.Contains(dir, "testdata") || filepath.Base(filepath.Dir(dir)) == "internal" {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if _, ok := count[dir]; !ok {
			count[dir] = 0
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "NewCmd") {
				count[dir]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(count) < 15 {
		t.Fatalf("found only %d command packages", len(count))
	}
	for dir, n := range count {
		if n != 1 {
			t.Errorf("%s builds %d commands, want 1", dir, n)
		}
	}
}
