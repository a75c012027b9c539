package root

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A CSV's header row names its columns as a program would: camelCase, as the JSON names its
// fields (periodKey, formBundleNumber), never "HEADER" or "Form bundle". The goldens are the
// commands' real output (their own tests compare them), so every command with rows is covered.
func TestCSVHeadersAreCamelCase(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CSV goldens: %v", err)
	}
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head := strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "\uFEFF")
		if strings.HasPrefix(head, "exit ") {
			continue // a usage error: the command lists no rows
		}
		for _, name := range strings.Split(head, ",") {
			if !camel.MatchString(name) {
				t.Errorf("%s: CSV column %q is not camelCase (header row %q)", filepath.Base(f), name, head)
			}
		}
	}
}

// Tables are for people: their headers are in Title case ("Header", "Form bundle") in every
// command, never in capitals.
func TestTableHeadersAreNotInCapitals(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no text goldens: %v", err)
	}
	capitals := regexp.MustCompile(`^[A-Z]{2,}$`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Fields(strings.ReplaceAll(line, "│", " "))
			shouting := len(fields) >= 3
			for _, w := range fields {
				shouting = shouting && capitals.MatchString(w)
			}
			if shouting {
				t.Errorf("%s: a table header in capitals: %q", filepath.Base(f), line)
			}
		}
	}
}
