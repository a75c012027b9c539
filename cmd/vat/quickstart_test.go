package main

import (
	"os"
	"strings"
	"testing"
)

// TestQuickStartIsTheREADMEs keeps testdata/script/quickstart.txtar running the README's quick
// start word for word: each command of the README's emulator block must appear in the script, in
// order, as the script spells a shell line ('~' is $HOME, a trailing '&' a background exec, an
// export one env line per variable, any other command one run on the person's terminal).
func TestQuickStartIsTheREADMEs(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("../../testdata/script/quickstart.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "### Against the emulator")
	if ok {
		_, block, ok = strings.Cut(block, "```sh\n")
	}
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		t.Fatal("README.md has no sh block under '### Against the emulator'")
	}
	var want []string
	for _, line := range strings.Split(block, "\n") {
		cmd, _, _ := strings.Cut(line, "#")
		cmd = strings.ReplaceAll(strings.TrimSpace(cmd), "~", "$HOME")
		switch {
		case cmd == "":
		case strings.HasSuffix(cmd, "&"):
			want = append(want, "exec "+strings.TrimSpace(strings.TrimSuffix(cmd, "&"))+" &")
		case strings.HasPrefix(cmd, "export "):
			for _, kv := range strings.Fields(strings.TrimPrefix(cmd, "export ")) {
				want = append(want, "env "+kv)
			}
		default:
			want = append(want, "terminal "+cmd)
		}
	}
	if len(want) < 5 {
		t.Fatalf("the README's quick start has only %d commands: %q", len(want), want)
	}
	var lines []string
	for _, l := range strings.Split(string(script), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	i := 0
	for _, l := range lines {
		if i < len(want) && strings.HasPrefix(l, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("quickstart.txtar does not run the README's %q (commands in order: %q)", want[i], want)
	}
}
