package cmdutil

import (
	"errors"
	"fmt"

	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// classifyFiling gives the submission workflow's outcomes their exit codes and advice. It runs
// before classifyHMRC because several of these wrap HMRC's own errors.
func classifyFiling(err error) (*Error, bool) {
	var (
		nothing  *filing.NothingOpenError
		notEnded *filing.NotEndedError
		ambig    *filing.AmbiguousError
		noSuch   *filing.NoSuchPeriodError
		filed    *filing.AlreadyFiledError
		mismatch *filing.WorkbookMismatchError
		dup      *filing.DuplicateError
		unknown  *filing.UnknownOutcomeError
		unsaved  *filing.ReceiptNotSavedError
	)
	switch {
	case errors.As(err, &nothing):
		return &Error{Kind: KindFailure, Err: err, Hint: "see 'vat obligations --status all'"}, true
	case errors.As(err, &notEnded):
		return &Error{Kind: KindInvalidData, Code: hmrc.CodeTaxPeriodNotEnded, Err: err,
			Hint: "HMRC refuses a return for a period that has not ended (TAX_PERIOD_NOT_ENDED); file it from " + notEnded.Obligation.End.AddDays(1).String()}, true
	case errors.As(err, &ambig):
		return &Error{Kind: KindUsage, Err: err, Hint: "choose one with --period-key or --period-end, or add a PeriodEnd name to the workbook"}, true
	case errors.As(err, &noSuch):
		if noSuch.Key != "" {
			return &Error{Kind: KindUsage, Err: err, Hint: "see 'vat obligations' for the period keys HMRC expects"}, true
		}
		return &Error{Kind: KindInvalidData, Err: err, Hint: "check the period end (" + noSuch.From + ")"}, true
	case errors.As(err, &filed):
		hint := fmt.Sprintf("see it with 'vat returns %s'", filed.Obligation.PeriodKey)
		if len(filed.Open) == 1 {
			o := filed.Open[0]
			hint = fmt.Sprintf("to file the open period %s to %s, make the workbook's PeriodEnd %s (or pass --period-key %s); %s", o.Start, o.End, o.End, o.PeriodKey, hint)
		}
		return &Error{Kind: KindRejected, Code: hmrc.CodeDuplicateSubmission, Err: err, Hint: hint}, true
	case errors.As(err, &mismatch):
		return &Error{Kind: KindInvalidData, Err: err, Hint: "check the workbook is for this period"}, true
	case errors.As(err, &dup):
		e := &Error{Kind: KindRejected, Code: hmrc.CodeDuplicateSubmission, Err: err,
			Hint: fmt.Sprintf("see it with 'vat returns %s'. To correct a filed return, tell HMRC of the error (VAT652 or the next return's adjustment)", dup.Intent.PeriodKey)}
		if dup.Held != nil {
			e.Items = CompareBoxes(dup.Intent.Return, *dup.Held)
		}
		return e, true
	case errors.As(err, &unknown) && unknown.Sent:
		return &Error{Kind: KindUnknownOutcome, Code: "OUTCOME_UNKNOWN", Err: err,
			Hint: "HMRC may or may not have filed it. Run the same 'vat submit' again: it asks HMRC first and never sends twice"}, true
	case errors.As(err, &unknown):
		return &Error{Kind: KindUnknownOutcome, Code: "OUTCOME_UNKNOWN", Err: err,
			Hint: "nothing was sent. Try again when HMRC answers; vat will not send a second return while the first may have been accepted"}, true
	case errors.As(err, &unsaved):
		return &Error{Kind: KindFailure, Code: "RECEIPT_NOT_SAVED", Err: err,
			Hint: "the return IS filed. HMRC's receipt is printed above as JSON: save it (e.g. paste it into a file) and keep it; then free space or fix the config dir and run 'vat receipts' to record what HMRC holds"}, true
	}
	return nil, false
}

// CompareBoxes lists the nine boxes of the return in the workbook beside the one HMRC holds,
// marking each that differs.
func CompareBoxes(ours, held vatreturn.Return) []Detail {
	out := TextDetails(fmt.Sprintf("the return HMRC holds %s the one in this workbook", map[bool]string{true: "matches", false: "DIFFERS from"}[ours == held]))
	for _, info := range vatreturn.Boxes {
		a, b := ours.Box(info.Number), held.Box(info.Number)
		mark, code := "", "SAME"
		if a != b {
			mark, code = "  <- differs", "DIFFERS"
		}
		out = append(out, Detail{Box: info.Number, Field: info.Field, Code: code,
			Message: fmt.Sprintf("workbook %s, HMRC holds %s", a, b)}.
			WithText(fmt.Sprintf("box %d %-28s workbook %14s   HMRC holds %14s%s", info.Number, info.Field, a.GBP(), b.GBP(), mark)))
	}
	return out
}
