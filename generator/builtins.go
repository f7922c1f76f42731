package generator

// builtin is how an XSD built-in type appears in Go.
type builtin struct {
	// ident is a Go predeclared type, or a runtime type when rt is set.
	ident string
	rt    bool
	// kind tells which literal an enumeration value becomes.
	kind litKind
	// alias: the runtime type carries marshal methods, so a restricted
	// simple type must be an alias to keep them.
	alias bool
}

type litKind int

const (
	litNone litKind = iota
	litString
	litInt
)

// xsdBuiltins maps every XSD 1.0 built-in datatype. Date and time types keep
// their lexical form (string types in runtime with parsing helpers), decimal
// keeps every digit, binary types encode base64/hex, anyType keeps raw XML.
var xsdBuiltins = map[string]builtin{
	"string":             {ident: "string", kind: litString},
	"normalizedString":   {ident: "string", kind: litString},
	"token":              {ident: "string", kind: litString},
	"language":           {ident: "string", kind: litString},
	"Name":               {ident: "string", kind: litString},
	"NCName":             {ident: "string", kind: litString},
	"NMTOKEN":            {ident: "string", kind: litString},
	"NMTOKENS":           {ident: "string", kind: litString},
	"ID":                 {ident: "string", kind: litString},
	"IDREF":              {ident: "string", kind: litString},
	"IDREFS":             {ident: "string", kind: litString},
	"ENTITY":             {ident: "string", kind: litString},
	"ENTITIES":           {ident: "string", kind: litString},
	"anyURI":             {ident: "string", kind: litString},
	"QName":              {ident: "string", kind: litString},
	"NOTATION":           {ident: "string", kind: litString},
	"anySimpleType":      {ident: "string", kind: litString},
	"boolean":            {ident: "bool"},
	"float":              {ident: "XSDFloat", rt: true, alias: true},
	"double":             {ident: "XSDDouble", rt: true, alias: true},
	"decimal":            {ident: "XSDDecimal", rt: true, kind: litString},
	"integer":            {ident: "XSDInteger", rt: true, kind: litString},
	"nonNegativeInteger": {ident: "XSDInteger", rt: true, kind: litString},
	"positiveInteger":    {ident: "XSDInteger", rt: true, kind: litString},
	"nonPositiveInteger": {ident: "XSDInteger", rt: true, kind: litString},
	"negativeInteger":    {ident: "XSDInteger", rt: true, kind: litString},
	"long":               {ident: "int64", kind: litInt},
	"int":                {ident: "int32", kind: litInt},
	"short":              {ident: "int16", kind: litInt},
	"byte":               {ident: "int8", kind: litInt},
	"unsignedLong":       {ident: "uint64", kind: litInt},
	"unsignedInt":        {ident: "uint32", kind: litInt},
	"unsignedShort":      {ident: "uint16", kind: litInt},
	"unsignedByte":       {ident: "uint8", kind: litInt},
	"dateTime":           {ident: "XSDDateTime", rt: true, kind: litString},
	"date":               {ident: "XSDDate", rt: true, kind: litString},
	"time":               {ident: "XSDTime", rt: true, kind: litString},
	"duration":           {ident: "XSDDuration", rt: true, kind: litString},
	"gYear":              {ident: "XSDGregorian", rt: true, kind: litString},
	"gYearMonth":         {ident: "XSDGregorian", rt: true, kind: litString},
	"gMonth":             {ident: "XSDGregorian", rt: true, kind: litString},
	"gMonthDay":          {ident: "XSDGregorian", rt: true, kind: litString},
	"gDay":               {ident: "XSDGregorian", rt: true, kind: litString},
	"base64Binary":       {ident: "XSDBase64", rt: true, alias: true},
	"hexBinary":          {ident: "XSDHexBinary", rt: true, alias: true},
	"anyType":            {ident: "XSDAnyType", rt: true, alias: true},
}

// soapencBuiltins: SOAP encoding redeclares the XSD simple types under its
// own namespace; Array and Struct carry arbitrary content.
func soapencBuiltin(local string) (builtin, bool) {
	switch local {
	case "Array", "Struct", "arrayType":
		return xsdBuiltins["anyType"], true
	case "base64":
		return xsdBuiltins["base64Binary"], true
	}
	b, ok := xsdBuiltins[local]
	return b, ok
}
