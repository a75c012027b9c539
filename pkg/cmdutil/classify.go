package cmdutil

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/httpsafe"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// classifiers map typed errors from the lower packages into kinds. They are tried in order
// after the cmdutil types; Classify in errors.go is their only caller.
var classifiers = []classifier{
	classifyFiling,
	classifyWorkbook,
	classifyAuth,
	classifyHMRC,
	classifyJournal,
	classifyNetwork,
}

// NetworkError is a request that never got a connection to its host: refused, no such host, a
// certificate not trusted. Its message is one sentence naming the host; the hint says what to
// check, and the root command adds the emulator's when the profile talks to it.
type NetworkError struct {
	Host    string
	Msg     string // the sentence, e.g. "cannot connect to HOST: the connection was refused"
	Refused bool
	Err     error
}

func (e *NetworkError) Error() string { return e.Msg }
func (e *NetworkError) Unwrap() error { return e.Err }

// classifyNetwork turns net/http's transport errors (Go's 'Post "…": dial tcp …: connection
// refused', repeated once per transport layer) into one sentence naming the host.
func classifyNetwork(err error) (*Error, bool) {
	host := failedHost(err)
	var dns *net.DNSError
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var op *net.OpError
	var problem string
	refused := false
	switch {
	case errors.As(err, &dns):
		problem := "its name could not be resolved (" + dns.Err + ")"
		if dns.IsNotFound {
			problem = "no such host"
		}
		if dns.Name != "" {
			host = dns.Name
		}
		ne := &NetworkError{Host: host, Msg: "cannot find " + host + ": " + problem, Err: err}
		return &Error{Kind: KindUnavailable, Err: ne,
			Hint: "check the network connection and DNS, and the address in --api-url or VAT_API_URL if you set one"}, true
	case errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) ||
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") || strings.Contains(err.Error(), "tls: "):
		problem := "the secure connection failed"
		switch {
		case errors.As(err, &ua):
			problem = "its certificate is signed by an authority this computer does not trust"
		case errors.As(err, &he):
			problem = "its certificate is for another host"
		case errors.As(err, &ci):
			problem = "its certificate is not valid (" + ci.Error() + ")"
		case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
			problem = "it speaks plain HTTP, not HTTPS"
		}
		ne := &NetworkError{Host: host, Msg: "no secure connection to " + host + ": " + problem, Err: err}
		return &Error{Kind: KindUnavailable, Err: ne,
			Hint: "check the computer's clock and any proxy or firewall that intercepts HTTPS, and the address in --api-url or VAT_API_URL if you set one"}, true
	case errors.Is(err, syscall.ECONNREFUSED):
		problem, refused = "the connection was refused", true
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		problem = "the network is unreachable"
	case errors.As(err, &op) && op.Op == "dial" && op.Timeout():
		problem = "no answer"
	case errors.As(err, &op) && op.Op == "dial":
		problem = op.Err.Error()
	default:
		return nil, false
	}
	ne := &NetworkError{Host: host, Msg: "cannot connect to " + host + ": " + problem, Refused: refused, Err: err}
	return &Error{Kind: KindUnavailable, Err: ne,
		Hint: "check the network connection (and the address in --api-url or VAT_API_URL if you set one), then try again"}, true
}

// failedHost names the host of the innermost HTTP request in err: when the token refresh inside
// an API call fails, that is the token endpoint's host.
func failedHost(err error) string {
	host := "HMRC"
	for e := err; e != nil; {
		var ue *url.Error
		if !errors.As(e, &ue) {
			break
		}
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			host = u.Host
		}
		e = ue.Err
	}
	return host
}

func classifyJournal(err error) (*Error, bool) {
	switch {
	case errors.Is(err, receipts.ErrInFlight):
		return &Error{Kind: KindUnknownOutcome, Err: err, Hint: "another vat process is sending this return right now: wait for it to finish, then run again"}, true
	case errors.Is(err, receipts.ErrOpenIntent):
		return &Error{Kind: KindUnknownOutcome, Err: err, Hint: "run 'vat submit' again: it asks HMRC whether the earlier attempt arrived before sending anything"}, true
	case errors.Is(err, receipts.ErrLocked):
		return &Error{Kind: KindFailure, Err: err, Hint: "another vat process holds the journal; try again when it has finished"}, true
	case errors.Is(err, receipts.ErrNewerSchema):
		return &Error{Kind: KindFailure, Err: err, Hint: "upgrade vat: this journal was written by a newer version"}, true
	}
	return nil, false
}

// Codes of vat's own for workbook problems HMRC has no code for, so that a script can tell
// them apart without reading the message.
const (
	CodeVRNMismatch = "VRN_MISMATCH" // the workbook's VRN name holds another business's number
)

// cellCode is a workbook problem's code: HMRC's for a breach of its rules (the code HMRC
// would answer with), vat's own where it has one, else "".
func cellCode(c *workbook.CellError) string {
	var p vatreturn.Problem
	switch {
	case errors.As(c, &p):
		return p.Code
	case errors.Is(c, vatreturn.ErrPrecision):
		return vatreturn.CodeInvalidAmount
	case errors.Is(c, ErrVRNMismatch):
		return CodeVRNMismatch
	}
	return ""
}

func classifyWorkbook(err error) (*Error, bool) {
	var probs *workbook.Problems
	if errors.As(err, &probs) {
		details := make([]Detail, len(probs.Cells))
		for i, c := range probs.Cells {
			details[i] = Detail{Box: c.Box, Name: c.Name, Sheet: c.Sheet, Cell: c.Cell, Code: cellCode(c), Message: c.Message}.WithText(c.Error())
			if c.Box >= 1 && c.Box <= 9 {
				details[i].Field = vatreturn.Boxes[c.Box-1].Field
			}
		}
		n := len(probs.Cells)
		return &Error{Kind: KindInvalidData, Err: fmt.Errorf("%s: %d problem%s; nothing was sent", probs.Path, n, plural(n)),
			Items: details, Hint: "fix the cells named above and run again"}, true
	}
	var vp vatreturn.Problems
	if errors.As(err, &vp) {
		details := make([]Detail, len(vp))
		for i, p := range vp {
			details[i] = Detail{Box: p.Box, Field: p.Field, Code: p.Code, Message: p.Message}.WithText(p.Error())
		}
		return &Error{Kind: KindInvalidData, Err: fmt.Errorf("the return breaks HMRC's rules; nothing was sent"), Items: details}, true
	}
	if errors.Is(err, workbook.ErrPasswordRequired) {
		return &Error{Kind: KindInvalidData, Err: err, Hint: "give the password with --password-env VAR (the name of an environment variable holding it)"}, true
	}
	var ce *workbook.CellError
	var fe *workbook.FileError
	if errors.As(err, &ce) || errors.As(err, &fe) || errors.Is(err, workbook.ErrWrongPassword) {
		return &Error{Kind: KindInvalidData, Err: err}, true
	}
	return nil, false
}

func classifyAuth(err error) (*Error, bool) {
	var (
		mismatch *auth.IssuerMismatchError
		scope    *auth.TokenScopeError
		redirect *httpsafe.RedirectError
	)
	switch {
	case errors.As(err, &mismatch):
		return &Error{Kind: KindAuth, Err: err, Hint: "the stored sign-in belongs to another HMRC environment or API URL: run 'vat login' with this --env / --api-url"}, true
	case errors.As(err, &scope), errors.As(err, &redirect):
		return &Error{Kind: KindFailure, Err: err, Hint: "check --api-url (and VAT_API_URL) and any proxy in between"}, true
	case errors.Is(err, auth.ErrReauthRequired):
		return &Error{Kind: KindAuth, Err: errors.New("HMRC no longer accepts the stored authority (it lasts 18 months, and a refresh token works once)"),
			Hint: "run 'vat login' to grant authority again"}, true
	case errors.Is(err, auth.ErrNotFound):
		return &Error{Kind: KindAuth, Err: errors.New("not logged in to HMRC for this profile"), Hint: "run 'vat login' first"}, true
	case errors.Is(err, auth.ErrAccessDenied):
		return &Error{Kind: KindAuth, Err: err, Hint: "run 'vat login' again and choose to grant authority"}, true
	case errors.Is(err, auth.ErrNoKeyring):
		return &Error{Kind: KindFailure, Err: err, Hint: "or unlock your desktop keyring and try again"}, true
	}
	var te *auth.TimeoutError
	if errors.As(err, &te) {
		return &Error{Kind: KindFailure, Err: err, Hint: "the OS keyring did not answer: unlock it, or use --token-store file on a headless machine"}, true
	}
	var oe *auth.OAuthError
	if errors.As(err, &oe) && oe.Status >= 500 {
		// HMRC's token endpoint failing is an outage; logging in again would not help.
		return &Error{Kind: KindUnavailable, Code: strings.ToUpper(oe.Code), Err: err, Hint: "HMRC's sign-in service is unavailable: try again later"}, true
	}
	if errors.As(err, &oe) {
		return &Error{Kind: KindAuth, Code: strings.ToUpper(oe.Code), Err: err, Hint: "run 'vat login' again; check the client ID and secret (VAT_CLIENT_ID, VAT_CLIENT_SECRET)"}, true
	}
	return nil, false
}

func classifyHMRC(err error) (*Error, bool) {
	if errors.Is(err, hmrc.ErrOutcomeUnknown) {
		return &Error{Kind: KindUnknownOutcome, Err: err,
			Hint: "HMRC may or may not have filed it. Run the same 'vat submit' again: it checks with HMRC first and never sends twice"}, true
	}
	var te *hmrc.TimeoutError
	if errors.As(err, &te) {
		return &Error{Kind: KindUnavailable, Err: te,
			Hint: fmt.Sprintf("try again later; on a slow connection allow longer with VAT_HTTP_TIMEOUT (now %s; a Go duration such as 2m)", te.After)}, true
	}
	var ae *hmrc.APIError
	if !errors.As(err, &ae) {
		if hmrc.IsAuth(err) {
			return &Error{Kind: KindAuth, Err: err, Hint: "run 'vat login'"}, true
		}
		return nil, false
	}
	code := ae.Code
	for _, fe := range ae.Errors {
		if fe.Code != "" {
			code = fe.Code
			break
		}
	}
	e := &Error{Code: code, Err: err, Hint: ae.Advice()}
	for _, fe := range ae.Errors {
		line := fe.Code
		if fe.Path != "" {
			line += " at " + fe.Path
		}
		if fe.Message != "" {
			line += ": " + fe.Message
		}
		d := Detail{Code: fe.Code, Message: fe.Message}.WithText(line)
		// HMRC names the field as a JSON pointer, "/vatDueSales".
		d.Field = strings.TrimPrefix(fe.Path, "/")
		for _, info := range vatreturn.Boxes {
			if info.Field == d.Field {
				d.Box = info.Number
			}
		}
		if d.Message == "" {
			d.Message = line
		}
		e.Items = append(e.Items, d)
	}
	switch {
	case hmrc.IsAuth(err):
		e.Kind = KindAuth
	case ae.Temporary():
		e.Kind = KindUnavailable
	case hmrc.IsRejected(err):
		e.Kind = KindRejected
	default:
		e.Kind = KindFailure
	}
	return e, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
