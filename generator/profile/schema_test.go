package profile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wsdlsess/wsdlsess/templates"
)

const schemaURL = "https://raw.githubusercontent.com/wsdlsess/wsdlsess/main/templates/profile.schema.json"

// rawSchema is profile.schema.json as a generic JSON value.
func rawSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := templates.FS.ReadFile(templates.SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", templates.SchemaFile, err)
	}
	return m
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("compile %s: %v", templates.SchemaFile, err)
	}
	return s
}

func mustRead(t testing.TB, read func(string) ([]byte, error), name string) []byte {
	t.Helper()
	b, err := read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// schemaCheck does what an editor does with the schema: read the YAML as
// data, then validate it. It returns nil when the schema accepts the file.
func schemaCheck(t testing.TB, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err // not YAML data at all: no editor would accept it
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err // non-string keys: not representable as JSON
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

func testdataFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in testdata/%s", dir)
	}
	return files
}

// TestSchemaAcceptsGood: every built-in and the every-key profile validate
// against the schema, as the Go parser accepts them.
func TestSchemaAcceptsGood(t *testing.T) {
	s := compileSchema(t)
	for _, name := range wantBuiltins {
		src, _ := BuiltinSource(name)
		if err := schemaCheck(t, s, src); err != nil {
			t.Errorf("built-in %s: schema rejects it: %v", name, err)
		}
	}
	for _, file := range testdataFiles(t, "good") {
		if err := schemaCheck(t, s, mustRead(t, os.ReadFile, file)); err != nil {
			t.Errorf("%s: schema rejects it: %v", file, err)
		}
	}
}

// TestSchemaAgreesOnBad: every bad profile the Go parser rejects, the
// schema rejects too; the goonly ones (aliases, several documents, and
// comparisons between values, which JSON Schema cannot express) it
// accepts, which keeps that list honest.
func TestSchemaAgreesOnBad(t *testing.T) {
	s := compileSchema(t)
	for _, file := range testdataFiles(t, "bad") {
		if err := schemaCheck(t, s, mustRead(t, os.ReadFile, file)); err == nil {
			t.Errorf("%s: the Go parser rejects it but the schema accepts it", file)
		}
	}
	for _, file := range testdataFiles(t, "goonly") {
		if err := schemaCheck(t, s, mustRead(t, os.ReadFile, file)); err != nil {
			t.Errorf("%s: listed as Go-only but the schema rejects it too (move it to testdata/bad): %v", file, err)
		}
	}
}

// TestSchemaPatternsMatchGo keeps the textual formats identical on both
// sides.
func TestSchemaPatternsMatchGo(t *testing.T) {
	defs := rawSchema(t)["$defs"].(map[string]any)
	for def, want := range map[string]string{
		"name": namePattern, "path": pathPattern, "duration": durationPattern,
		"token": tokenPattern, "namespace": namespacePattern, "profileName": profileNamePattern,
	} {
		if got := defs[def].(map[string]any)["pattern"]; got != want {
			t.Errorf("$defs.%s.pattern = %q, Go uses %q", def, got, want)
		}
	}
	if got := defs["fields"].(map[string]any)["propertyNames"].(map[string]any)["pattern"]; got != fieldPathPattern {
		t.Errorf("$defs.fields.propertyNames.pattern = %q, Go uses %q", got, fieldPathPattern)
	}
}

// TestSchemaKeysMatchGo checks that every object in the schema has exactly
// the keys of its Go type, and every enum exactly the Go values, so the
// format cannot grow on one side only.
func TestSchemaKeysMatchGo(t *testing.T) {
	root := rawSchema(t)
	defs := root["$defs"].(map[string]any)
	def := func(name string) map[string]any { return defs[name].(map[string]any) }
	props := func(o map[string]any) map[string]any { return o["properties"].(map[string]any) }
	prop := func(o map[string]any, key string) map[string]any { return nullable(t, props(o)[key].(map[string]any)) }
	objects := map[reflect.Type]map[string]any{
		reflect.TypeFor[Profile]():          root,
		reflect.TypeFor[Login]():            def("login"),
		reflect.TypeFor[LoginOperation]():   def("loginOperation"),
		reflect.TypeFor[CredentialHeader](): def("credentialHeader"),
		reflect.TypeFor[Element]():          def("element"),
		reflect.TypeFor[HeaderTarget]():     def("headerTarget"),
		reflect.TypeFor[TokenSource]():      def("tokenSource"),
		reflect.TypeFor[TokenTarget]():      def("tokenTarget"),
		reflect.TypeFor[HTTPHeaderTarget](): prop(def("tokenTarget"), "http-header"),
		reflect.TypeFor[ConstantHeader]():   def("constantHeader"),
		reflect.TypeFor[GoneRule]():         def("goneRule"),
		reflect.TypeFor[Limits]():           def("limits"),
		reflect.TypeFor[Logout]():           def("logout"),
		reflect.TypeFor[Invalidate]():       def("invalidate"),
		reflect.TypeFor[Borrowed]():         def("borrowed"),
		reflect.TypeFor[Rewrite]():          def("rewrite"),
		reflect.TypeFor[Lend]():             def("lend"),
	}
	for typ, obj := range objects {
		var goKeys, schemaKeys []string
		for _, f := range yamlFields(typ) {
			goKeys = append(goKeys, f.name)
		}
		if typ == reflect.TypeFor[Profile]() {
			goKeys = append(goKeys, "extends") // read before the walk (extends.go)
		}
		for k, v := range props(obj) {
			schemaKeys = append(schemaKeys, k)
			if k != "extends" {
				nullable(t, v.(map[string]any)) // null removes a base's key
			}
		}
		sort.Strings(goKeys)
		sort.Strings(schemaKeys)
		if diff := cmp.Diff(goKeys, schemaKeys); diff != "" {
			t.Errorf("%s keys (-Go +schema):\n%s", typ.Name(), diff)
		}
		if obj["additionalProperties"] != false {
			t.Errorf("%s: schema object allows unknown keys; the Go parser does not", typ.Name())
		}
	}
	enumOf := func(o map[string]any) []string {
		var out []string
		for _, v := range o["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	for _, c := range []struct {
		e   enum
		obj map[string]any
	}{
		{Scope(""), prop(root, "scope")},
		{Relogin(""), prop(root, "relogin")},
		{Cookies(""), prop(root, "cookies")},
		{LogoutWhen(""), prop(def("logout"), "when")},
		{Credential(""), prop(def("credentialHeader"), "credential")},
		{WSSecurity(""), prop(def("login"), "wssecurity")},
		{HTTPAuth(""), prop(def("login"), "http")},
	} {
		if diff := cmp.Diff(c.e.values(), enumOf(c.obj)); diff != "" {
			t.Errorf("%T values (-Go +schema):\n%s", c.e, diff)
		}
	}
}

// nullable returns the value schema of a profile key, which is written
// {"anyOf": [{"type": "null"}, VALUE]}: in a profile that extends another,
// key: null removes the base's key.
func nullable(t *testing.T, o map[string]any) map[string]any {
	t.Helper()
	alts, ok := o["anyOf"].([]any)
	if !ok || len(alts) != 2 || alts[0].(map[string]any)["type"] != "null" {
		t.Fatalf("property schema %v is not {anyOf: [{type: null}, VALUE]}", o)
	}
	return alts[1].(map[string]any)
}
