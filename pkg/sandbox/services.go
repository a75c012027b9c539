package sandbox

// The Create Test User service catalogue and what each service enrols, following
// hmrc/api-platform-test-user: models/Service.scala (keys, display names and
// allowed user types, in its order), services/Generator.scala (which identifiers a
// service generates for each user type) and connectors/AuthLoginApiConnector.scala
// (which enrolment each service grants).

type serviceInfo struct {
	Key              string   `json:"key"`
	Name             string   `json:"name"`
	AllowedUserTypes []string `json:"allowedUserTypes"`
}

// services is the catalogue GET /create-test-user/services answers with
// (Services.all in Service.scala).
var services = []serviceInfo{
	{"national-insurance", "National Insurance", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"self-assessment", "Self Assessment", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"corporation-tax", "Corporation Tax", []string{"ORGANISATION"}},
	{"paye-for-employers", "PAYE for Employers", []string{"ORGANISATION"}},
	{"submit-vat-returns", "Submit VAT Returns", []string{"ORGANISATION"}},
	{"mtd-vat", "MTD VAT", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"mtd-income-tax", "MTD Income Tax", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"agent-services", "Agent Services", []string{"AGENT"}},
	{"lisa", "Lifetime ISA", []string{"ORGANISATION"}},
	{"secure-electronic-transfer", "Secure Electronic Transfer", []string{"ORGANISATION"}},
	{"relief-at-source", "Relief at Source", []string{"ORGANISATION"}},
	{"customs-services", "Customs Services", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"goods-vehicle-movements", "Goods Vehicle Services", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"import-control-system", "Import Control System", []string{"ORGANISATION"}},
	{"common-transit-convention-traders-legacy", "Common Transit Convention Traders Legacy", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"common-transit-convention-traders", "Common Transit Convention Traders", []string{"INDIVIDUAL", "ORGANISATION"}},
	{"safety-and-security", "Safety and Security", []string{"ORGANISATION"}},
	{"excise-movement-control-system", "Excise Movement Control System", []string{"ORGANISATION"}},
	{"modernisation-of-authorisations", "Modernisation of Authorisations", []string{"ORGANISATION"}},
	{"pillar-2", "Pillar 2", []string{"ORGANISATION", "AGENT"}},
}

// hiddenServiceKeys are keys ServiceKey.scala accepts although the catalogue does
// not list them.
var hiddenServiceKeys = map[string]bool{"tax-free-childcare-payments": true}

// knownService reports whether HMRC parses name as a service key at all; any other
// name fails the request body's JSON reads.
func knownService(name string) bool {
	if name == ServiceMTDVATMonthly || hiddenServiceKeys[name] {
		return true
	}
	for _, s := range services {
		if s.Key == name {
			return true
		}
	}
	return false
}

// vatServices lists, per user kind, the services Generator.scala gives a VRN for:
// an organisation gets one for submit-vat-returns or mtd-vat, an individual only for
// mtd-vat.
var vatServices = map[string][]string{
	"organisation": {"submit-vat-returns", "mtd-vat", ServiceMTDVATMonthly},
	"individual":   {"mtd-vat", ServiceMTDVATMonthly},
}

// generatesVRN reports whether service gives a user of kind a VRN.
func generatesVRN(kind, service string) bool { return contains(vatServices[kind], service) }

// hasMTDVAT reports whether the user holds HMRC-MTD-VAT. Only mtd-vat grants it:
// submit-vat-returns enrols the legacy HMCE-VATDEC-ORG, which vat-api's
// AuthorisedController does not accept, so such a user is refused with
// CLIENT_OR_AGENT_NOT_AUTHORISED.
func hasMTDVAT(u *userRec) bool {
	return u.VRN != "" && (contains(u.Services, "mtd-vat") || contains(u.Services, ServiceMTDVATMonthly))
}

// applicableServices keeps the services that apply to userType, in order. HMRC
// ignores the rest without a word (the user is created, 201): Generator.scala only
// acts on the keys it knows for that kind of user.
func applicableServices(names []string, userType string) []string {
	var out []string
	for _, n := range names {
		key := n
		if key == ServiceMTDVATMonthly {
			key = "mtd-vat"
		}
		for _, s := range services {
			if s.Key == key && contains(s.AllowedUserTypes, userType) && !contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}
