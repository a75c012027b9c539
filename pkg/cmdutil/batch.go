package cmdutil

import (
	"github.com/vatbridge/vat/pkg/batch"
)

// BatchExit is the exit code of a batch run whose worst outcome is worst; errs are the causes
// of the clients that ended with it. An HMRC error takes the code of its kind (5 refused,
// 6 unavailable), the more hopeful 6 only when every such client could simply be retried.
func BatchExit(worst batch.Outcome, errs []error) int {
	switch worst {
	case batch.Filed, batch.Ready, batch.NothingDue:
		return ExitOK
	case batch.WorkbookMissing, batch.InvalidWorkbook:
		return ExitInvalidData
	case batch.NotAuthorised:
		return ExitAuth
	case batch.OutcomeUnknown:
		return ExitUnknown
	}
	code := ExitUnavailable
	for _, err := range errs {
		switch Classify(err).Kind {
		case KindUnavailable:
		case KindRejected:
			code = ExitRejected
		default:
			if code != ExitRejected {
				code = ExitFailure
			}
		}
	}
	return code
}

// ErrorJSON is a client's failure in batch JSON output: the error document's body.
type ErrorJSON = ErrorBody

// ErrorJSONOf describes err as the JSON error document does.
func ErrorJSONOf(err error) *ErrorJSON {
	if err == nil {
		return nil
	}
	b := Classify(err).Doc().Error
	return &b
}

// SignInProblem says, once for a batch run, that the profile's sign-in failed and what to do:
// the message a person reads the morning after a cron run.
func SignInProblem(err error) string {
	e := Classify(err)
	msg := "HMRC did not accept this profile's sign-in, so no client could be reached: " + e.Err.Error()
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}
