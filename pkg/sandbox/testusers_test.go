package sandbox

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"
)

func TestCreateTestUserAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	app := e.appToken()
	r := e.do("POST", "/create-test-user/organisations", app, `{"serviceNames":["mtd-vat","corporation-tax"]}`, nil)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	str := func(k string) string { s, _ := got[k].(string); return s }
	if !regexp.MustCompile(`^\d{12}$`).MatchString(str("userId")) || !regexp.MustCompile(`^[a-z0-9]{12}$`).MatchString(str("password")) {
		t.Errorf("credentials %q %q", str("userId"), str("password"))
	}
	if !ValidVRN(str("vrn")) || str("ctUtr") == "" || got["organisationDetails"] == nil {
		t.Errorf("identifiers: %s", r.body)
	}
	reg, ok := parseDate(str("vatRegistrationDate"))
	if !ok || reg.After(testNow.AddDate(-1, 0, 0)) || reg.Before(testNow.AddDate(-21, 0, 0)) {
		t.Errorf("vatRegistrationDate %q", str("vatRegistrationDate"))
	}
	// The new user can sign in and reach its own VRN.
	u := TestUser{UserID: str("userId"), Password: str("password"), VRN: str("vrn")}
	tk := e.login(u)
	if r := e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?status=O", tk.AccessToken, "", nil); r.status != 200 {
		t.Errorf("obligations for a new user: %d %s", r.status, r.body)
	}

	tests := []struct {
		name, path, body string
		status           int
	}{
		{"individual without body", "/create-test-user/individuals", "", 201},
		{"agent", "/create-test-user/agents", `{"serviceNames":["agent-services"]}`, 201},
		{"unknown service", "/create-test-user/organisations", `{"serviceNames":["time-travel"]}`, 400},
		{"service not for agents is ignored", "/create-test-user/agents", `{"serviceNames":["mtd-vat"]}`, 201},
		{"bad json", "/create-test-user/organisations", `{`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.do("POST", tt.path, app, tt.body, nil); r.status != tt.status {
				t.Errorf("%d %s", r.status, r.body)
			}
		})
	}
	e.do("POST", "/create-test-user/organisations", "", `{}`, nil).expect(t, 401, bodyMissingCreds)
	e.do("POST", "/create-test-user/organisations", app, `{}`, map[string]string{"Accept": "application/json"}).expect(t, 406, bodyAccept)
	if r := e.do("GET", "/create-test-user/services", app, "", nil); r.status != 200 || !regexp.MustCompile(`"key":"mtd-vat"`).MatchString(r.body) {
		t.Errorf("services: %d %s", r.status, r.body)
	}
}

func TestCreateUserGoAPI(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil || !ValidVRN(u.VRN) || u.AffinityGroup != "Organisation" || u.Stagger != "quarterly" || u.Password == "" {
		t.Errorf("CreateUser = %+v, %v", u, err)
	}
	if _, err := s.CreateUser("robot", nil); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := s.CreateUser("organisation", []string{"nope"}); err == nil {
		t.Error("unknown service accepted")
	}
}

func TestVRN(t *testing.T) {
	t.Parallel()
	for vrn, want := range map[string]bool{"123456782": true, "123456783": false, "12345678": false, "12345678a": false} {
		if got := ValidVRN(vrn); got != want {
			t.Errorf("ValidVRN(%s) = %v", vrn, got)
		}
	}
	for range 1000 {
		if v := newVRN(); !ValidVRN(v) || v[0] == '0' {
			t.Fatalf("newVRN() = %s", v)
		}
	}
}

// Options.NewUsers fixes what the Create Test User API draws: each business gets the history
// and registration date asked for, and a VRN of its own.
func TestCreateTestUserAPIWithFixedNewUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{NewUsers: UserSpec{History: HistoryPunctual, VATRegistrationDate: "2015-06-15"}})
	app := e.appToken()
	seen := map[string]bool{}
	for range 2 {
		r := e.do("POST", "/create-test-user/organisations", app, `{"serviceNames":["mtd-vat"]}`, nil)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var got struct {
			VRN                 string         `json:"vrn"`
			VATRegistrationDate string         `json:"vatRegistrationDate"`
			OrganisationDetails map[string]any `json:"organisationDetails"`
		}
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err)
		}
		if HistoryKind(got.VRN) != HistoryPunctual || got.VATRegistrationDate != "2015-06-15" || seen[got.VRN] || got.OrganisationDetails == nil {
			t.Errorf("business %s", r.body)
		}
		seen[got.VRN] = true
	}
	// An individual without VAT, or an agent, is made as ever.
	if r := e.do("POST", "/create-test-user/individuals", app, `{"serviceNames":["national-insurance"]}`, nil); r.status != 201 {
		t.Errorf("individual: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/create-test-user/agents", app, `{"serviceNames":["agent-services"]}`, nil); r.status != 201 {
		t.Errorf("agent: %d %s", r.status, r.body)
	}
}
