package receipts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vatbridge/vat/pkg/internal/fulldisk"
)

func acceptedReceipt(id string) Receipt {
	return Receipt{IntentID: id, ProcessingDate: t0, FormBundleNumber: "256660290587", PaymentIndicator: "BANK",
		ChargeRefNumber: "aCxFaNJHJW9gthKj", ReceiptID: "2f1b9a6e-8c0d-4a5e-9f3b-1c2d3e4f5a6b",
		ReceiptTimestamp: "2026-11-24T09:30:01.000Z", CorrelationID: "c0ffee00-0000-4000-8000-000000000001", Outcome: OutcomeAccepted}
}

// leaveLittleRoom pads the journal with blank lines (skipped as damaged by readers) so that its
// last 4 KiB page has under 100 bytes free: a receipt then needs a new page, which a full disk
// cannot give, rather than fitting in the page's slack.
func leaveLittleRoom(t *testing.T, j *Journal) {
	t.Helper()
	p := filepath.Join(j.Dir(), JournalFile)
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	pad := (4096 - st.Size()%4096 - 100 + 4096) % 4096
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(bytes.Repeat([]byte{'\n'}, int(pad))); err != nil {
		t.Fatal(err)
	}
}

// The disk fills between BeginIntent and HMRC's 201: the receipt still lands in the journal,
// whole, in the space BeginIntent reserved.
func TestReceiptRecordedOnFullDisk(t *testing.T) {
	dir := fulldisk.Mount(t, 128)
	j := openT(t, filepath.Join(dir, "journal"))
	t.Cleanup(func() { j.Close() }) // its intent locks keep files open, which would block the unmount
	in := sampleIntent(NewID(), "123456782", "26A3")
	if err := j.BeginIntent(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	leaveLittleRoom(t, j)
	fulldisk.Fill(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "probe"), make([]byte, 1024), 0o600); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("the disk is not full: %v", err)
	}
	r := acceptedReceipt(in.ID)
	if err := j.RecordReceipt(t.Context(), r); err != nil {
		t.Fatalf("RecordReceipt on a full disk: %v", err)
	}
	// A fresh reader (the next run) finds the whole receipt.
	e, err := openT(t, j.Dir()).Get(t.Context(), in.ID)
	if err != nil || e.State != StateReceipted || e.Receipt.FormBundleNumber != r.FormBundleNumber || e.Receipt.ReceiptID != r.ReceiptID {
		t.Fatalf("entry after reopening = %+v, %v", e, err)
	}
	if _, err := os.Stat(j.reservePath(in.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("reservation left behind: %v", err)
	}
}

// Without space even for the intent's reservation, BeginIntent fails before anything is sent.
func TestBeginIntentRefusedOnFullDisk(t *testing.T) {
	dir := fulldisk.Mount(t, 128)
	j := openT(t, filepath.Join(dir, "journal"))
	t.Cleanup(func() { j.Close() }) // its intent locks keep files open, which would block the unmount
	fulldisk.Fill(t, dir)
	err := j.BeginIntent(t.Context(), sampleIntent(NewID(), "123456782", "26A3"))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("BeginIntent on a full disk = %v, want ENOSPC", err)
	}
	if open, _ := j.OpenIntents(t.Context(), ""); len(open) != 0 {
		t.Errorf("an intent was recorded: %v", open)
	}
}

// When even the reserved space is gone, the error carries the whole receipt as a journal line
// that, once space is freed and the line appended, records the receipt.
func TestUnrecordedReceiptCarriesTheWholeReceipt(t *testing.T) {
	dir := fulldisk.Mount(t, 128)
	j := openT(t, filepath.Join(dir, "journal"))
	t.Cleanup(func() { j.Close() }) // its intent locks keep files open, which would block the unmount
	in := sampleIntent(NewID(), "123456782", "26A3")
	if err := j.BeginIntent(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	os.Remove(j.reservePath(in.ID)) // as if the space had been taken by something else
	leaveLittleRoom(t, j)
	filler := fulldisk.Fill(t, dir)
	r := acceptedReceipt(in.ID)
	err := j.RecordReceipt(t.Context(), r)
	var ue *UnrecordedReceiptError
	if !errors.As(err, &ue) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want an *UnrecordedReceiptError for ENOSPC", err)
	}
	line := ue.JSON()
	for _, want := range []string{r.FormBundleNumber, r.ReceiptID, r.ChargeRefNumber, r.CorrelationID, in.ID} {
		if !bytes.Contains(line, []byte(want)) {
			t.Errorf("receipt JSON lacks %s: %s", want, line)
		}
	}
	if ue.Journal != filepath.Join(j.Dir(), JournalFile) || !strings.Contains(err.Error(), r.FormBundleNumber) {
		t.Errorf("error = %q, journal %q", err, ue.Journal)
	}
	os.Remove(filler)
	f, err := os.OpenFile(ue.Journal, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(append([]byte("\n"), line...)) // ends any fragment of the failed write
	f.Close()
	e, err := openT(t, j.Dir()).Get(t.Context(), in.ID)
	if err != nil || e.State != StateReceipted || e.Receipt.FormBundleNumber != r.FormBundleNumber {
		t.Fatalf("after appending the printed line: %+v, %v", e, err)
	}
}
