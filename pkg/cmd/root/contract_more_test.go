package root_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// TestClientsJSONMatchesSchemas runs every clients verb with -o json, as a practice would, and
// validates each document; the documents also say what was done, so a script need not list
// the clients again to learn it.
func TestClientsJSONMatchesSchemas(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	w.Setenv("VAT_PROFILE", "practice")

	var added struct {
		Profile string
		Client  struct{ Name, VRN, Workbook string }
	}
	out := ok(t, w, "clients-add", "clients", "add", "Acme Ltd", "--vrn", "123456782", "--workbook", "~/acme/{period-end:2006-01}.xlsx")
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Profile != "practice" || added.Client.VRN != "123456782" || added.Client.Workbook != "~/acme/{period-end:2006-01}.xlsx" {
		t.Errorf("clients add: %v %s", err, out)
	}

	csv := filepath.Join(t.TempDir(), "practice.csv")
	if err := os.WriteFile(csv, []byte("name,vrn,workbook\nBloggs,987654353,/b/{period-key}.xlsx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var imported struct {
		Imported int
		Clients  []struct{ Name string }
	}
	out = ok(t, w, "clients-import", "clients", "import", csv)
	if err := json.Unmarshal([]byte(out), &imported); err != nil || imported.Imported != 1 || len(imported.Clients) != 1 || imported.Clients[0].Name != "Bloggs" {
		t.Errorf("clients import: %v %s", err, out)
	}

	var edited struct{ Client struct{ Name, Method string } }
	out = ok(t, w, "clients-edit", "clients", "edit", "bloggs", "--name", "Joe Bloggs", "--method", "batch_process_direct")
	if err := json.Unmarshal([]byte(out), &edited); err != nil || edited.Client.Name != "Joe Bloggs" || edited.Client.Method != "BATCH_PROCESS_DIRECT" {
		t.Errorf("clients edit: %v %s", err, out)
	}

	ok(t, w, "clients-list", "clients", "list")
	ok(t, w, "clients-show", "clients", "show", "ACME LTD")

	var removed struct {
		Removed bool
		Client  struct{ Name string }
	}
	out = ok(t, w, "clients-remove", "clients", "remove", "Acme Ltd")
	if err := json.Unmarshal([]byte(out), &removed); err != nil || !removed.Removed || removed.Client.Name != "Acme Ltd" {
		t.Errorf("clients remove: %v %s", err, out)
	}
	// A profile with no clients is still a document, not silence.
	ok(t, w, "clients-remove", "clients", "remove", "Joe Bloggs")
	if out := ok(t, w, "clients-list", "clients", "list"); out != "{\n  \"clients\": []\n}\n" {
		t.Errorf("an empty list = %q", out)
	}
}

// TestSandboxAndFraudHeadersJSONMatchSchemas validates the emulator's agent authorisation and
// the three fraud-header commands, each against the emulator over HTTP.
func TestSandboxAndFraudHeadersJSONMatchSchemas(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})

	var agent struct{ UserID string }
	if err := json.Unmarshal([]byte(ok(t, w, "sandbox-create-user", "sandbox", "create-user", "--type", "agent")), &agent); err != nil || agent.UserID == "" {
		t.Fatalf("create-user --type agent: %v %+v", err, agent)
	}
	var auth struct {
		Agent      string
		Authorised []string
	}
	out := ok(t, w, "sandbox-authorise", "sandbox", "authorise", "--agent", agent.UserID, w.VRN)
	if err := json.Unmarshal([]byte(out), &auth); err != nil || auth.Agent != agent.UserID || len(auth.Authorised) != 1 || auth.Authorised[0] != w.VRN {
		t.Errorf("sandbox authorise: %v %s", err, out)
	}

	ok(t, w, "fraud-headers-show", "fraud-headers", "show")
	ok(t, w, "fraud-headers-show", "fraud-headers")
	ok(t, w, "fraud-headers-validate", "fraud-headers", "validate")
	// Feedback lists the requests vat has made, with a verdict on each header.
	ok(t, w, "obligations", "obligations")
	out = ok(t, w, "fraud-headers-feedback", "fraud-headers", "feedback")
	var fb struct{ Requests []json.RawMessage }
	if err := json.Unmarshal([]byte(out), &fb); err != nil || len(fb.Requests) == 0 {
		t.Errorf("feedback after a request lists none: %v %s", err, out)
	}
}

// TestRehearseJSONMatchesSchema runs the whole rehearsal against the emulator: its -o json is
// the report rehearsal.json holds, validated against the committed schema.
func TestRehearseJSONMatchesSchema(t *testing.T) {
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	dir := filepath.Join(t.TempDir(), "report")
	out := ok(t, w, "sandbox-rehearse", "sandbox", "rehearse", "--report-dir", dir)
	var doc struct {
		Passed bool
		Steps  []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || !doc.Passed || len(doc.Steps) == 0 {
		t.Fatalf("rehearse -o json: %v\n%s", err, out)
	}
	file, err := os.ReadFile(filepath.Join(dir, "rehearsal.json"))
	if err != nil {
		t.Fatal(err)
	}
	validate(t, "sandbox-rehearse", string(file))
}
