package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// TestUser is a sandbox user as the Create Test User API returns it. Stagger is an
// emulator extension: "quarterly" (the default) or "monthly".
type TestUser struct {
	UserID              string `json:"userId"`
	Password            string `json:"password,omitempty"`
	UserFullName        string `json:"userFullName"`
	EmailAddress        string `json:"emailAddress"`
	AffinityGroup       string `json:"affinityGroup"`
	VRN                 string `json:"vrn,omitempty"`
	VATRegistrationDate string `json:"vatRegistrationDate,omitempty"`
	ARN                 string `json:"agentServicesAccountNumber,omitempty"` // agents enrolled in agent-services
	GroupIdentifier     string `json:"groupIdentifier,omitempty"`
	Stagger             string `json:"stagger,omitempty"`
}

// Errors CreateUser and AuthoriseAgent return.
var (
	ErrUnknownUserKind = errors.New("sandbox: unknown user kind")
	ErrUnknownService  = errors.New("sandbox: unknown service name")
	ErrUnknownUser     = errors.New("sandbox: no such user")
	ErrNotAgent        = errors.New("sandbox: user is not an agent")
)

// Service names beyond HMRC's that the emulator understands.
const (
	// ServiceMTDVATMonthly is mtd-vat with monthly rather than quarterly returns.
	ServiceMTDVATMonthly = "mtd-vat-monthly"
)

var (
	firstNames = []string{"Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Kira", "Leo"}
	lastNames  = []string{"Patel", "Smith", "Jones", "Khan", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts"}
	streets    = []string{"High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road"}
	towns      = []string{"Leeds", "Bristol", "Norwich", "Derby", "Bangor", "Stirling", "Lisburn", "Exeter"}
	orgWords   = []string{"Widgets", "Bakery", "Joinery", "Consulting", "Logistics", "Print", "Garden Supplies"}
)

func pick(list []string) string { return list[randUint64()%uint64(len(list))] }

// CreateUser creates a test user as POST /create-test-user/{kind}s does. kind is
// "organisation", "individual" or "agent". With "mtd-vat" (or "mtd-vat-monthly")
// the user gets a VRN and a registration date 1 to 20 years ago.
func (s *Server) CreateUser(kind string, serviceNames []string) (TestUser, error) {
	u, _, err := s.createUser(kind, serviceNames)
	return u, err
}

func (s *Server) createUser(kind string, serviceNames []string) (TestUser, map[string]any, error) {
	userType := map[string]string{"organisation": "ORGANISATION", "individual": "INDIVIDUAL", "agent": "AGENT"}[kind]
	if userType == "" {
		return TestUser{}, nil, fmt.Errorf("%w %q", ErrUnknownUserKind, kind)
	}
	for _, n := range serviceNames {
		if !knownService(n) {
			return TestUser{}, nil, fmt.Errorf("%w %q", ErrUnknownService, n)
		}
	}
	serviceNames = applicableServices(serviceNames, userType)
	now := s.now()
	first, last := pick(firstNames), pick(lastNames)
	tu := TestUser{
		UserID:          randDigits(12),
		Password:        randAlnum(12, alnum),
		UserFullName:    first + " " + last,
		GroupIdentifier: randDigits(12),
		AffinityGroup:   map[string]string{"ORGANISATION": "Organisation", "INDIVIDUAL": "Individual", "AGENT": "Agent"}[userType],
	}
	tu.EmailAddress = strings.ToLower(first+"."+last) + "@example.com"
	body := map[string]any{}
	addr := map[string]string{
		"line1":    fmt.Sprintf("%d %s", 1+randUint64()%200, pick(streets)),
		"line2":    pick(towns),
		"postcode": fmt.Sprintf("TS%d %d%s", 1+randUint64()%20, randUint64()%10, strings.ToUpper(randAlnum(2, "abdefghjlnpqrstuwxyz"))),
	}
	dob := now.AddDate(-20-int(randUint64()%50), 0, -int(randUint64()%365))
	// Organisations carry the named person's details too (Generator.scala).
	individual := map[string]any{"firstName": first, "lastName": last, "dateOfBirth": fmtDate(dob), "address": addr}
	body["groupIdentifier"] = tu.GroupIdentifier
	switch userType {
	case "ORGANISATION":
		body["organisationDetails"] = map[string]any{"name": "Company " + strings.ToUpper(randAlnum(6, "abcdefghijklmnopqrstuvwxyz")) + " " + pick(orgWords) + " Ltd", "address": addr}
		body["individualDetails"] = individual
	case "INDIVIDUAL":
		body["individualDetails"] = individual
	case "AGENT":
		// Only agent-services makes an Agent Services account (and HMRC-AS-AGENT).
		if contains(serviceNames, "agent-services") {
			tu.ARN = "XARN" + randDigits(7)
			body["agentServicesAccountNumber"] = tu.ARN
			body["agentCode"] = randDigits(10)
		}
	}
	for _, n := range serviceNames {
		switch n {
		case "mtd-vat", "submit-vat-returns", ServiceMTDVATMonthly:
			if !generatesVRN(kind, n) {
				continue
			}
			if tu.VRN == "" {
				tu.VRN = newVRN()
				years := 1 + int(randUint64()%20)
				tu.VATRegistrationDate = fmtDate(now.AddDate(-years, 0, -int(randUint64()%365)))
				tu.Stagger = "quarterly"
			}
			if n == ServiceMTDVATMonthly {
				tu.Stagger = "monthly"
			}
		case "corporation-tax":
			body["ctUtr"] = randDigits(10)
		case "self-assessment":
			body["saUtr"] = randDigits(10)
		case "national-insurance", "mtd-income-tax":
			body["nino"] = "AA" + randDigits(6) + "A"
			if n == "mtd-income-tax" {
				body["mtdItId"] = "XH" + strings.ToUpper(randAlnum(1, "abcdefghijklmnopqrstuvwxyz")) + "IT" + randDigits(10)
			}
		case "paye-for-employers":
			body["empRef"] = randDigits(3) + "/" + strings.ToUpper(randAlnum(2, "abcdefghijklmnopqrstuvwxyz")) + randDigits(5)
		case "customs-services", "goods-vehicle-movements", "common-transit-convention-traders", "import-control-system":
			body["eoriNumber"] = "GB" + randDigits(12)
		}
	}
	salt := newSecret()[:16]
	rec := &userRec{
		TestUser: tu, Kind: kind, Salt: salt, PasswordHash: hashPassword(salt, tu.Password),
		Services: append([]string(nil), serviceNames...), Created: now,
	}
	rec.Password = ""
	s.mu.Lock()
	for _, taken := s.st.Users[rec.UserID]; taken; _, taken = s.st.Users[rec.UserID] {
		rec.UserID = randDigits(12)
		tu.UserID = rec.UserID
	}
	s.st.Users[rec.UserID] = rec
	s.persistLocked()
	s.mu.Unlock()
	return tu, body, nil
}

// AuthoriseAgent lets the agent act for vrn, as a client's authorisation through
// Agent Services does.
func (s *Server) AuthoriseAgent(agentUserID, vrn string) error {
	if !vrnPattern.MatchString(vrn) {
		return fmt.Errorf("sandbox: invalid vrn %q", vrn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.Users[agentUserID]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownUser, agentUserID)
	}
	if u.Kind != "agent" {
		return fmt.Errorf("%w: %q", ErrNotAgent, agentUserID)
	}
	if !contains(u.Clients, vrn) {
		u.Clients = append(u.Clients, vrn)
		s.persistLocked()
	}
	return nil
}

// userByVRN finds the business that owns vrn; the caller holds s.mu.
func (s *Server) userByVRNLocked(vrn string) *userRec {
	for _, u := range s.st.Users {
		if u.VRN == vrn && u.Kind != "agent" {
			return u
		}
	}
	return nil
}

// newUserSpec is Options.NewUsers for the next business the API makes: a kind of history
// becomes the first VRN of that kind no business has yet, so that every call makes one.
func (s *Server) newUserSpec() UserSpec {
	spec := s.opts.NewUsers
	if spec.History == "" {
		return spec
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := 0; ; n++ {
		vrn, err := VRNWithHistory(spec.History, n)
		if err != nil {
			return spec // an unknown kind: createUserWith says so
		}
		if s.userByVRNLocked(vrn) == nil {
			spec.History, spec.VRN = "", vrn
			return spec
		}
	}
}

type createUserRequest struct {
	ServiceNames []string `json:"serviceNames"`
}

func (s *Server) handleCreateTestUser(w http.ResponseWriter, r *http.Request, c *call) {
	kind := strings.TrimSuffix(c.params[0], "s")
	var req createUserRequest
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", "The request body could not be read")
		return
	}
	if len(strings.TrimSpace(string(b))) > 0 {
		if err := json.Unmarshal(b, &req); err != nil {
			writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", "Invalid JSON payload")
			return
		}
	}
	if len(req.ServiceNames) > 64 {
		writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", "Too many service names")
		return
	}
	var tu TestUser
	var extra map[string]any
	if s.opts.NewUsers != (UserSpec{}) && kind != "agent" && (contains(req.ServiceNames, "mtd-vat") || contains(req.ServiceNames, "submit-vat-returns") || contains(req.ServiceNames, ServiceMTDVATMonthly)) {
		tu, extra, err = s.createUserWith(kind, req.ServiceNames, s.newUserSpec())
		if err != nil && !errors.Is(err, ErrUnknownService) {
			writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
			return
		}
	} else {
		tu, extra, err = s.createUser(kind, req.ServiceNames)
	}
	if err != nil {
		writeUnknownServicePlain(w, kind, req.ServiceNames)
		return
	}
	out := map[string]any{
		"userId": tu.UserID, "password": tu.Password, "userFullName": tu.UserFullName, "emailAddress": tu.EmailAddress,
	}
	for k, v := range extra {
		out[k] = v
	}
	if tu.VRN != "" {
		out["vrn"] = tu.VRN
		out["vatRegistrationDate"] = tu.VATRegistrationDate
	}
	writeJSON(w, http.StatusCreated, out)
}

// writeUnknownServicePlain answers a service name HMRC cannot parse the way
// TestUserController.scala's withJsonBody does: a plain-text 400 naming the payload
// class and Play's JSON errors. The status and content type follow the code; the
// wording of the error list is approximate.
func writeUnknownServicePlain(w http.ResponseWriter, kind string, names []string) {
	class := "CreateUserWithOptionalRequestParams"
	if kind == "agent" {
		class = "CreateUserRequest"
	}
	var errs []string
	for i, n := range names {
		if !knownService(n) {
			errs = append(errs, fmt.Sprintf("(/serviceNames(%d),List(JsonValidationError(List(%s is not a valid Service Key),ArraySeq())))", i, n))
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = fmt.Fprintf(w, "Invalid %s payload: List(%s)", class, strings.Join(errs, ", "))
}

func (s *Server) handleServices(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, services)
}

// userStagger returns "monthly" or "quarterly".
func userStagger(u *userRec) string {
	if u.Stagger == "monthly" {
		return "monthly"
	}
	return "quarterly"
}

func regDate(u *userRec) (time.Time, bool) {
	return parseDate(u.VATRegistrationDate)
}
