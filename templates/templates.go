// Package templates embeds the built-in session profiles (one YAML file per
// vendor mode) and the JSON Schema of the profile format, so the generator
// binary carries them. Package generator/profile reads them.
package templates

import "embed"

// FS holds the built-in profiles (*.yaml, one per profile, named after it)
// and profile.schema.json.
//
//go:embed *.yaml profile.schema.json
var FS embed.FS

// SchemaFile is the name of the JSON Schema in FS.
const SchemaFile = "profile.schema.json"
