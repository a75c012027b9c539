package receipts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

var t0 = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

// stepClock returns a clock that advances one second per call, so every record has its own time.
func stepClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return t0.Add(time.Duration(n.Add(1)) * time.Second) }
}

func openT(t *testing.T, dir string) *Journal {
	t.Helper()
	j, err := Open(dir, WithClock(stepClock()))
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return j
}

func sampleIntent(id, vrn, pk string) Intent {
	r := vatreturn.Return{
		VATDueSales: 10512, VATDueAcquisitions: 0, TotalVATDue: 10512, VATReclaimedCurrPeriod: 2500,
		NetVATDue: 8012, TotalValueSalesExVAT: 52500, TotalValuePurchasesExVAT: 12500,
	}
	return Intent{
		ID: id, VRN: vrn, PeriodKey: pk,
		PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", PeriodDue: "2026-11-07",
		Return: r,
		Evidence: Evidence{
			WorkbookPath:   "/home/a/books/Q3 2026.xlsx",
			WorkbookSHA256: strings.Repeat("ab", 32),
			Cells: []CellEvidence{
				{Box: 1, Name: "Box1", Sheet: "VAT Return", Cell: "C5", Raw: "105.12", Formula: "SUMIFS(Ledger!D:D,Ledger!B:B,\"Sales\")*0.2", Value: 10512},
				{Box: 3, Computed: true, Value: 10512},
				{Box: 6, Name: "totalValueSalesExVAT", Sheet: "VAT Return", Cell: "C10", Raw: "525", Value: 52500},
			},
			Warnings: []string{"box 3 computed as box 1 + box 2"},
		},
		ToolVersion: "1.2.3",
		CreatedAt:   t0,
		Profile:     "default",
	}
}

func sampleReceipt(intentID string) Receipt {
	return Receipt{
		IntentID:         intentID,
		ProcessingDate:   time.Date(2026, 11, 24, 9, 31, 2, 195e6, time.UTC),
		FormBundleNumber: "123456789012",
		PaymentIndicator: "BANK",
		ChargeRefNumber:  "XM002610011594",
		ReceiptID:        "f0c3e8d4-6a2c-4c36-9a43-4d5c8b9e0a11",
		ReceiptTimestamp: "2026-11-24T09:31:02Z",
		CorrelationID:    "5fd3f5ac-6b0e-4b8a-9d2c-1f7f8c7e9a01",
		Outcome:          OutcomeAccepted,
		RecordedAt:       t0.Add(time.Minute),
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "receipts")
	j := openT(t, dir)
	ctx := t.Context()
	in := sampleIntent(NewID(), "123456789", "26C3")
	if err := j.BeginIntent(ctx, in); err != nil {
		t.Fatal(err)
	}
	rc := sampleReceipt(in.ID)
	if err := j.RecordReceipt(ctx, rc); err != nil {
		t.Fatal(err)
	}

	// A fresh Journal (another process, a later run) must see exactly what was written.
	j2 := openT(t, dir)
	want := rc
	want.VRN, want.PeriodKey = in.VRN, in.PeriodKey
	for _, key := range []string{in.ID, rc.ReceiptID, rc.FormBundleNumber, in.ID[:8], strings.ToUpper(rc.ReceiptID[:6])} {
		e, err := j2.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%q): %v", key, err)
		}
		if !reflect.DeepEqual(e.Intent, in) {
			t.Errorf("Get(%q).Intent =\n%+v\nwant\n%+v", key, e.Intent, in)
		}
		if e.Receipt == nil || !reflect.DeepEqual(*e.Receipt, want) {
			t.Errorf("Get(%q).Receipt = %+v, want %+v", key, e.Receipt, want)
		}
		if e.State != StateReceipted || e.Orphan {
			t.Errorf("Get(%q) state = %s orphan=%v", key, e.State, e.Orphan)
		}
	}
	assertOnlyJournalFiles(t, dir)
	list, err := j2.List(ctx)
	if err != nil || len(list) != 1 || list[0].Intent.ID != in.ID {
		t.Fatalf("List = %+v, %v", list, err)
	}
	open, err := j2.OpenIntents(ctx, "")
	if err != nil || len(open) != 0 {
		t.Fatalf("OpenIntents = %+v, %v", open, err)
	}

	// Callers get copies: changing them must not change the journal.
	list[0].Intent.Evidence.Cells[0].Raw = "tampered"
	again, _ := j2.Get(ctx, in.ID)
	if again.Intent.Evidence.Cells[0].Raw != "105.12" {
		t.Error("List returned evidence sharing memory with the journal")
	}

	// The stored line is self-describing: schema version, type and HMRC field names.
	data, err := os.ReadFile(filepath.Join(dir, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	var raw map[string]any
	if err := json.Unmarshal(first, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["v"] != float64(1) || raw["type"] != "intent" {
		t.Errorf("first record = %s", first)
	}
	if !bytes.Contains(first, []byte(`"vatDueSales":105.12`)) || !bytes.Contains(first, []byte(`"netVatDue":80.12`)) {
		t.Errorf("intent record lacks HMRC-named exact boxes: %s", first)
	}
}

func TestDefaultsFromClock(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	ctx := t.Context()
	in := sampleIntent("a1", "123456789", "26C3")
	in.CreatedAt = time.Time{}
	if err := j.BeginIntent(ctx, in); err != nil {
		t.Fatal(err)
	}
	rc := sampleReceipt("a1")
	rc.RecordedAt = time.Time{}
	if err := j.RecordReceipt(ctx, rc); err != nil {
		t.Fatal(err)
	}
	e, err := j.Get(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if !e.Intent.CreatedAt.Equal(t0.Add(time.Second)) || !e.Receipt.RecordedAt.Equal(t0.Add(2*time.Second)) {
		t.Errorf("CreatedAt %v RecordedAt %v, want the injected clock's times", e.Intent.CreatedAt, e.Receipt.RecordedAt)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	type step struct {
		op      string // unknown, clear, receipt, receipt2 (a different receipt)
		wantErr error
	}
	tests := []struct {
		name  string
		steps []step
		state State
	}{
		{"unknown then reconciled", []step{{"unknown", nil}, {"unknown", nil}, {"receipt", nil}}, StateReceipted},
		{"unknown then cleared", []step{{"unknown", nil}, {"clear", nil}}, StateCleared},
		{"cleared takes nothing more", []step{{"clear", nil}, {"unknown", ErrClosed}, {"clear", ErrClosed}}, StateCleared},
		// A receipt for a POST that was still in flight when another process cleared it wins.
		{"a late receipt beats clearing", []step{{"clear", nil}, {"receipt", nil}, {"clear", ErrClosed}}, StateReceipted},
		{"same receipt twice is a no-op", []step{{"receipt", nil}, {"receipt", nil}}, StateReceipted},
		{"a second, different receipt is refused", []step{{"receipt", nil}, {"receipt2", ErrClosed}, {"unknown", ErrClosed}}, StateReceipted},
		{"nothing recorded stays pending", nil, StatePending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			j := openT(t, dir)
			ctx := t.Context()
			if err := j.BeginIntent(ctx, sampleIntent("i1", "123456789", "26C3")); err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				var err error
				switch s.op {
				case "unknown":
					err = j.MarkUnknown(ctx, "i1", "timeout after send")
				case "clear":
					err = j.ClearIntent(ctx, "i1", "view return: 404")
				case "receipt":
					err = j.RecordReceipt(ctx, sampleReceipt("i1"))
				case "receipt2":
					r := sampleReceipt("i1")
					r.FormBundleNumber = "999999999999"
					err = j.RecordReceipt(ctx, r)
				}
				if !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
					t.Fatalf("step %d %s: err = %v, want %v", i, s.op, err, s.wantErr)
				}
			}
			e, err := openT(t, dir).Get(ctx, "i1")
			if err != nil {
				t.Fatal(err)
			}
			if e.State != tt.state {
				t.Errorf("state = %s, want %s", e.State, tt.state)
			}
		})
	}
}

func TestOperationErrors(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	ctx := t.Context()
	if err := j.BeginIntent(ctx, sampleIntent("i1", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	wrongVRN := sampleReceipt("i1")
	wrongVRN.VRN = "999999973"
	badOutcome := sampleReceipt("i1")
	badOutcome.Outcome = "ok"
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown on missing intent", j.MarkUnknown(ctx, "nope", "x"), ErrNotFound},
		{"clear on missing intent", j.ClearIntent(ctx, "nope", "x"), ErrNotFound},
		{"receipt for missing intent", j.RecordReceipt(ctx, sampleReceipt("nope")), ErrNotFound},
		{"receipt for another VRN", j.RecordReceipt(ctx, wrongVRN), ErrInvalid},
		{"receipt with unknown outcome", j.RecordReceipt(ctx, badOutcome), ErrInvalid},
		{"reused intent id", j.BeginIntent(ctx, sampleIntent("i1", "123456789", "26C4")), ErrDuplicateID},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	if e, _ := j.Get(ctx, "i1"); e.State != StatePending {
		t.Errorf("failed operations changed the intent: %s", e.State)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	tests := []struct {
		name string
		edit func(*Intent)
	}{
		{"empty id", func(in *Intent) { in.ID = "" }},
		{"empty vrn", func(in *Intent) { in.VRN = "" }},
		{"empty period key", func(in *Intent) { in.PeriodKey = "" }},
		{"id with a space", func(in *Intent) { in.ID = "a b" }},
		{"id with a newline", func(in *Intent) { in.ID = "a\nb" }},
		{"huge vrn", func(in *Intent) { in.VRN = strings.Repeat("1", 500) }},
		{"bad period end", func(in *Intent) { in.PeriodEnd = "30/09/2026" }},
		{"evidence for box 10", func(in *Intent) { in.Evidence.Cells = []CellEvidence{{Box: 10}} }},
		{"oversized evidence", func(in *Intent) { in.Evidence.Warnings = []string{strings.Repeat("w", maxRecordBytes)} }},
	}
	for _, tt := range tests {
		in := sampleIntent("v1", "123456789", "26C3")
		tt.edit(&in)
		if err := j.BeginIntent(t.Context(), in); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", tt.name, err)
		}
	}
	if open, _ := j.OpenIntents(t.Context(), ""); len(open) != 0 {
		t.Errorf("invalid intents were stored: %+v", open)
	}
}

func TestOpenIntentRefusal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j := openT(t, dir)
	ctx := t.Context()
	first := sampleIntent("first", "123456789", "26C3")
	if err := j.BeginIntent(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkUnknown(ctx, "first", "POST timed out after 30s"); err != nil {
		t.Fatal(err)
	}
	// Another run (a new Journal) must be refused, and told which intent is in the way and why.
	err := openT(t, dir).BeginIntent(ctx, sampleIntent("second", "123456789", "26C3"))
	var oe *OpenIntentError
	if !errors.Is(err, ErrOpenIntent) || !errors.As(err, &oe) {
		t.Fatalf("err = %v, want *OpenIntentError", err)
	}
	if oe.Intent.ID != "first" || oe.State != StateUnknown || oe.Reason != "POST timed out after 30s" || oe.Intent.Return.NetVATDue != 8012 {
		t.Errorf("OpenIntentError = %+v", oe)
	}
	if !strings.Contains(err.Error(), "first") || !strings.Contains(err.Error(), "26C3") {
		t.Errorf("message does not name the intent and period: %v", err)
	}
	// Other periods and other VRNs are independent.
	for _, in := range []Intent{sampleIntent("other-period", "123456789", "26C4"), sampleIntent("other-vrn", "987654321", "26C3")} {
		if err := j.BeginIntent(ctx, in); err != nil {
			t.Errorf("BeginIntent(%s): %v", in.ID, err)
		}
	}
	// Once reconciliation clears it, the period can be submitted again.
	if err := j.ClearIntent(ctx, "first", "view return 404: not received"); err != nil {
		t.Fatal(err)
	}
	if err := j.BeginIntent(ctx, sampleIntent("second", "123456789", "26C3")); err != nil {
		t.Fatalf("after clearing: %v", err)
	}
	open, err := j.OpenIntents(ctx, "123456789")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range open {
		ids = append(ids, in.ID)
	}
	if want := []string{"other-period", "second"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("OpenIntents(123456789) = %v, want %v", ids, want)
	}
	all, _ := j.OpenIntents(ctx, "")
	if len(all) != 3 {
		t.Errorf("OpenIntents(\"\") has %d intents, want 3", len(all))
	}
}

func TestInFlightIntentsBelongToTheirSender(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := t.Context()
	sender, other := openT(t, dir), openT(t, dir) // two runs of vat at once
	if err := sender.BeginIntent(ctx, sampleIntent("sending", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	if e, err := sender.Get(ctx, "sending"); err != nil || !e.InFlight {
		t.Errorf("sender's own Get: InFlight = %v, %v; want true", e != nil && e.InFlight, err)
	}
	if e, err := other.Get(ctx, "sending"); err != nil || !e.InFlight {
		t.Errorf("other's Get: InFlight = %v, %v; want true", e != nil && e.InFlight, err)
	}
	// The other run must neither reconcile it away nor start a second submission.
	for name, err := range map[string]error{
		"ClearIntent":   other.ClearIntent(ctx, "sending", "view return: 404"),
		"MarkUnknown":   other.MarkUnknown(ctx, "sending", "?"),
		"RecordReceipt": other.RecordReceipt(ctx, Receipt{IntentID: "sending", Outcome: OutcomeReconciled}),
	} {
		if !errors.Is(err, ErrInFlight) {
			t.Errorf("other.%s err = %v, want ErrInFlight", name, err)
		}
	}
	var oe *OpenIntentError
	if err := other.BeginIntent(ctx, sampleIntent("second", "123456789", "26C3")); !errors.As(err, &oe) || !oe.InFlight {
		t.Errorf("other.BeginIntent err = %v, want an in-flight OpenIntentError", err)
	} else if !strings.Contains(err.Error(), "another vat process is sending it now") {
		t.Errorf("message does not say it is being sent: %v", err)
	}
	// Once the sender gives up with the outcome unknown, the next run may reconcile it.
	if err := sender.MarkUnknown(ctx, "sending", "connection reset after send"); err != nil {
		t.Fatal(err)
	}
	if e, err := other.Get(ctx, "sending"); err != nil || e.InFlight || e.State != StateUnknown {
		t.Errorf("after MarkUnknown: %+v, %v", e, err)
	}
	if err := other.ClearIntent(ctx, "sending", "view return: 404"); err != nil {
		t.Fatal(err)
	}
	assertOnlyJournalFiles(t, dir)
}

func TestCloseReleasesUnresolvedIntents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := t.Context()
	sender := openT(t, dir)
	if err := sender.BeginIntent(ctx, sampleIntent("abandoned", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	if err := sender.Close(); err != nil {
		t.Fatal(err)
	}
	next := openT(t, dir)
	e, err := next.Get(ctx, "abandoned")
	if err != nil || e.InFlight || e.State != StatePending {
		t.Fatalf("after Close: %+v, %v; want pending and not in flight", e, err)
	}
	// A later run reconciles it and tidies the stale lock file away.
	if err := next.RecordReceipt(ctx, Receipt{IntentID: "abandoned", Outcome: OutcomeReconciled}); err != nil {
		t.Fatal(err)
	}
	assertOnlyJournalFiles(t, dir)
}

// assertOnlyJournalFiles checks that resolved intents leave no lock files behind.
func assertOnlyJournalFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := []string{JournalFile, LockFile}; !reflect.DeepEqual(names, want) {
		t.Errorf("directory holds %v, want %v", names, want)
	}
}

func TestListNewestFirst(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	ctx := t.Context()
	for i, pk := range []string{"26A1", "26A2", "26A3", "26A4"} {
		id := "id-" + pk
		if err := j.BeginIntent(ctx, sampleIntent(id, "123456789", pk)); err != nil {
			t.Fatal(err)
		}
		if pk == "26A4" {
			continue // still open: not a receipt
		}
		r := sampleReceipt(id)
		// Recorded out of order: List must sort by when the receipt was recorded.
		r.RecordedAt = t0.Add(time.Duration([]int{2, 3, 1}[i]) * time.Hour)
		if err := j.RecordReceipt(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	list, err := j.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Intent.PeriodKey)
	}
	if want := []string{"26A2", "26A1", "26A3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("List periods = %v, want %v", got, want)
	}
}

func TestGetMatching(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	ctx := t.Context()
	for _, id := range []string{"abcd-1111", "abcd-2222", "ffff-0000"} {
		if err := j.BeginIntent(ctx, sampleIntent(id, "123456789", "P"+id[5:8])); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		id     string
		wantID string
		err    error
	}{
		{"abcd-1111", "abcd-1111", nil},
		{"ABCD-2", "abcd-2222", nil},
		{"ffff", "ffff-0000", nil},
		{"abcd", "", ErrAmbiguous},
		{"fff", "", ErrNotFound}, // prefixes shorter than 4 are too easy to mistype
		{"zzzz", "", ErrNotFound},
		{"  ", "", ErrNotFound},
	}
	for _, tt := range tests {
		e, err := j.Get(ctx, tt.id)
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("Get(%q) err = %v, want %v", tt.id, err, tt.err)
			continue
		}
		if tt.err == nil && e.Intent.ID != tt.wantID {
			t.Errorf("Get(%q) = %s, want %s", tt.id, e.Intent.ID, tt.wantID)
		}
	}
	_, err := j.Get(ctx, "abcd")
	var ae *AmbiguousError
	if !errors.As(err, &ae) || !reflect.DeepEqual(ae.Matches, []string{"abcd-1111", "abcd-2222"}) {
		t.Errorf("ambiguous error = %#v", err)
	}
}

func TestTornLastLineTolerated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j := openT(t, dir)
	ctx := t.Context()
	if err := j.BeginIntent(ctx, sampleIntent("done", "123456789", "26C2")); err != nil {
		t.Fatal(err)
	}
	if err := j.RecordReceipt(ctx, sampleReceipt("done")); err != nil {
		t.Fatal(err)
	}
	if err := j.BeginIntent(ctx, sampleIntent("open", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, JournalFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Simulate a crash half way through writing a receipt for "open".
	line, err := (&record{V: 1, Type: recReceipt, At: t0, IntentID: "open", Receipt: toWireReceipt(sampleReceipt("open"))}).encode()
	if err != nil {
		t.Fatal(err)
	}
	appendBytes(t, path, line[:len(line)/2])
	if err := j.Close(); err != nil { // the crashed writer is gone
		t.Fatal(err)
	}

	j2 := openT(t, dir)
	if got := j2.DamagedLines(); got != 0 {
		t.Errorf("DamagedLines before any append = %d, want 0 (a torn tail is not yet a line)", got)
	}
	if e, err := j2.Get(ctx, "done"); err != nil || e.State != StateReceipted {
		t.Fatalf("earlier receipt lost: %+v, %v", e, err)
	}
	open, err := j2.OpenIntents(ctx, "")
	if err != nil || len(open) != 1 || open[0].ID != "open" {
		t.Fatalf("OpenIntents = %+v, %v; the torn receipt must not close the intent", open, err)
	}
	// The next append must not be glued onto the fragment.
	if err := j2.MarkUnknown(ctx, "open", "crashed while recording"); err != nil {
		t.Fatal(err)
	}
	if err := j2.RecordReceipt(ctx, sampleReceipt("open")); err != nil {
		t.Fatal(err)
	}
	j3 := openT(t, dir)
	if e, err := j3.Get(ctx, "open"); err != nil || e.State != StateReceipted || len(e.Events) != 1 {
		t.Fatalf("after repair: %+v, %v", e, err)
	}
	if got := j3.DamagedLines(); got != 1 {
		t.Errorf("DamagedLines = %d, want 1 (the terminated fragment)", got)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(after, before) {
		t.Error("existing records were rewritten")
	}
	if bad := unparsableLines(after); bad != 1 {
		t.Errorf("%d unparsable lines, want exactly the one fragment", bad)
	}
}

func TestDamagedLinesSkipped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j := openT(t, dir)
	ctx := t.Context()
	if err := j.BeginIntent(ctx, sampleIntent("before", "123456789", "26C2")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, JournalFile)
	appendBytes(t, path, []byte("not json\n"))
	appendBytes(t, path, append(bytes.Repeat([]byte("x"), 3*maxRecordBytes), '\n')) // longer than any record
	appendBytes(t, path, []byte(`{"v":1,"type":"mystery","intentId":"before"}`+"\n"))
	appendBytes(t, path, []byte(`{"v":1,"type":"receipt","intentId":"before"}`+"\n")) // no receipt body
	if err := openT(t, dir).BeginIntent(ctx, sampleIntent("after", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	j2 := openT(t, dir)
	open, err := j2.OpenIntents(ctx, "")
	if err != nil || len(open) != 2 {
		t.Fatalf("OpenIntents = %+v, %v", open, err)
	}
	if got := j2.DamagedLines(); got != 4 {
		t.Errorf("DamagedLines = %d, want 4", got)
	}
}

func TestOrphanReceiptKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, JournalFile)
	r := sampleReceipt("lost-intent")
	r.VRN, r.PeriodKey = "123456789", "26C1"
	line, err := (&record{V: 1, Type: recReceipt, At: t0, IntentID: r.IntentID, Receipt: toWireReceipt(r)}).encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append([]byte("{\"v\":1,\"type\":\"intent\",\"inte\n"), line...), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := openT(t, dir).List(t.Context())
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if e := list[0]; !e.Orphan || e.Intent.VRN != "123456789" || e.Intent.PeriodKey != "26C1" || e.Receipt.FormBundleNumber != r.FormBundleNumber {
		t.Errorf("orphan entry = %+v", e)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j := openT(t, dir)
	if err := j.BeginIntent(t.Context(), sampleIntent("i1", "123456789", "26C3")); err != nil {
		t.Fatal(err)
	}
	appendBytes(t, filepath.Join(dir, JournalFile), []byte(`{"v":2,"type":"intent","intentId":"future"}`+"\n"))
	if _, err := Open(dir); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open err = %v, want ErrNewerSchema", err)
	}
	// An already-open Journal must refuse too, and must not append after what it cannot read.
	if err := j.BeginIntent(t.Context(), sampleIntent("i2", "123456789", "26C4")); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("BeginIntent err = %v, want ErrNewerSchema", err)
	}
	if _, err := j.List(t.Context()); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("List err = %v, want ErrNewerSchema", err)
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits do not apply on Windows")
	}
	check := func(t *testing.T, dir string) {
		t.Helper()
		for path, want := range map[string]os.FileMode{
			dir: 0o700, filepath.Join(dir, JournalFile): 0o600, filepath.Join(dir, LockFile): 0o600,
		} {
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != want {
				t.Errorf("%s mode = %o, want %o", path, got, want)
			}
		}
	}
	t.Run("new", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "config", "receipts")
		j := openT(t, dir)
		if err := j.BeginIntent(t.Context(), sampleIntent("i1", "123456789", "26C3")); err != nil {
			t.Fatal(err)
		}
		check(t, dir)
	})
	t.Run("loose existing files are tightened", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "receipts")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{JournalFile, LockFile} {
			if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(filepath.Join(dir, name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		openT(t, dir)
		check(t, dir)
	})
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	j := openT(t, t.TempDir())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := j.BeginIntent(ctx, sampleIntent("i1", "123456789", "26C3")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if open, _ := j.OpenIntents(t.Context(), ""); len(open) != 0 {
		t.Error("a cancelled BeginIntent wrote a record")
	}
}

func TestNewID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		id := NewID()
		if len(id) != 36 || id[14] != '4' || !strings.ContainsRune("89ab", rune(id[19])) || strings.Count(id, "-") != 4 {
			t.Fatalf("NewID() = %q is not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %s", id)
		}
		seen[id] = true
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// unparsableLines counts newline-terminated lines that are not JSON objects.
func unparsableLines(data []byte) int {
	bad := 0
	for line := range bytes.Lines(data) {
		var v map[string]any
		if !bytes.HasSuffix(line, []byte("\n")) || json.Unmarshal(line, &v) != nil {
			bad++
		}
	}
	return bad
}
