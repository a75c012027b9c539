package receipts

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/google/uuid"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofrs/flock"
)

// Names of the files the journal keeps in its directory.
const (
	JournalFile = "journal.jsonl"
	LockFile    = "journal.lock"
)

const (
	// maxRecordBytes bounds one line, both when writing and when reading, so a damaged or hostile
	// journal cannot make a reader allocate without limit. Nine boxes of evidence need a few KiB.
	maxRecordBytes = 1 << 20
	// maxReasonBytes bounds the free-text reason of MarkUnknown and ClearIntent.
	maxReasonBytes = 2000
	// maxFieldBytes bounds identifiers such as IDs, VRNs and period keys.
	maxFieldBytes = 128

	// ReserveBytes is the disk space set aside for each intent's receipt until it is recorded:
	// a receipt record is under 1 KiB, and two 4 KiB blocks cover one that straddles a block.
	ReserveBytes = 8 << 10

	defaultLockTimeout = 30 * time.Second
	lockRetryDelay     = 10 * time.Millisecond

	dirPerm  fs.FileMode = 0o700
	filePerm fs.FileMode = 0o600
)

// Option configures a Journal.
type Option func(*Journal)

// WithClock sets the clock used for CreatedAt, RecordedAt and event times left zero by the caller.
func WithClock(now func() time.Time) Option { return func(j *Journal) { j.now = now } }

// WithLockTimeout bounds how long an operation waits for another process's lock before failing
// with ErrLocked (default 30s). Lock holders only append a line, so a long wait means a stuck process.
func WithLockTimeout(d time.Duration) Option { return func(j *Journal) { j.lockTimeout = d } }

// Journal is the append-only submission journal in one directory. It is safe for concurrent use
// by several goroutines and by several processes sharing the directory: every operation takes a
// flock on LockFile and first catches up with records other processes appended.
type Journal struct {
	dir         string
	now         func() time.Time
	lockTimeout time.Duration

	mu sync.Mutex // guards everything below and serialises this process's use of the lock file
	// offset is how far journal.jsonl has been read; records are only ever appended after it.
	offset   int64
	entries  map[string]*Entry
	order    []string // intent IDs in the order their first record appears
	damaged  int
	tornTail bool // the file ends in a partial line, left by a crash mid-write
	// inflight holds the lock of every intent this Journal began and has not yet resolved; the
	// kernel drops it if the process dies, which is how others tell "being sent" from "crashed".
	inflight map[string]*flock.Flock
}

// Open opens (creating if needed) the journal in dir. The directory is made 0700 and the files
// 0600, tightening them if they exist with wider permissions, because the journal holds a
// business's tax figures.
func Open(dir string, opts ...Option) (*Journal, error) {
	if dir == "" {
		return nil, errors.New("receipts: no journal directory given")
	}
	j := &Journal{dir: dir, now: time.Now, lockTimeout: defaultLockTimeout, entries: map[string]*Entry{}, inflight: map[string]*flock.Flock{}}
	for _, o := range opts {
		o(j)
	}
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("create journal directory: %w", err)
	}
	if err := tighten(dir, dirPerm); err != nil {
		return nil, err
	}
	created := false
	for _, name := range []string{JournalFile, LockFile} {
		p := filepath.Join(dir, name)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
		switch {
		case err == nil:
			created = true
			if err := f.Close(); err != nil {
				return nil, fmt.Errorf("create %s: %w", name, err)
			}
		case !errors.Is(err, fs.ErrExist):
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		if err := tighten(p, filePerm); err != nil {
			return nil, err
		}
	}
	if created {
		// Make the new names durable, or a crash could lose the whole file along with its records.
		if err := syncDir(dir); err != nil {
			return nil, err
		}
	}
	// Read once now so that a journal this version cannot understand fails at Open.
	if err := j.withLock(context.Background(), false, func(*os.File) error { return nil }); err != nil {
		return nil, err
	}
	return j, nil
}

// Close releases the locks of intents this Journal began and never resolved, as the end of the
// process would: they stay open in the journal, and other processes may now reconcile them.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var errs []error
	for id, fl := range j.inflight {
		errs = append(errs, fl.Unlock())
		delete(j.inflight, id)
	}
	return errors.Join(errs...)
}

// Dir returns the journal's directory.
func (j *Journal) Dir() string { return j.dir }

// DamagedLines reports how many unreadable lines (torn by a crash, or foreign bytes) were skipped
// so far. They are never rewritten: the journal is append-only.
func (j *Journal) DamagedLines() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.damaged
}

// NewID returns a random UUID (version 4) for an Intent.
func NewID() string { return uuid.NewString() }

// BeginIntent records that in is about to be sent. The record and the directory are synced to
// disk before it returns, so the intent survives a crash at any later point. It refuses with an
// *OpenIntentError (errors.Is ErrOpenIntent) while an intent for the same VRN and period is open,
// and with ErrDuplicateID when in.ID was used before.
func (j *Journal) BeginIntent(ctx context.Context, in Intent) error {
	if err := validateIntent(&in); err != nil {
		return err
	}
	if in.CreatedAt.IsZero() {
		in.CreatedAt = j.now()
	}
	rec := &record{V: schemaVersion, Type: recIntent, At: in.CreatedAt.UTC(), IntentID: in.ID, Intent: toWireIntent(in)}
	return j.withLock(ctx, true, func(f *os.File) error {
		if _, ok := j.entries[in.ID]; ok {
			return fmt.Errorf("%w: %s", ErrDuplicateID, in.ID)
		}
		for _, id := range j.order {
			e := j.entries[id]
			if e.State.Open() && e.Intent.VRN == in.VRN && e.Intent.PeriodKey == in.PeriodKey {
				busy, err := j.inFlight(id)
				if err != nil {
					return err
				}
				return &OpenIntentError{Intent: cloneEntry(e).Intent, State: e.State, Reason: lastReason(e), InFlight: busy}
			}
		}
		if err := j.holdIntent(ctx, in.ID); err != nil {
			return err
		}
		// Set aside the receipt's space before anything is sent: if the disk fills while HMRC
		// files the return, the receipt can still be written (see RecordReceipt).
		if err := j.reserve(in.ID); err != nil {
			j.releaseIntent(in.ID)
			return err
		}
		err := j.append(f, rec)
		if err == nil {
			err = syncDir(j.dir)
		}
		if err != nil && j.entries[in.ID] == nil {
			j.releaseIntent(in.ID)
			j.unreserve(in.ID)
		}
		return err
	})
}

// RecordReceipt closes an intent with HMRC's receipt (or what reconciliation found). Recording
// the very same receipt again is a no-op, so a caller unsure whether its first call landed can retry.
//
// A cleared intent still accepts a receipt, because HMRC's word beats reconciliation's: another
// process may clear an intent whose POST is still in flight (its view-return saw 404 a moment
// before HMRC filed it), and the receipt that then arrives must not be lost.
func (j *Journal) RecordReceipt(ctx context.Context, r Receipt) error {
	switch r.Outcome {
	case OutcomeAccepted, OutcomeReconciled, OutcomeAlreadyFiled:
	default:
		return fmt.Errorf("%w: receipt outcome %q", ErrInvalid, r.Outcome)
	}
	if err := checkField("receipt intent id", r.IntentID, true); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{
		{"receipt vrn", r.VRN}, {"receipt period key", r.PeriodKey}, {"form bundle number", r.FormBundleNumber},
		{"payment indicator", r.PaymentIndicator}, {"charge reference", r.ChargeRefNumber},
		{"receipt id", r.ReceiptID}, {"receipt timestamp", r.ReceiptTimestamp}, {"correlation id", r.CorrelationID},
	} {
		if err := checkField(f.name, f.v, false); err != nil {
			return err
		}
	}
	if r.RecordedAt.IsZero() {
		r.RecordedAt = j.now()
	}
	return j.withLock(ctx, true, func(f *os.File) error {
		e, ok := j.entries[r.IntentID]
		if !ok {
			return fmt.Errorf("%w: intent %s", ErrNotFound, r.IntentID)
		}
		if r.VRN == "" {
			r.VRN = e.Intent.VRN
		}
		if r.PeriodKey == "" {
			r.PeriodKey = e.Intent.PeriodKey
		}
		if !e.Orphan && (r.VRN != e.Intent.VRN || r.PeriodKey != e.Intent.PeriodKey) {
			return fmt.Errorf("%w: receipt for VRN %s period %s does not match intent %s for VRN %s period %s",
				ErrInvalid, r.VRN, r.PeriodKey, e.Intent.ID, e.Intent.VRN, e.Intent.PeriodKey)
		}
		if e.State == StateReceipted {
			if sameReceipt(*e.Receipt, r) {
				return nil
			}
			return fmt.Errorf("%w: intent %s is %s", ErrClosed, r.IntentID, e.State)
		}
		if err := j.notInFlightElsewhere(r.IntentID); err != nil {
			return err
		}
		rec := &record{V: schemaVersion, Type: recReceipt, At: r.RecordedAt.UTC(), IntentID: r.IntentID, Receipt: toWireReceipt(r)}
		err := j.append(f, rec)
		if err != nil && j.unreserve(r.IntentID) {
			// The disk is full: the space reserved at BeginIntent is free now, so write again. A
			// fragment of the failed write is ended first by append (tornTail), and a line that was
			// written but not synced is found by refresh rather than written twice.
			if err = j.refresh(f); err == nil {
				if e.State == StateReceipted && sameReceipt(*e.Receipt, r) {
					if err = f.Sync(); err != nil {
						err = fmt.Errorf("sync journal: %w", err)
					}
				} else {
					err = j.append(f, rec)
				}
			}
		}
		if err != nil {
			return &UnrecordedReceiptError{Receipt: r, Journal: filepath.Join(j.dir, JournalFile), Err: err}
		}
		j.releaseIntent(r.IntentID)
		j.unreserve(r.IntentID)
		return nil
	})
}

// MarkUnknown notes that the POST for an intent was sent but its outcome is unknown (timeout,
// dropped connection, 5xx). The intent stays open. The reason must not contain secrets.
func (j *Journal) MarkUnknown(ctx context.Context, intentID, reason string) error {
	return j.note(ctx, recUnknown, intentID, reason)
}

// ClearIntent closes an open intent because reconciliation proved HMRC never received it, which
// allows a new submission for the period. The reason must not contain secrets.
func (j *Journal) ClearIntent(ctx context.Context, intentID, reason string) error {
	return j.note(ctx, recCleared, intentID, reason)
}

func (j *Journal) note(ctx context.Context, typ, intentID, reason string) error {
	if err := checkField("intent id", intentID, true); err != nil {
		return err
	}
	reason = cleanReason(reason)
	return j.withLock(ctx, true, func(f *os.File) error {
		e, ok := j.entries[intentID]
		if !ok {
			return fmt.Errorf("%w: intent %s", ErrNotFound, intentID)
		}
		if !e.State.Open() {
			return fmt.Errorf("%w: intent %s is %s", ErrClosed, intentID, e.State)
		}
		if err := j.notInFlightElsewhere(intentID); err != nil {
			return err
		}
		if err := j.append(f, &record{V: schemaVersion, Type: typ, At: j.now().UTC(), IntentID: intentID, Reason: reason}); err != nil {
			return err
		}
		// Whoever sent it is done with it, even when the outcome is unknown: from now on another
		// run may reconcile it.
		j.releaseIntent(intentID)
		if typ == recCleared {
			j.unreserve(intentID)
		}
		return nil
	})
}

// OpenIntents returns the intents whose outcome is undecided, oldest first; vrn "" means all VRNs.
// A caller must reconcile each before submitting for its period again.
func (j *Journal) OpenIntents(ctx context.Context, vrn string) ([]Intent, error) {
	var out []Intent
	err := j.withLock(ctx, false, func(*os.File) error {
		for _, id := range j.order {
			e := j.entries[id]
			if e.State.Open() && (vrn == "" || e.Intent.VRN == vrn) {
				out = append(out, cloneEntry(e).Intent)
			}
		}
		return nil
	})
	return out, err
}

// List returns every receipted submission, newest receipt first, with its intent and evidence.
func (j *Journal) List(ctx context.Context) ([]Entry, error) {
	var out []Entry
	err := j.withLock(ctx, false, func(*os.File) error {
		for i := len(j.order) - 1; i >= 0; i-- {
			if e := j.entries[j.order[i]]; e.Receipt != nil {
				out = append(out, cloneEntry(e))
			}
		}
		return nil
	})
	// Stable, so receipts with equal times keep journal order (newest line first).
	slices.SortStableFunc(out, func(a, b Entry) int { return b.Receipt.RecordedAt.Compare(a.Receipt.RecordedAt) })
	return out, err
}

// MinPrefix is the shortest prefix of an ID that Get accepts: a shorter one is too easy to
// mistype into another submission's ID.
const MinPrefix = 4

// Get finds one entry, open or closed, by intent ID, receipt ID or form bundle number, or by a
// unique case-insensitive prefix (at least MinPrefix characters) of an intent or receipt ID.
func (j *Journal) Get(ctx context.Context, id string) (*Entry, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, fmt.Errorf("%w: empty id", ErrNotFound)
	}
	var found *Entry
	err := j.withLock(ctx, false, func(*os.File) error {
		var exact, prefix []*Entry
		lid := strings.ToLower(id)
		for _, iid := range j.order {
			e := j.entries[iid]
			keys := []string{e.Intent.ID}
			if e.Receipt != nil {
				keys = append(keys, e.Receipt.ReceiptID, e.Receipt.FormBundleNumber)
			}
			if slices.Contains(keys, id) {
				exact = append(exact, e)
				continue
			}
			if len(id) < MinPrefix {
				continue
			}
			for _, k := range keys[:min(len(keys), 2)] {
				if k != "" && strings.HasPrefix(strings.ToLower(k), lid) {
					prefix = append(prefix, e)
					break
				}
			}
		}
		matches := exact
		if len(matches) == 0 {
			matches = prefix
		}
		switch len(matches) {
		case 0:
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		case 1:
			e := cloneEntry(matches[0])
			if e.State.Open() {
				var err error
				if e.InFlight, err = j.inFlight(e.Intent.ID); err != nil {
					return err
				}
			}
			found = &e
			return nil
		}
		amb := &AmbiguousError{ID: id}
		for _, e := range matches {
			amb.Matches = append(amb.Matches, e.Intent.ID)
		}
		return amb
	})
	return found, err
}

// intentLockPath names the lock a process holds while it is sending an intent. The ID is hashed
// because callers choose IDs and an ID must never become a path.
func (j *Journal) intentLockPath(id string) string {
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(j.dir, "intent-"+hex.EncodeToString(sum[:12])+".lock")
}

// reservePath names the file that holds an intent's receipt space; hashed like intentLockPath.
func (j *Journal) reservePath(id string) string {
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(j.dir, "receipt-"+hex.EncodeToString(sum[:12])+".reserve")
}

// reserve writes and syncs a placeholder of ReserveBytes for the intent's receipt. It is made
// durable by the directory sync that follows the intent's record.
func (j *Journal) reserve(id string) error {
	f, err := os.OpenFile(j.reservePath(id), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return fmt.Errorf("reserve space for the receipt: %w", err)
	}
	_, werr := f.Write(bytes.Repeat([]byte{' '}, ReserveBytes))
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("reserve space for the receipt: %w", err)
	}
	return nil
}

// unreserve gives an intent's receipt space back and reports whether there was any.
func (j *Journal) unreserve(id string) bool {
	return os.Remove(j.reservePath(id)) == nil
}

// holdIntent takes the exclusive lock of a new intent, kept until the intent is resolved or the
// process ends. Other processes only probe it for an instant, so a short wait suffices.
func (j *Journal) holdIntent(ctx context.Context, id string) error {
	fl := flock.New(j.intentLockPath(id), flock.SetPermissions(filePerm))
	lctx, cancel := context.WithTimeout(ctx, j.lockTimeout)
	defer cancel()
	ok, err := fl.TryLockContext(lctx, lockRetryDelay)
	if err != nil || !ok {
		_ = fl.Unlock()
		return fmt.Errorf("lock intent %s: %w", id, cmp.Or(err, ErrLocked))
	}
	j.inflight[id] = fl
	return nil
}

// releaseIntent drops this Journal's lock on a resolved intent, or removes the stale lock file a
// crashed process left behind.
func (j *Journal) releaseIntent(id string) {
	path := j.intentLockPath(id)
	if fl, ok := j.inflight[id]; ok {
		// Unlock before removing: Windows cannot remove a file that is open.
		_ = fl.Unlock()
		delete(j.inflight, id)
		_ = os.Remove(path)
		return
	}
	if busy, err := j.inFlight(id); err == nil && !busy {
		_ = os.Remove(path)
	}
}

// inFlight reports whether a live process, this one included, is sending the intent now.
func (j *Journal) inFlight(id string) (bool, error) {
	if _, mine := j.inflight[id]; mine {
		return true, nil
	}
	// Read-only and without O_CREATE: probing must not create lock files for finished intents.
	fl := flock.New(j.intentLockPath(id), flock.SetFlag(os.O_RDONLY))
	ok, err := fl.TryRLock()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("probe intent lock: %w", err)
	case !ok:
		return true, nil
	}
	_ = fl.Unlock()
	return false, nil
}

// notInFlightElsewhere refuses to resolve an intent another live process is still sending: its
// outcome is about to be known there, and reconciling it here could clear a return HMRC is filing.
func (j *Journal) notInFlightElsewhere(id string) error {
	if _, mine := j.inflight[id]; mine {
		return nil
	}
	busy, err := j.inFlight(id)
	if err != nil {
		return err
	}
	if busy {
		return fmt.Errorf("%w: intent %s", ErrInFlight, id)
	}
	return nil
}

// withLock runs fn holding the process-local mutex and the cross-process file lock (exclusive for
// writers), after catching up with every record appended since the last read. f is opened for
// appending when exclusive.
func (j *Journal) withLock(ctx context.Context, exclusive bool, fn func(f *os.File) error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	fl := flock.New(filepath.Join(j.dir, LockFile), flock.SetPermissions(filePerm))
	lctx, cancel := context.WithTimeout(ctx, j.lockTimeout)
	defer cancel()
	var ok bool
	var err error
	if exclusive {
		ok, err = fl.TryLockContext(lctx, lockRetryDelay)
	} else {
		ok, err = fl.TryRLockContext(lctx, lockRetryDelay)
	}
	if !ok || err != nil {
		_ = fl.Unlock()
		if ctx.Err() != nil {
			return fmt.Errorf("lock journal: %w", ctx.Err())
		}
		if lctx.Err() != nil {
			return fmt.Errorf("%w: waited %s for %s", ErrLocked, j.lockTimeout, fl.Path())
		}
		return fmt.Errorf("lock journal: %w", err)
	}
	defer func() { _ = fl.Unlock() }()

	flag := os.O_RDONLY
	if exclusive {
		flag = os.O_RDWR | os.O_APPEND | os.O_CREATE
	}
	f, err := os.OpenFile(filepath.Join(j.dir, JournalFile), flag, filePerm)
	if err != nil {
		return fmt.Errorf("open journal: %w", err)
	}
	defer f.Close()
	if err := j.refresh(f); err != nil {
		return err
	}
	return fn(f)
}

// append writes one record and syncs it, then reads it back through refresh so that the in-memory
// state is only ever built from what is on disk.
func (j *Journal) append(f *os.File, rec *record) error {
	line, err := rec.encode()
	if err != nil {
		return err
	}
	if j.tornTail {
		// End the fragment a crash left behind, or this record would be glued onto it and lost.
		// The fragment becomes a damaged line that readers skip; nothing is rewritten.
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("append to journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	return j.refresh(f)
}

// refresh reads the records appended since the last read. A final line without its newline is a
// torn write (the writer crashed, since writers hold the exclusive lock) and is left unread.
func (j *Journal) refresh(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat journal: %w", err)
	}
	if st.Size() < j.offset {
		// The file was replaced (restored from a backup, say): start again from its beginning.
		j.offset, j.entries, j.order, j.damaged = 0, map[string]*Entry{}, nil, 0
	}
	j.tornTail = false
	if st.Size() == j.offset {
		return nil
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, j.offset, st.Size()-j.offset), 16<<10)
	for {
		line, n, complete, err := readLine(br)
		if err != nil {
			return fmt.Errorf("read journal: %w", err)
		}
		if !complete {
			j.tornTail = n > 0
			return nil
		}
		if line == nil {
			j.damaged++ // longer than any record we write
		} else if rec, err := decodeRecord(line); errors.Is(err, errDamaged) {
			j.damaged++
		} else if err != nil {
			return err // a newer schema: nothing after this point can be trusted to be understood
		} else {
			j.apply(rec)
		}
		j.offset += n
	}
}

// readLine returns the next newline-terminated line without its newline and the bytes consumed.
// A line over maxRecordBytes is consumed but returned as nil, without being held in memory.
// complete is false at EOF, with n the length of any unterminated tail.
func readLine(br *bufio.Reader) (line []byte, n int64, complete bool, err error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if !tooLong {
			if len(buf)+len(chunk) > maxRecordBytes {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == nil:
			if tooLong {
				return nil, n, true, nil
			}
			return buf[:len(buf)-1], n, true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return nil, n, false, nil
		default:
			return nil, n, false, err
		}
	}
}

// apply folds one record into the in-memory state. Records that contradict earlier ones cannot be
// written by this package; if they appear anyway, the first word stands and they count as damaged.
func (j *Journal) apply(rec *record) {
	e, ok := j.entries[rec.IntentID]
	if rec.Type == recIntent {
		switch {
		case !ok:
			j.entries[rec.IntentID] = &Entry{Intent: rec.Intent.intent(), State: StatePending}
			j.order = append(j.order, rec.IntentID)
		case e.Orphan:
			e.Intent, e.Orphan = rec.Intent.intent(), false
		default:
			j.damaged++
		}
		return
	}
	if !ok {
		// The intent's own line was damaged; keep what this record says rather than lose a receipt.
		e = &Entry{Intent: Intent{ID: rec.IntentID}, State: StatePending, Orphan: true}
		j.entries[rec.IntentID] = e
		j.order = append(j.order, rec.IntentID)
	}
	if !e.State.Open() && !(rec.Type == recReceipt && e.State == StateCleared) {
		j.damaged++
		return
	}
	switch rec.Type {
	case recUnknown:
		e.State = StateUnknown
		e.Events = append(e.Events, Event{Type: rec.Type, Reason: rec.Reason, At: rec.At})
	case recCleared:
		e.State = StateCleared
		e.Events = append(e.Events, Event{Type: rec.Type, Reason: rec.Reason, At: rec.At})
	case recReceipt:
		r := rec.Receipt.receipt()
		e.State, e.Receipt = StateReceipted, &r
		if e.Orphan {
			e.Intent.VRN, e.Intent.PeriodKey = r.VRN, r.PeriodKey
		}
	}
}

func lastReason(e *Entry) string {
	for i := len(e.Events) - 1; i >= 0; i-- {
		if e.Events[i].Reason != "" {
			return e.Events[i].Reason
		}
	}
	return ""
}

// cloneEntry deep-copies so callers can never alter the journal's state through shared slices.
func cloneEntry(e *Entry) Entry {
	c := *e
	c.Intent.Evidence.Cells = slices.Clone(e.Intent.Evidence.Cells)
	c.Intent.Evidence.Warnings = slices.Clone(e.Intent.Evidence.Warnings)
	c.Events = slices.Clone(e.Events)
	if e.Receipt != nil {
		r := *e.Receipt
		c.Receipt = &r
	}
	return c
}

func sameReceipt(a, b Receipt) bool {
	return a.IntentID == b.IntentID && a.Outcome == b.Outcome && a.FormBundleNumber == b.FormBundleNumber &&
		a.ReceiptID == b.ReceiptID && a.ProcessingDate.Equal(b.ProcessingDate)
}

func validateIntent(in *Intent) error {
	for _, f := range []struct {
		name, v  string
		required bool
	}{
		{"intent id", in.ID, true}, {"vrn", in.VRN, true}, {"period key", in.PeriodKey, true},
		{"profile", in.Profile, false}, {"tool version", in.ToolVersion, false}, {"declaration", in.Declaration, false},
	} {
		if err := checkField(f.name, f.v, f.required); err != nil {
			return err
		}
	}
	for _, d := range []struct{ name, v string }{
		{"period start", in.PeriodStart}, {"period end", in.PeriodEnd}, {"period due", in.PeriodDue},
	} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return fmt.Errorf("%w: %s %q is not a YYYY-MM-DD date", ErrInvalid, d.name, d.v)
		}
	}
	for _, c := range in.Evidence.Cells {
		if c.Box < 1 || c.Box > 9 {
			return fmt.Errorf("%w: evidence for box %d", ErrInvalid, c.Box)
		}
	}
	return nil
}

// checkField keeps identifiers short and printable: they appear in tables and error messages.
func checkField(name, v string, required bool) error {
	switch {
	case v == "" && required:
		return fmt.Errorf("%w: %s is empty", ErrInvalid, name)
	case len(v) > maxFieldBytes:
		return fmt.Errorf("%w: %s is longer than %d bytes", ErrInvalid, name, maxFieldBytes)
	case !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }):
		return fmt.Errorf("%w: %s %q contains spaces or unprintable characters", ErrInvalid, name, v)
	}
	return nil
}

func cleanReason(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD")
	if len(s) > maxReasonBytes {
		cut := maxReasonBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// tighten narrows the permissions of an existing path we own. Windows has no such modes.
func tighten(path string, perm fs.FileMode) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if st.Mode().Perm() != perm {
		if err := os.Chmod(path, perm); err != nil {
			return fmt.Errorf("restrict permissions of %s: %w", path, err)
		}
	}
	return nil
}

// syncDir makes directory entries (a newly created journal) durable. Windows cannot open a
// directory for syncing and commits metadata itself.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open journal directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync journal directory: %w", err)
	}
	return nil
}
