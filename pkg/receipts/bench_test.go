package receipts

import (
	"fmt"
	"testing"
)

// BenchmarkBeginIntent measures one durable intent: lock, catch up, append, fsync file and directory.
func BenchmarkBeginIntent(b *testing.B) {
	j, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if err := j.BeginIntent(b.Context(), sampleIntent(fmt.Sprint(i), "123456789", fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkOpenList1k measures a cold start over a journal of 1,000 receipted submissions
// (a busy agent's decade), which every CLI run that touches receipts pays once.
func BenchmarkOpenList1k(b *testing.B) {
	dir := b.TempDir()
	j, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := appendMany(b.Context(), j, "123456789", 1000); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		j, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		list, err := j.List(b.Context())
		if err != nil || len(list) != 1000 {
			b.Fatalf("List: %d, %v", len(list), err)
		}
	}
}
