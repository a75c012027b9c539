package hmrc

import (
	"context"
	"net/http"
)

// Create Test User services a VAT tool needs.
const (
	// ServiceMTDVAT gives an organisation or individual a VRN and enrols it for MTD VAT
	// (HMRC-MTD-VAT). "submit-vat-returns" is not a substitute: it enrols only the legacy
	// HMCE-VATDEC-ORG, and the VAT (MTD) API refuses such a user (403
	// CLIENT_OR_AGENT_NOT_AUTHORISED).
	ServiceMTDVAT = "mtd-vat"
	// ServiceAgentServices gives an agent its Agent Services account (ARN), without which it
	// cannot act for clients.
	ServiceAgentServices = "agent-services"
)

// DefaultTestServices returns the services a test user of kind ("organisation", "individual"
// or "agent") needs to use the VAT (MTD) API. HMRC silently ignores services that do not apply
// to the kind, so an agent asked for with mtd-vat would come back without an ARN.
func DefaultTestServices(kind string) []string {
	if kind == "agent" {
		return []string{ServiceAgentServices}
	}
	return []string{ServiceMTDVAT}
}

// TestUser is a sandbox user made by HMRC's Create Test User API. Only the fields that apply to
// the user's kind and requested services are set.
type TestUser struct {
	UserID              string               `json:"userId"`
	Password            string               `json:"password"`
	UserFullName        string               `json:"userFullName,omitempty"`
	EmailAddress        string               `json:"emailAddress,omitempty"`
	OrganisationDetails *OrganisationDetails `json:"organisationDetails,omitempty"`
	IndividualDetails   *IndividualDetails   `json:"individualDetails,omitempty"`
	VRN                 string               `json:"vrn,omitempty"`
	VATRegistrationDate Date                 `json:"vatRegistrationDate,omitzero"`
	// ARN is an agent's Agent Services Account number.
	ARN       string `json:"agentServicesAccountNumber,omitempty"`
	AgentCode string `json:"agentCode,omitempty"`
	// GroupIdentifier is the user's Government Gateway group.
	GroupIdentifier string `json:"groupIdentifier,omitempty"`
	SAUTR           string `json:"saUtr,omitempty"`
	NINO            string `json:"nino,omitempty"`
	EmpRef          string `json:"empRef,omitempty"`
	CTUTR           string `json:"ctUtr,omitempty"`
	MTDITID         string `json:"mtdItId,omitempty"`
	EORI            string `json:"eoriNumber,omitempty"`
	CRN             string `json:"crn,omitempty"`
}

// OrganisationDetails names a test organisation.
type OrganisationDetails struct {
	Name    string       `json:"name"`
	Address *TestAddress `json:"address,omitempty"`
}

// IndividualDetails names a test individual.
type IndividualDetails struct {
	FirstName   string       `json:"firstName"`
	LastName    string       `json:"lastName"`
	DateOfBirth Date         `json:"dateOfBirth,omitzero"`
	Address     *TestAddress `json:"address,omitempty"`
}

// TestAddress is a test user's address.
type TestAddress struct {
	Line1    string `json:"line1,omitempty"`
	Line2    string `json:"line2,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// TestService is one service Create Test User can enrol a user in.
type TestService struct {
	Key              string   `json:"key"`
	Name             string   `json:"name"`
	AllowedUserTypes []string `json:"allowedUserTypes"`
}

type createTestUserRequest struct {
	ServiceNames []string `json:"serviceNames"`
}

// CreateTestOrganisation creates a sandbox organisation enrolled in serviceNames (use
// ServiceMTDVAT for a VAT business). The client's token must be an application token
// (client_credentials).
//
// POST /create-test-user/organisations.
func (c *Client) CreateTestOrganisation(ctx context.Context, serviceNames []string) (*TestUser, *Response, error) {
	return c.createTestUser(ctx, "organisations", serviceNames)
}

// CreateTestIndividual creates a sandbox individual enrolled in serviceNames.
//
// POST /create-test-user/individuals.
func (c *Client) CreateTestIndividual(ctx context.Context, serviceNames []string) (*TestUser, *Response, error) {
	return c.createTestUser(ctx, "individuals", serviceNames)
}

// CreateTestAgent creates a sandbox agent. It gets an Agent Services Account (ARN) only when
// serviceNames include ServiceAgentServices (see DefaultTestServices); HMRC ignores services
// meant for other kinds of user.
//
// POST /create-test-user/agents.
func (c *Client) CreateTestAgent(ctx context.Context, serviceNames []string) (*TestUser, *Response, error) {
	return c.createTestUser(ctx, "agents", serviceNames)
}

func (c *Client) createTestUser(ctx context.Context, kind string, serviceNames []string) (*TestUser, *Response, error) {
	if serviceNames == nil {
		serviceNames = []string{}
	}
	var u TestUser
	// Creating a user is not idempotent (a retry after a lost reply makes a second user), but a
	// spare sandbox user harms no one, so it is retried like a GET.
	resp, err := c.do(ctx, call{method: http.MethodPost, path: "/create-test-user/" + kind,
		body: createTestUserRequest{ServiceNames: serviceNames}, idempotent: true}, &u)
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}

// TestServices lists the services test users can be enrolled in.
//
// GET /create-test-user/services.
func (c *Client) TestServices(ctx context.Context) ([]TestService, *Response, error) {
	var s []TestService
	resp, err := c.do(ctx, call{method: http.MethodGet, path: "/create-test-user/services", idempotent: true}, &s)
	if err != nil {
		return nil, resp, err
	}
	return s, resp, nil
}
