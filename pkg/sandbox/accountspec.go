package sandbox

import (
	"errors"
	"fmt"
)

// Kinds of account history a test business can have (see HistoryKind).
const (
	HistoryPunctual    = histPunctual    // every return on time, every debit collected when due
	HistoryLatePayer   = histLatePayer   // one or two debits paid late: late payment penalties posted, interest
	HistoryLateFiler   = histLateFiler   // one or two returns filed late: late submission points
	HistorySerialFiler = histSerialFiler // four or five late returns: the threshold and £200 penalty charges
	HistoryArrears     = histArrears     // the latest debit unpaid: penalties and interest accruing
)

// HistoryKinds lists the kinds, most common first.
var HistoryKinds = []string{HistoryPunctual, HistoryLatePayer, HistoryLateFiler, HistorySerialFiler, HistoryArrears}

// HistoryKind reports the kind of history the emulator gives the business with
// this VRN.
func HistoryKind(vrn string) string { return histKind(vrn) }

// VRNWithHistory returns a valid VRN (HMRC's mod-97 check) whose business has
// the given kind of history; the same VRN on every call. The n-th (from 0) such
// VRN is returned, so that one test can have several.
func VRNWithHistory(kind string, n int) (string, error) {
	if !contains(HistoryKinds, kind) {
		return "", fmt.Errorf("sandbox: unknown history kind %q", kind)
	}
	for i := 1000000; i < 10000000; i++ {
		var base [7]int
		for j, k := 0, i; j < 7; j++ {
			base[6-j] = k % 10
			k /= 10
		}
		vrn := fmt.Sprintf("%07d%02d", i, vrnCheckDigits(base, 0))
		if histKind(vrn) == kind {
			if n == 0 {
				return vrn, nil
			}
			n--
		}
	}
	return "", fmt.Errorf("sandbox: no VRN with history %q", kind)
}

// UserSpec fixes what CreateUser otherwise draws at random, so that tests and
// documentation can rely on a business's account.
type UserSpec struct {
	VRN                 string // "" = random (or chosen by History); nine digits
	VATRegistrationDate string // "" = random; YYYY-MM-DD, not after today
	History             string // "" = whatever the VRN gives; else a History* kind, VRN must be ""
}

// ErrVRNTaken is returned when a UserSpec names a VRN another business has.
var ErrVRNTaken = errors.New("sandbox: VRN already belongs to a test user")

// CreateUserWith is CreateUser with some of the user fixed by spec. The
// history of the business follows from its VRN, registration date and stagger
// and the time it is created.
func (s *Server) CreateUserWith(kind string, serviceNames []string, spec UserSpec) (TestUser, error) {
	tu, _, err := s.createUserWith(kind, serviceNames, spec)
	return tu, err
}

// createUserWith is CreateUserWith that also returns the rest of the Create Test User API's
// answer (organisation details and the like).
func (s *Server) createUserWith(kind string, serviceNames []string, spec UserSpec) (TestUser, map[string]any, error) {
	vrn := spec.VRN
	switch {
	case spec.History != "" && vrn != "":
		return TestUser{}, nil, errors.New("sandbox: give a VRN or a history kind, not both")
	case spec.History != "":
		v, err := VRNWithHistory(spec.History, 0)
		if err != nil {
			return TestUser{}, nil, err
		}
		vrn = v
	case vrn != "" && !vrnPattern.MatchString(vrn):
		return TestUser{}, nil, fmt.Errorf("sandbox: invalid vrn %q", vrn)
	}
	if d := spec.VATRegistrationDate; d != "" {
		t, ok := parseDate(d)
		if !ok || t.After(dateOnly(s.now())) {
			return TestUser{}, nil, fmt.Errorf("sandbox: invalid VAT registration date %q", d)
		}
	}
	vat := contains(serviceNames, "mtd-vat") || contains(serviceNames, "submit-vat-returns") || contains(serviceNames, ServiceMTDVATMonthly)
	if !vat && spec != (UserSpec{}) {
		return TestUser{}, nil, errors.New("sandbox: a VRN, registration date or history needs a VAT service")
	}
	tu, extra, err := s.createUser(kind, serviceNames)
	if err != nil || tu.VRN == "" {
		return tu, extra, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if vrn != "" && s.userByVRNLocked(vrn) != nil {
		delete(s.st.Users, tu.UserID)
		s.persistLocked()
		return TestUser{}, nil, fmt.Errorf("%w: %s", ErrVRNTaken, vrn)
	}
	u := s.st.Users[tu.UserID]
	if vrn != "" {
		u.VRN, tu.VRN = vrn, vrn
	}
	if spec.VATRegistrationDate != "" {
		u.VATRegistrationDate, tu.VATRegistrationDate = spec.VATRegistrationDate, spec.VATRegistrationDate
	}
	s.persistLocked()
	return tu, extra, nil
}
