package root

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir is found from where the tests start, the package's directory: a test may move to
// a temporary working directory (for relative paths in its messages) and still check JSON.
var schemaDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata", "schema")
}()

// CheckSchema validates one JSON document against the committed schema
// testdata/schema/name.json. It lives in package root so that the in-package end-to-end tests
// (the practice's batch runs) validate their documents too.
func CheckSchema(name, doc string) error {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join(schemaDir, name+".json"))
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}
