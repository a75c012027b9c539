package root_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/invopop/jsonschema"

	"github.com/vatbridge/vat/pkg/cmd/check"
	clientsadd "github.com/vatbridge/vat/pkg/cmd/clients/add"
	clientsedit "github.com/vatbridge/vat/pkg/cmd/clients/edit"
	clientsimport "github.com/vatbridge/vat/pkg/cmd/clients/import"
	clientslist "github.com/vatbridge/vat/pkg/cmd/clients/list"
	clientsremove "github.com/vatbridge/vat/pkg/cmd/clients/remove"
	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/financialdetails"
	fraudfeedback "github.com/vatbridge/vat/pkg/cmd/fraudheaders/feedback"
	fraudshow "github.com/vatbridge/vat/pkg/cmd/fraudheaders/show"
	fraudvalidate "github.com/vatbridge/vat/pkg/cmd/fraudheaders/validate"
	"github.com/vatbridge/vat/pkg/cmd/information"
	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/cmd/liabilities"
	"github.com/vatbridge/vat/pkg/cmd/login"
	"github.com/vatbridge/vat/pkg/cmd/logout"
	"github.com/vatbridge/vat/pkg/cmd/obligations"
	"github.com/vatbridge/vat/pkg/cmd/payments"
	"github.com/vatbridge/vat/pkg/cmd/penalties"
	receiptslist "github.com/vatbridge/vat/pkg/cmd/receipts/list"
	receiptsshow "github.com/vatbridge/vat/pkg/cmd/receipts/show"
	"github.com/vatbridge/vat/pkg/cmd/returns"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/authorise"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/createuser"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/rehearse"
	"github.com/vatbridge/vat/pkg/cmd/sandbox/serve"
	"github.com/vatbridge/vat/pkg/cmd/status"
	"github.com/vatbridge/vat/pkg/cmd/submit"
	"github.com/vatbridge/vat/pkg/cmd/template"
	"github.com/vatbridge/vat/pkg/cmd/version"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// documents are the -o json documents, one per command, keyed by the schema file's name; "error"
// is the document every command writes to stderr when it fails with -o json.
var documents = map[string]any{
	"check":                   check.Doc{},
	"submit":                  submit.Doc{},
	"receipts-list":           receiptslist.Doc{},
	"receipts-show":           receiptsshow.Doc{},
	"obligations":             obligations.Doc{},
	"obligations-all-clients": obligations.AllClientsDoc{},
	"submit-all-clients":      submit.BatchDoc{},
	"status":                  status.Doc{},
	"login":                   login.Doc{},
	"logout":                  logout.Doc{},
	"sandbox-serve":           serve.Doc{},
	"template":                template.Doc{},
	"demo":                    demo.Doc{},
	"version":                 version.Doc{},
	"sandbox-create-user":     createuser.Doc{},
	"returns":                 returns.Doc{},
	"returns-period":          returns.PeriodDoc{},
	"liabilities":             liabilities.Doc{},
	"payments":                payments.Doc{},
	"penalties":               penalties.Doc{},
	"financial-details":       financialdetails.Doc{},
	"information":             information.Doc{},
	"clients-list":            clientslist.Doc{},
	"clients-show":            clientslist.ClientJSON{},
	"clients-add":             clientsadd.Doc{},
	"clients-edit":            clientsedit.Doc{},
	"clients-remove":          clientsremove.Doc{},
	"clients-import":          clientsimport.Doc{},
	"sandbox-authorise":       authorise.Doc{},
	"sandbox-rehearse":        rehearse.Doc{},
	"fraud-headers-show":      fraudshow.Doc{},
	"fraud-headers-validate":  fraudvalidate.Doc{},
	"fraud-headers-feedback":  fraudfeedback.Doc{},
	"error":                   cmdutil.ErrorDoc{},
}

// schemaOf generates the JSON Schema of a document from its Go struct: the json tags give the
// names, omitempty decides what is required, and no property beyond the struct's is allowed, so
// a field added, renamed or dropped in code shows up as a difference from the committed file.
func schemaOf(doc any) ([]byte, error) {
	r := &jsonschema.Reflector{
		// Types whose JSON is not what their Go kind suggests: money is an exact number, not an
		// integer of pence; a date is an ISO string, not a struct.
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			switch t {
			case reflect.TypeFor[vatreturn.Money]():
				return &jsonschema.Schema{Type: "number", Description: "an amount in pounds, exactly, with two decimals"}
			case reflect.TypeFor[hmrc.Decimal]():
				return &jsonschema.Schema{Type: "number", Description: "an amount (or a rate) exactly as HMRC sent it, of any precision"}
			case reflect.TypeFor[cmdutil.Pounds]():
				return &jsonschema.Schema{Type: "number", Description: "an amount in whole pounds"}
			case reflect.TypeFor[hmrc.Date]():
				return &jsonschema.Schema{Type: "string", Format: "date"}
			case reflect.TypeFor[receipts.State]():
				return &jsonschema.Schema{Type: "string", Enum: []any{"pending", "unknown", "receipted", "cleared"}}
			}
			return nil
		},
	}
	s := r.Reflect(doc)
	return json.MarshalIndent(s, "", "  ")
}

// TestSchemas regenerates every document's schema and compares it with testdata/schema/ (go
// test -update rewrites them): the committed schemas are the documented contract.
func TestSchemas(t *testing.T) {
	t.Parallel()
	for name, doc := range documents {
		b, err := schemaOf(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		viewtest.Golden(t, "schema/"+name+".json", string(b)+"\n")
	}
}

// noDocument are the commands with no -o json document of their own: help and completion
// print text for people and shells.
var noDocument = map[string]bool{
	"help": true, "completion": true,
}

// Every command has a committed schema, so a command added without one fails here rather than
// writing JSON no contract covers.
func TestEveryCommandHasASchema(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		subs := c.Commands()
		// A group ('vat clients') runs only to refuse or to print its help: no document.
		if c.Runnable() && c.HasParent() && (len(subs) == 0 || defaultChild[strings.ReplaceAll(strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), " ", "-")] != "") {
			name := strings.ReplaceAll(strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), " ", "-")
			top := strings.SplitN(name, "-", 2)[0]
			_, has := documents[name]
			if !has && !noDocument[name] && !noDocument[top] && defaultChild[name] == "" {
				t.Errorf("%s has no schema in documents", c.CommandPath())
			}
		}
		for _, s := range subs {
			walk(s)
		}
	}
	walk(root.NewCmdRoot(cmdutil.NewFactory(ios)))
}

// defaultChild are the parents that run one of their subcommands ('vat receipts' lists), whose
// schema covers them.
var defaultChild = map[string]string{"receipts": "receipts-list", "fraud-headers": "fraud-headers-show"}
