// Package receipts keeps the local, append-only journal of VAT return submissions: the intent to
// submit (with the digital-link evidence of where every box came from) written and synced before
// the POST, and HMRC's receipt written after it.
//
// The journal exists so that a submission is never lost and never duplicated. A process that dies,
// times out or sees a 5xx between sending and recording leaves an open intent behind; the next run
// finds it with [Journal.OpenIntents] and must reconcile it with HMRC (view the return) before it
// is allowed to begin another submission for the same VRN and period ([ErrOpenIntent]).
//
// # Storage
//
// The journal is one file, journal.jsonl, in a directory of its own (0700; files 0600). Each line
// is one self-describing JSON record, appended with O_APPEND and fsync and never rewritten:
//
//	{"v":1,"type":"intent","at":…,"intentId":…,"intent":{"vrn","periodKey","return":{HMRC field names},"evidence":{…},…}}
//	{"v":1,"type":"unknown","at":…,"intentId":…,"reason":…}
//	{"v":1,"type":"cleared","at":…,"intentId":…,"reason":…}
//	{"v":1,"type":"receipt","at":…,"intentId":…,"receipt":{"formBundleNumber","receiptId",…,"outcome"}}
//
// A line torn by a crash is skipped, and the next append terminates it first so that no later
// record is glued onto it. A record with a higher "v" stops every operation (ErrNewerSchema)
// rather than being skipped. Writers serialise on a flock of journal.lock; while a process is
// sending an intent it also holds a flock on intent-<hash>.lock, which is how other processes tell
// a submission in flight from one whose sender died.
//
// BeginIntent also writes receipt-<hash>.reserve, ReserveBytes of placeholder, and RecordReceipt
// deletes it. When the disk fills between the POST and HMRC's receipt, deleting it frees the
// space the receipt needs; if even that fails, RecordReceipt returns an [UnrecordedReceiptError]
// that carries the whole receipt so the caller can show it.
//
// The package imports only the standard library, pkg/vatreturn and gofrs/flock, so the CLI maps
// the HMRC client's types into these.
package receipts

import (
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// Outcomes a [Receipt] can record.
const (
	// OutcomeAccepted means HMRC answered the POST with 201 and a receipt.
	OutcomeAccepted = "accepted"
	// OutcomeReconciled means the POST's answer was lost but reconciliation found the return at HMRC.
	OutcomeReconciled = "accepted-by-hmrc-reconciled"
	// OutcomeAlreadyFiled means HMRC refused the POST with DUPLICATE_SUBMISSION: the period was
	// already filed, possibly by another tool.
	OutcomeAlreadyFiled = "already-filed"
)

// Intent is what is about to be sent, recorded before the POST so that an unknown outcome can be
// reconciled later and the evidence survives whatever happens to the workbook.
type Intent struct {
	// ID identifies the intent; use [NewID]. It is the key for RecordReceipt, MarkUnknown and ClearIntent.
	ID        string
	VRN       string
	PeriodKey string
	// PeriodStart, PeriodEnd and PeriodDue are the obligation's dates as YYYY-MM-DD (may be empty).
	PeriodStart, PeriodEnd, PeriodDue string
	Return                            vatreturn.Return
	Evidence                          Evidence
	ToolVersion                       string
	// CreatedAt defaults to the journal's clock when zero.
	CreatedAt time.Time
	Profile   string
	// Declaration says which of HMRC's declarations was shown and made: DeclarationBusiness,
	// DeclarationAgent, or "" in records from before vat recorded it.
	Declaration string
}

// The declarations a submission can be made under.
const (
	// DeclarationBusiness: the business declares its own return true and complete.
	DeclarationBusiness = "business"
	// DeclarationAgent: an agent declares that the client has seen and approved the return.
	DeclarationAgent = "agent"
)

// Evidence is the digital link from the submitted figures back to the workbook they came from.
type Evidence struct {
	WorkbookPath   string
	WorkbookSHA256 string
	Cells          []CellEvidence
	// Warnings are the reader's notes about the values (text numbers accepted, boxes computed...).
	Warnings []string
}

// CellEvidence records where one box came from.
type CellEvidence struct {
	Box     int
	Name    string // defined name, or empty for a plain cell reference from a mapping
	Sheet   string
	Cell    string
	Raw     string // the cell's value as stored (the cached result for a formula)
	Formula string
	// Computed is true when the box was derived by vat (box 3 or 5) rather than read from a cell.
	Computed bool
	Value    vatreturn.Money
}

// Receipt is HMRC's acknowledgement of a return, or what reconciliation established about it.
type Receipt struct {
	IntentID         string
	VRN, PeriodKey   string // default to the intent's when empty
	ProcessingDate   time.Time
	FormBundleNumber string
	PaymentIndicator string
	ChargeRefNumber  string
	ReceiptID        string // the Receipt-ID header
	ReceiptTimestamp string // the Receipt-Timestamp header, kept verbatim
	CorrelationID    string // the X-CorrelationId header
	Outcome          string // one of the Outcome constants
	// RecordedAt defaults to the journal's clock when zero.
	RecordedAt time.Time
}

// State is where an intent stands.
type State string

// States of an intent. Pending and Unknown are open: HMRC may or may not hold the return.
const (
	// StatePending: begun and never resolved, typically because the process died mid-submission.
	StatePending State = "pending"
	// StateUnknown: the POST was sent and its outcome is unknown (timeout, dropped connection, 5xx).
	StateUnknown State = "unknown"
	// StateReceipted: closed by a receipt.
	StateReceipted State = "receipted"
	// StateCleared: closed because reconciliation found HMRC had not received it. Only a receipt
	// can follow (see RecordReceipt).
	StateCleared State = "cleared"
)

// Open reports whether the state leaves the outcome undecided.
func (s State) Open() bool { return s == StatePending || s == StateUnknown }

// Event is a note in an intent's history after it began.
type Event struct {
	Type   string // "unknown" or "cleared"
	Reason string
	At     time.Time
}

// Entry is one submission as the journal knows it: the intent, its evidence and, once closed by a
// receipt, the receipt.
type Entry struct {
	Intent  Intent
	State   State
	Receipt *Receipt // nil unless State is StateReceipted
	Events  []Event
	// InFlight is true, for an open intent returned by Get, while a live process is sending it.
	InFlight bool
	// Orphan is true when the intent's own record could not be read (damaged journal) but a later
	// record refers to it; Intent then holds only what that record carried.
	Orphan bool
}
