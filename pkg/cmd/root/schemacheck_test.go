package root

import (
	"path/filepath"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CheckSchema validates one JSON document against the committed schema
// testdata/schema/name.json. It lives in package root so that the in-package end-to-end tests
// (the practice's batch runs) validate their documents too.
func CheckSchema(name, doc string) error {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join("testdata", "schema", name+".json"))
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}
