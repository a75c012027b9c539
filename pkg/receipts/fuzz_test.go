package receipts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenDamagedJournal feeds arbitrary bytes as a journal: reading must never panic, and must
// fail only for a record from a newer schema. Whatever it reads, appending must still work.
func FuzzOpenDamagedJournal(f *testing.F) {
	good, err := (&record{V: 1, Type: recIntent, At: t0, IntentID: "i1", Intent: toWireIntent(sampleIntent("i1", "123456789", "26C3"))}).encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(append(append([]byte{}, good...), good[:40]...))
	f.Add([]byte("{\"v\":1,\"type\":\"receipt\",\"intentId\":\"x\",\"receipt\":{\"intentId\":\"x\",\"outcome\":\"accepted\"}}\n"))
	f.Add([]byte("{\"v\":1,\"type\":\"cleared\",\"intentId\":\"x\"}\n{\"v\":1,\"type\":\"unknown\",\"intentId\":\"x\"}\n"))
	f.Add([]byte("\n\n\x00{}\n[1,2]\n\"s\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, JournalFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := Open(dir)
		if errors.Is(err, ErrNewerSchema) {
			return
		}
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if _, err := j.List(t.Context()); err != nil {
			t.Fatalf("List: %v", err)
		}
		if _, err := j.OpenIntents(t.Context(), ""); err != nil {
			t.Fatalf("OpenIntents: %v", err)
		}
		in := sampleIntent(NewID(), "fuzz", "FUZZ")
		if err := j.BeginIntent(t.Context(), in); err != nil {
			t.Fatalf("BeginIntent after reading: %v", err)
		}
		if e, err := openT(t, dir).Get(t.Context(), in.ID); err != nil || e.Intent.VRN != "fuzz" {
			t.Fatalf("the appended intent did not survive: %+v, %v", e, err)
		}
	})
}
