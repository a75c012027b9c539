package receipts

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// schemaVersion is written into every record. Readers refuse records with a higher version
// (ErrNewerSchema) instead of skipping them: a skipped intent could allow a duplicate submission.
const schemaVersion = 1

// Record types.
const (
	recIntent  = "intent"
	recUnknown = "unknown"
	recCleared = "cleared"
	recReceipt = "receipt"
)

// record is one line of journal.jsonl. The wire types below are separate from the exported ones
// so that renaming a Go field can never silently change the stored format.
type record struct {
	V        int          `json:"v"`
	Type     string       `json:"type"`
	At       time.Time    `json:"at"`
	IntentID string       `json:"intentId"`
	Reason   string       `json:"reason,omitempty"`
	Intent   *wireIntent  `json:"intent,omitempty"`
	Receipt  *wireReceipt `json:"receipt,omitempty"`
}

type wireIntent struct {
	ID          string `json:"id"`
	VRN         string `json:"vrn"`
	PeriodKey   string `json:"periodKey"`
	PeriodStart string `json:"periodStart,omitempty"`
	PeriodEnd   string `json:"periodEnd,omitempty"`
	PeriodDue   string `json:"periodDue,omitempty"`
	// Return is stored under HMRC's field names, so a person reading the journal sees what was sent.
	Return      vatreturn.Return `json:"return"`
	Evidence    wireEvidence     `json:"evidence"`
	ToolVersion string           `json:"toolVersion,omitempty"`
	CreatedAt   time.Time        `json:"createdAt"`
	Profile     string           `json:"profile,omitempty"`
	// Declaration is absent from records written before it existed; readers of any version
	// ignore fields they do not know, so adding it needs no new schema version.
	Declaration string `json:"declaration,omitempty"`
}

type wireEvidence struct {
	WorkbookPath   string     `json:"workbookPath,omitempty"`
	WorkbookSHA256 string     `json:"workbookSha256,omitempty"`
	Cells          []wireCell `json:"cells,omitempty"`
	Warnings       []string   `json:"warnings,omitempty"`
}

type wireCell struct {
	Box      int             `json:"box"`
	Name     string          `json:"name,omitempty"`
	Sheet    string          `json:"sheet,omitempty"`
	Cell     string          `json:"cell,omitempty"`
	Raw      string          `json:"raw,omitempty"`
	Formula  string          `json:"formula,omitempty"`
	Computed bool            `json:"computed,omitempty"`
	Value    vatreturn.Money `json:"value"`
}

type wireReceipt struct {
	IntentID         string    `json:"intentId"`
	VRN              string    `json:"vrn"`
	PeriodKey        string    `json:"periodKey"`
	ProcessingDate   time.Time `json:"processingDate"`
	FormBundleNumber string    `json:"formBundleNumber,omitempty"`
	PaymentIndicator string    `json:"paymentIndicator,omitempty"`
	ChargeRefNumber  string    `json:"chargeRefNumber,omitempty"`
	ReceiptID        string    `json:"receiptId,omitempty"`
	ReceiptTimestamp string    `json:"receiptTimestamp,omitempty"`
	CorrelationID    string    `json:"correlationId,omitempty"`
	Outcome          string    `json:"outcome"`
	RecordedAt       time.Time `json:"recordedAt"`
}

func toWireIntent(in Intent) *wireIntent {
	w := &wireIntent{
		ID: in.ID, VRN: in.VRN, PeriodKey: in.PeriodKey,
		PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, PeriodDue: in.PeriodDue,
		Return: in.Return,
		Evidence: wireEvidence{
			WorkbookPath:   in.Evidence.WorkbookPath,
			WorkbookSHA256: in.Evidence.WorkbookSHA256,
			Warnings:       in.Evidence.Warnings,
		},
		ToolVersion: in.ToolVersion,
		CreatedAt:   in.CreatedAt.UTC(),
		Profile:     in.Profile,
		Declaration: in.Declaration,
	}
	for _, c := range in.Evidence.Cells {
		w.Evidence.Cells = append(w.Evidence.Cells, wireCell(c))
	}
	return w
}

func (w *wireIntent) intent() Intent {
	in := Intent{
		ID: w.ID, VRN: w.VRN, PeriodKey: w.PeriodKey,
		PeriodStart: w.PeriodStart, PeriodEnd: w.PeriodEnd, PeriodDue: w.PeriodDue,
		Return: w.Return,
		Evidence: Evidence{
			WorkbookPath:   w.Evidence.WorkbookPath,
			WorkbookSHA256: w.Evidence.WorkbookSHA256,
			Warnings:       w.Evidence.Warnings,
		},
		ToolVersion: w.ToolVersion,
		CreatedAt:   w.CreatedAt,
		Profile:     w.Profile,
		Declaration: w.Declaration,
	}
	for _, c := range w.Evidence.Cells {
		in.Evidence.Cells = append(in.Evidence.Cells, CellEvidence(c))
	}
	return in
}

func toWireReceipt(r Receipt) *wireReceipt {
	w := wireReceipt(r)
	w.ProcessingDate = r.ProcessingDate.UTC()
	w.RecordedAt = r.RecordedAt.UTC()
	return &w
}

func (w *wireReceipt) receipt() Receipt { return Receipt(*w) }

// encode renders a record as one newline-terminated line.
func (r *record) encode() ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode %s record: %w", r.Type, err)
	}
	if len(b)+1 > maxRecordBytes {
		// Refuse now rather than write a line every reader would skip as damaged.
		return nil, fmt.Errorf("%w: %s record is %d bytes, more than the %d allowed", ErrInvalid, r.Type, len(b)+1, maxRecordBytes)
	}
	return append(b, '\n'), nil
}

// errDamaged marks a line that is not a readable record (a torn write, or foreign bytes).
var errDamaged = fmt.Errorf("damaged journal line")

// decodeRecord parses one line (without its newline).
func decodeRecord(line []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, errDamaged
	}
	if r.V > schemaVersion {
		return nil, fmt.Errorf("%w: record schema %d, this vat reads up to %d", ErrNewerSchema, r.V, schemaVersion)
	}
	if r.V < 1 || r.IntentID == "" {
		return nil, errDamaged
	}
	switch r.Type {
	case recIntent:
		if r.Intent == nil || r.Intent.ID != r.IntentID {
			return nil, errDamaged
		}
	case recReceipt:
		if r.Receipt == nil || r.Receipt.IntentID != r.IntentID {
			return nil, errDamaged
		}
	case recUnknown, recCleared:
	default:
		return nil, errDamaged
	}
	return &r, nil
}

// ReceiptJSON renders r as the journal line that records it (one JSON object and a newline), for
// showing a receipt that could not be written so that a person can keep it or append it to the
// journal.
func ReceiptJSON(r Receipt) ([]byte, error) {
	at := r.RecordedAt
	if at.IsZero() {
		at = time.Now()
	}
	rec := &record{V: schemaVersion, Type: recReceipt, At: at.UTC(), IntentID: r.IntentID, Receipt: toWireReceipt(r)}
	return rec.encode()
}
