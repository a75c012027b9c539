package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// vrnWith returns a valid VRN starting with the seven digits given.
func vrnWith(t *testing.T, seven string) string {
	t.Helper()
	for c := 0; c < 100; c++ {
		v := seven + string(rune('0'+c/10)) + string(rune('0'+c%10))
		if ValidateVRN(v) == nil {
			return v
		}
	}
	t.Fatalf("no check digits for %s", seven)
	return ""
}

func TestAddClientValidatesAndRefusesDuplicates(t *testing.T) {
	var p Profile
	acme := Client{Name: "Acme Ltd", VRN: vrnWith(t, "1234567"), Workbook: "~/clients/acme/{period-end:2006-01}.xlsx"}
	if err := p.AddClient(acme); err != nil {
		t.Fatal(err)
	}
	bad := acme
	bad.Name, bad.VRN = "Other", acme.VRN[:8]+string(rune('0'+(acme.VRN[8]-'0'+1)%10))
	if err := p.AddClient(bad); err == nil || !strings.Contains(err.Error(), "check digits") {
		t.Fatalf("a mistyped VRN was accepted: %v", err)
	}
	for _, c := range []Client{
		{Name: "acme ltd", VRN: vrnWith(t, "7654321")},         // same name, other case
		{Name: "Acme Again", VRN: acme.VRN},                    // same VRN
		{Name: "A,B", VRN: vrnWith(t, "1111111")},              // comma
		{Name: "X", VRN: vrnWith(t, "2222222"), Method: "FAX"}, // method
		{Name: "Y", VRN: vrnWith(t, "3333333"), Workbook: "{period}.xlsx"},
	} {
		if err := p.AddClient(c); err == nil {
			t.Errorf("AddClient(%+v) accepted", c)
		}
	}
	if p.FindClient("ACME LTD") != 0 {
		t.Fatal("names should match without case")
	}
	if err := p.RemoveClient("acme ltd"); err != nil || len(p.Clients) != 0 {
		t.Fatalf("remove: %v %v", err, p.Clients)
	}
}

func TestExpandWorkbook(t *testing.T) {
	v := PeriodVars{VRN: "123456782", PeriodKey: "26A3", Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)}
	for pat, want := range map[string]string{
		"~/clients/acme/{period-end:2006-01}.xlsx": "/home/a/clients/acme/2026-09.xlsx",
		"/b/{vrn}-{period-key}.xlsx":               "/b/123456782-26A3.xlsx",
		"/b/{period-start}_{period-end}.xlsx":      "/b/2026-07-01_2026-09-30.xlsx",
		"/b/Q{period-end:Jan06}.xlsx":              "/b/QSep26.xlsx",
	} {
		got, err := ExpandWorkbook(pat, v, "/home/a")
		if err != nil || got != want {
			t.Errorf("ExpandWorkbook(%q) = %q, %v; want %q", pat, got, err, want)
		}
	}
	for _, pat := range []string{"{nope}.xlsx", "{vrn.xlsx", "vrn}.xlsx", "{vrn:06}.xlsx", "{period-end:2006/01}.xlsx"} {
		if _, err := ExpandWorkbook(pat, v, "/h"); err == nil {
			t.Errorf("ExpandWorkbook(%q) accepted", pat)
		}
	}
}

func TestParseClientsCSV(t *testing.T) {
	a, b := vrnWith(t, "1234567"), vrnWith(t, "7654321")
	in := "\ufeffName, VRN ,Workbook,method\n" +
		"Acme Ltd,GB " + a + ",~/acme/{period-key}.xlsx,batch_process_direct\n" +
		"\n" +
		"\"Bloggs, Joe\",,x.xlsx,\n" +
		"Bloggs," + b + ",,\n"
	_, err := ParseClientsCSV(strings.NewReader(in))
	var ce *CSVError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 || !strings.HasPrefix(ce.Problems[0], "line 4:") {
		t.Fatalf("want one problem on line 4, got %v %+v", err, ce)
	}
	in = strings.Replace(in, "\"Bloggs, Joe\",,x.xlsx,\n", "", 1)
	cs, err := ParseClientsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Client{{Name: "Acme Ltd", VRN: a, Workbook: "~/acme/{period-key}.xlsx", Method: "BATCH_PROCESS_DIRECT"}, {Name: "Bloggs", VRN: b}}
	if len(cs) != 2 || cs[0] != want[0] || cs[1] != want[1] {
		t.Fatalf("got %+v", cs)
	}
	if _, err := ParseClientsCSV(strings.NewReader("name,workbook\nx,y\n")); err == nil || !strings.Contains(err.Error(), `"vrn"`) {
		t.Fatalf("a list without VRNs: %v", err)
	}
}

func TestClientsRoundTripThroughConfigFile(t *testing.T) {
	dir := t.TempDir()
	f := &File{Profiles: map[string]Profile{}}
	p := Profile{Agent: true, Rate: 2.5}
	if err := p.AddClient(Client{Name: "Acme", VRN: vrnWith(t, "1234567"), Map: "/m.map"}); err != nil {
		t.Fatal(err)
	}
	f.Profiles["practice"] = p
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	q := g.Profiles["practice"]
	if !q.Agent || q.Rate != 2.5 || len(q.Clients) != 1 || q.Clients[0] != p.Clients[0] {
		t.Fatalf("got %+v", q)
	}
}
