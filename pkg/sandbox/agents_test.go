package sandbox

import (
	"testing"
)

func TestAuthoriseAgentOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	client := e.org()
	agent := e.user("agent", []string{"agent-services"}, "")
	tk := e.login(agent)
	app := e.appToken()
	path := "/organisations/vat/" + client.VRN + "/information"
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 403, bodyNotAuthed)

	auth := "/emulator/agents/" + agent.UserID + "/clients"
	e.do("POST", auth, "", `{"vrn":"`+client.VRN+`"}`, nil).expect(t, 401, `{"code":"MISSING_CREDENTIALS","message":"Authentication information is not provided"}`)
	e.do("POST", "/emulator/agents/"+client.UserID+"/clients", app, `{"vrn":"`+client.VRN+`"}`, nil).
		expect(t, 400, `{"code":"NOT_AN_AGENT","message":"That test user is not an agent: create one with --type agent"}`)
	e.do("POST", "/emulator/agents/000000000000/clients", app, `{"vrn":"`+client.VRN+`"}`, nil).
		expect(t, 404, `{"code":"USER_NOT_FOUND","message":"No test user has that user ID"}`)
	e.do("POST", auth, app, `{"vrn":"12345"}`, nil).expect(t, 400, `{"code":"VRN_INVALID","message":"The provided VRN is invalid"}`)
	e.do("POST", auth, app, `{"vrn":"`+client.VRN+`"}`, nil).expect(t, 204, "")

	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`)
}

func TestFaultForOneVRN(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	a, b := e.org(), e.org()
	f, err := ParseFault("information@" + b.VRN + "=503")
	if err != nil || f.VRN != b.VRN || f.String() != "information@"+b.VRN+"=503" {
		t.Fatalf("ParseFault: %+v %v", f, err)
	}
	if _, err := ParseFault("token@" + b.VRN + "=503"); err == nil {
		t.Error("a token fault for a VRN was accepted")
	}
	e.srv.InjectFault(f)
	ta, tb := e.login(a), e.login(b)
	if r := e.do("GET", "/organisations/vat/"+a.VRN+"/information", ta.AccessToken, "", nil); r.status != 200 {
		t.Fatalf("another VRN's request took the fault: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/organisations/vat/"+b.VRN+"/information", tb.AccessToken, "", nil); r.status != 503 {
		t.Fatalf("the VRN's request missed the fault: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/organisations/vat/"+b.VRN+"/information", tb.AccessToken, "", nil); r.status != 200 {
		t.Fatalf("the fault outlived its count: %d %s", r.status, r.body)
	}
}
