package sandbox

import (
	"encoding/json"
	"fmt"
	"testing"
)

func legacy(code string) string { return fmt.Sprintf(`{"statusCode":400,"message":"%s"}`, code) }

func TestObligationsQueryValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	tests := []struct {
		query string
		body  string
	}{
		{"", legacy("INVALID_DATE_FROM")},
		{"status=F", legacy("MISSING_DATE_RANGE")},
		{"status=X", legacy("INVALID_STATUS")},
		{"status=", legacy("INVALID_STATUS")},
		{"from=2026-01-01", legacy("INVALID_DATE_TO")},
		{"to=2026-01-01", legacy("INVALID_DATE_FROM")},
		{"from=2026-13-01&to=2026-12-01", legacy("INVALID_DATE_FROM")},
		{"from=2017-02-30&to=2017-12-01", legacy("INVALID_DATE_FROM")},
		{"from=2026-01-01&to=26-12-01", legacy("INVALID_DATE_TO")},
		{"from=bad&to=bad&status=X", legacy("INVALID_DATE_FROM")},
		{"from=2026-01-01&to=2026-06-01&status=o", legacy("INVALID_STATUS")},
		{"from=2026-01-01&to=2026-01-01", legacy("INVALID_DATE_RANGE")},
		{"from=2026-06-01&to=2026-01-01", legacy("INVALID_DATE_RANGE")},
		{"from=2025-01-01&to=2026-01-02", legacy("INVALID_DATE_RANGE")},
		{"from=2024-02-29&to=2025-03-01", legacy("INVALID_DATE_RANGE")}, // java.time: plus a year is 2025-02-28
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?"+tt.query, tk.AccessToken, "", nil).expect(t, 400, tt.body)
		})
	}
	// The longest window passes: to = from + 1 year.
	if r := e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?from=2025-11-01&to=2026-11-01", tk.AccessToken, "", nil); r.status != 200 {
		t.Errorf("one-year window: %d %s", r.status, r.body)
	}
}

func TestObligationsStateful(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org() // registered 2020-01-15, quarterly, joined 2026-11-24
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN + "/obligations?"
	q3 := `{"start":"2026-07-01","end":"2026-09-30","due":"2026-11-07","status":"O","periodKey":"26A3"}`
	q4 := `{"start":"2026-10-01","end":"2026-12-31","due":"2027-02-07","status":"O","periodKey":"26A4"}`
	q1 := `{"start":"2026-01-01","end":"2026-03-31","due":"2026-05-07","status":"F","periodKey":"26A1","received":"2026-05-06"}`
	q2 := `{"start":"2026-04-01","end":"2026-06-30","due":"2026-08-07","status":"F","periodKey":"26A2","received":"2026-08-06"}`
	tests := []struct {
		query string
		body  string
	}{
		{"status=O", `{"obligations":[` + q3 + `,` + q4 + `]}`},
		{"from=2026-01-01&to=2026-12-31", `{"obligations":[` + q1 + `,` + q2 + `,` + q3 + `,` + q4 + `]}`},
		{"from=2026-01-01&to=2026-12-31&status=F", `{"obligations":[` + q1 + `,` + q2 + `]}`},
		{"from=2022-11-24&to=2023-06-30", `{"obligations":[` +
			`{"start":"2022-10-01","end":"2022-12-31","due":"2023-02-07","status":"F","periodKey":"22A4","received":"2023-02-06"},` +
			`{"start":"2023-01-01","end":"2023-03-31","due":"2023-05-07","status":"F","periodKey":"23A1","received":"2023-05-06"},` +
			`{"start":"2023-04-01","end":"2023-06-30","due":"2023-08-07","status":"F","periodKey":"23A2","received":"2023-08-06"}]}`},
		{"from=2022-11-23&to=2023-06-30", `{"code":"DATE_RANGE_TOO_LARGE","message":"The date of the requested return cannot be further than four years from the current date."}`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status := 200
			if tt.body[2] == 'c' {
				status = 400
			}
			e.do("GET", base+tt.query, tk.AccessToken, "", nil).expect(t, status, tt.body)
		})
	}
	// Filing fulfils the obligation with the date received.
	e.clock.Advance(24 * 3600 * 1e9)
	tk = e.login(u)
	if r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	e.do("GET", base+"from=2026-07-01&to=2026-12-31", tk.AccessToken, "", nil).expect(t, 200,
		`{"obligations":[{"start":"2026-07-01","end":"2026-09-30","due":"2026-11-07","status":"F","periodKey":"26A3","received":"2026-11-25"},`+q4+`]}`)
}

func TestObligationsFirstPeriodAndNone(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.user("organisation", []string{"mtd-vat"}, "2024-02-20")
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN + "/obligations?"
	e.do("GET", base+"from=2024-01-01&to=2024-06-30", tk.AccessToken, "", nil).expect(t, 200, `{"obligations":[`+
		`{"start":"2024-02-20","end":"2024-03-31","due":"2024-05-07","status":"F","periodKey":"24A1","received":"2024-05-06"},`+
		`{"start":"2024-04-01","end":"2024-06-30","due":"2024-08-07","status":"F","periodKey":"24A2","received":"2024-08-06"}]}`)
	e.do("GET", base+"from=2023-01-01&to=2023-12-31", tk.AccessToken, "", nil).expect(t, 404,
		`{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`)
}

func TestObligationsMonthly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.user("organisation", []string{ServiceMTDVATMonthly}, "2026-01-10")
	if u.Stagger != "monthly" {
		t.Fatalf("stagger %q", u.Stagger)
	}
	tk := e.login(u)
	e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?status=O", tk.AccessToken, "", nil).expect(t, 200,
		`{"obligations":[{"start":"2026-10-01","end":"2026-10-31","due":"2026-12-07","status":"O","periodKey":"26AM"},`+
			`{"start":"2026-11-01","end":"2026-11-30","due":"2027-01-07","status":"O","periodKey":"26AN"}]}`)
	e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?from=2026-01-01&to=2026-02-28&status=F", tk.AccessToken, "", nil).expect(t, 200,
		`{"obligations":[{"start":"2026-01-10","end":"2026-01-31","due":"2026-03-07","status":"F","periodKey":"26AD","received":"2026-03-06"},`+
			`{"start":"2026-02-01","end":"2026-02-28","due":"2026-04-07","status":"F","periodKey":"26AE","received":"2026-04-06"}]}`)
}

// The captured 2017 sandbox bodies (REFERENCE §3.1).
const (
	c18A1F = `{"start":"2017-01-01","end":"2017-03-31","due":"2017-05-07","status":"F","periodKey":"18A1","received":"2017-05-06"}`
	c18A1O = `{"start":"2017-01-01","end":"2017-03-31","due":"2017-05-07","status":"O","periodKey":"18A1"}`
	c18A2F = `{"start":"2017-04-01","end":"2017-06-30","due":"2017-08-07","status":"F","periodKey":"18A2","received":"2017-08-06"}`
	c18A2O = `{"start":"2017-04-01","end":"2017-06-30","due":"2017-08-07","status":"O","periodKey":"18A2"}`
	c18A3F = `{"start":"2017-07-01","end":"2017-09-30","due":"2017-11-07","status":"F","periodKey":"18A3","received":"2017-11-06"}`
	c18A3O = `{"start":"2017-07-01","end":"2017-09-30","due":"2017-11-07","status":"O","periodKey":"18A3"}`
	c18A4F = `{"start":"2017-10-01","end":"2017-12-31","due":"2018-02-07","status":"F","periodKey":"18A4","received":"2018-02-06"}`
	c18A4O = `{"start":"2017-10-01","end":"2017-12-31","due":"2018-02-07","status":"O","periodKey":"18A4"}`
	c18ADF = `{"start":"2017-01-01","end":"2017-01-31","due":"2017-03-07","status":"F","periodKey":"18AD","received":"2017-03-06"}`
	c18ADO = `{"start":"2017-01-01","end":"2017-01-31","due":"2017-03-07","status":"O","periodKey":"18AD"}`
	c18AEF = `{"start":"2017-02-01","end":"2017-02-28","due":"2017-04-07","status":"F","periodKey":"18AE","received":"2017-04-06"}`
	c18AEO = `{"start":"2017-02-01","end":"2017-02-28","due":"2017-04-07","status":"O","periodKey":"18AE"}`
	c18AFF = `{"start":"2017-03-01","end":"2017-03-31","due":"2017-05-07","status":"F","periodKey":"18AF","received":"2017-05-06"}`
	c18AFO = `{"start":"2017-03-01","end":"2017-03-31","due":"2017-05-07","status":"O","periodKey":"18AF"}`
	c18AGO = `{"start":"2017-04-01","end":"2017-04-30","due":"2017-06-07","status":"O","periodKey":"18AG"}`
)

func obls(items ...string) string {
	s := `{"obligations":[`
	for i, it := range items {
		if i > 0 {
			s += ","
		}
		s += it
	}
	return s + "]}"
}

func TestObligationScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/obligations?from=2017-01-01&to=2017-06-30"
	tests := []struct {
		scenario string
		status   int
		body     string
	}{
		{"QUARTERLY_ONE_MET", 200, obls(c18A1F, c18A2O)},
		{"QUARTERLY_NONE_MET", 200, obls(c18A1O)},
		{"QUARTERLY_TWO_MET", 200, obls(c18A1F, c18A2F, c18A3O)},
		{"QUARTERLY_THREE_MET", 200, obls(c18A1F, c18A2F, c18A3F, c18A4O)},
		{"QUARTERLY_FOUR_MET", 200, obls(c18A1F, c18A2F, c18A3F, c18A4F)},
		{"MONTHLY_NONE_MET", 200, obls(c18ADO)},
		{"MONTHLY_ONE_MET", 200, obls(c18ADF, c18AEO)},
		{"MONTHLY_TWO_MET", 200, obls(c18ADF, c18AEF, c18AFO)},
		{"MONTHLY_THREE_MET", 200, obls(c18ADF, c18AEF, c18AFF, c18AGO)},
		{"NOT_FOUND", 404, `{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`},
		{"INSOLVENT_TRADER", 403, `{"code":"RULE_INSOLVENT_TRADER","message":"The remote endpoint has indicated that the Trader is insolvent"}`},
		{"MULTIPLE_OPEN_QUARTERLY", 200, obls(
			`{"start":"2018-01-01","end":"2018-03-31","due":"2018-05-07","status":"O","periodKey":"18A1"}`,
			`{"start":"2018-04-01","end":"2018-06-30","due":"2018-08-07","status":"O","periodKey":"18A2"}`)},
		{"QUARTERLY_OBS_02_OPEN", 200, obls(
			`{"start":"2018-01-01","end":"2018-03-31","due":"2018-05-07","status":"F","periodKey":"18A1","received":"2018-05-06"}`,
			`{"start":"2018-04-01","end":"2018-06-30","due":"2018-08-07","status":"O","periodKey":"18A2"}`)},
		{"OBS_SPANS_MULTIPLE_YEARS", 200, obls(`{"start":"2018-10-01","end":"2019-01-31","due":"2019-03-07","status":"O","periodKey":"19A1"}`)},
		{"SINGLE_LIABILITY", 400, `{"code":"RULE_INCORRECT_GOV_TEST_SCENARIO","message":"The Gov-Test-Scenario was not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": tt.scenario}).expect(t, tt.status, tt.body)
		})
	}
	// Every documented monthly/quarterly "OBS" scenario is known.
	for n := 1; n <= 12; n++ {
		r := e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": fmt.Sprintf("MONTHLY_OBS_%02d_OPEN", n)})
		if r.status != 200 {
			t.Errorf("MONTHLY_OBS_%02d_OPEN: %d %s", n, r.status, r.body)
		}
	}
	for _, sc := range []string{"MONTHLY_OBS_12_FULFILLED", "QUARTERLY_OBS_04_FULFILLED", "MULTIPLE_OPEN_MONTHLY", "QUARTERLY_OBS_01_OPEN", "QUARTERLY_OBS_04_OPEN"} {
		if r := e.do("GET", path, tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": sc}); r.status != 200 {
			t.Errorf("%s: %d %s", sc, r.status, r.body)
		}
	}
	// Query validation comes before the scenario.
	e.do("GET", "/organisations/vat/"+u.VRN+"/obligations", tk.AccessToken, "", map[string]string{"Gov-Test-Scenario": "NOT_FOUND"}).
		expect(t, 400, legacy("INVALID_DATE_FROM"))
}

func TestCannedMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Canned: true})
	u := e.org()
	tk := e.login(u)
	e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?from=2017-01-01&to=2017-06-30", tk.AccessToken, "", nil).expect(t, 200, obls(c18A1F, c18A2O))
	// Filing does not change canned obligations, as in HMRC's sandbox; any key is accepted.
	if r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "18A2"), nil); r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	e.do("GET", "/organisations/vat/"+u.VRN+"/obligations?status=O", tk.AccessToken, "", nil).expect(t, 200, obls(c18A1F, c18A2O))
	e.do("GET", "/organisations/vat/"+u.VRN+"/liabilities?from=2017-01-02&to=2017-02-02", tk.AccessToken, "", nil).expect(t, 404,
		`{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`)
	e.do("GET", "/organisations/vat/"+u.VRN+"/payments?from=2017-01-02&to=2017-02-02", tk.AccessToken, "", nil).expect(t, 404,
		`{"code":"NOT_FOUND","message":"The remote endpoint has indicated that no data can be found"}`)
	e.do("GET", "/organisations/vat/"+u.VRN+"/information", tk.AccessToken, "", nil).expect(t, 200,
		`{"customerDetails":{"effectiveRegistrationDate":"2001-01-01"},"flatRateScheme":{"frsCategory":"001","startDate":"2001-01-01"}}`)
	want, err := cannedPenalties("DEFAULT")
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	e.do("GET", "/organisations/vat/"+u.VRN+"/penalties", tk.AccessToken, "", nil).expect(t, 200, string(wb))
}

func TestPeriodKeys(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		end     string
		monthly bool
		want    string
	}{{"2024-03-31", false, "24A1"}, {"2024-12-31", false, "24A4"}, {"2024-01-31", true, "24AD"}, {"2024-12-31", true, "24AO"}} {
		if got := periodKeyFor(d(tt.end), tt.monthly); got != tt.want || !periodKeyPattern.MatchString(got) {
			t.Errorf("periodKeyFor(%s, %v) = %s, want %s", tt.end, tt.monthly, got, tt.want)
		}
	}
	for end, want := range map[string]string{"2017-03-31": "2017-05-07", "2017-01-31": "2017-03-07", "2017-12-31": "2018-02-07", "2024-02-29": "2024-04-07"} {
		if got := fmtDate(dueDate(d(end))); got != want {
			t.Errorf("dueDate(%s) = %s, want %s", end, got, want)
		}
	}
}

func TestPlusMonthsClampsLikeJava(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in     string
		months int
		want   string
	}{
		{"2024-02-29", 12, "2025-02-28"}, {"2024-01-31", 1, "2024-02-29"}, {"2023-01-31", 1, "2023-02-28"},
		{"2024-03-31", -1, "2024-02-29"}, {"2026-11-24", -48, "2022-11-24"}, {"2024-08-31", 18, "2026-02-28"},
	} {
		if got := fmtDate(plusMonths(d(tt.in), tt.months)); got != tt.want {
			t.Errorf("plusMonths(%s, %d) = %s, want %s", tt.in, tt.months, got, tt.want)
		}
	}
}
