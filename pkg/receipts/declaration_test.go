package receipts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The declaration made is kept with the intent, and a journal written before the field existed
// still reads, with no declaration recorded.
func TestDeclarationIsRecordedAndOldRecordsStillRead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "receipts")
	j := openT(t, dir)
	in := sampleIntent(NewID(), "123456789", "26C3")
	in.Declaration = DeclarationAgent
	if err := j.BeginIntent(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	old := sampleIntent(NewID(), "123456789", "26C4")
	if err := j.BeginIntent(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"declaration":"agent"`); n != 1 {
		t.Fatalf("the journal holds %d agent declarations, want 1:\n%s", n, b)
	}
	e, err := openT(t, dir).Get(t.Context(), in.ID)
	if err != nil || e.Intent.Declaration != DeclarationAgent {
		t.Fatalf("Get = %+v, %v", e, err)
	}
	e, err = openT(t, dir).Get(t.Context(), old.ID)
	if err != nil || e.Intent.Declaration != "" {
		t.Fatalf("a record without a declaration read as %+v, %v", e, err)
	}
}
