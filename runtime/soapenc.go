package runtime

import (
	"encoding"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/hook"
)

const (
	nsXSD        = "http://www.w3.org/2001/XMLSchema"
	xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
)

// xsdOf maps the Go types the generator uses for XML Schema built-ins to
// their type names, for xsi:type. Several XSD types share a Go type
// (xsd:token, xsd:anyURI are strings); the widest one is named.
var xsdOf = map[reflect.Type]string{
	reflect.TypeFor[string]():       "string",
	reflect.TypeFor[bool]():         "boolean",
	reflect.TypeFor[int]():          "long",
	reflect.TypeFor[int64]():        "long",
	reflect.TypeFor[int32]():        "int",
	reflect.TypeFor[int16]():        "short",
	reflect.TypeFor[int8]():         "byte",
	reflect.TypeFor[uint]():         "unsignedLong",
	reflect.TypeFor[uint64]():       "unsignedLong",
	reflect.TypeFor[uint32]():       "unsignedInt",
	reflect.TypeFor[uint16]():       "unsignedShort",
	reflect.TypeFor[uint8]():        "unsignedByte",
	reflect.TypeFor[float32]():      "float",
	reflect.TypeFor[float64]():      "double",
	reflect.TypeFor[XSDFloat]():     "float",
	reflect.TypeFor[XSDDouble]():    "double",
	reflect.TypeFor[XSDDecimal]():   "decimal",
	reflect.TypeFor[XSDInteger]():   "integer",
	reflect.TypeFor[XSDDateTime]():  "dateTime",
	reflect.TypeFor[XSDDate]():      "date",
	reflect.TypeFor[XSDTime]():      "time",
	reflect.TypeFor[XSDDuration]():  "duration",
	reflect.TypeFor[XSDBase64]():    "base64Binary",
	reflect.TypeFor[XSDHexBinary](): "hexBinary",
}

func init() {
	hook.EncodeSOAPEnc = func(e *xml.Encoder, start xml.StartElement, v, enc any) error {
		return encodeSOAPEnc(e, start, v, enc.(*impl.SOAPEnc))
	}
}

// encodeSOAPEnc implements impl.EncodeSOAPEnc.
func encodeSOAPEnc(e *xml.Encoder, start xml.StartElement, v any, enc *impl.SOAPEnc) error {
	w := &encWriter{e: e, enc: enc, prefix: map[string]string{nsXSD: "xsd", impl.NSSOAPEnc: "soapenc"}}
	// Literal prefixed names throughout: encoding/xml would otherwise put
	// namespaces in default declarations, which unqualified accessors would
	// inherit, and could not name a prefix inside an xsi:type value.
	attrs := []xml.Attr{
		{Name: xml.Name{Local: "xmlns:soapenv"}, Value: nsSOAP11},
		{Name: xml.Name{Local: "soapenv:encodingStyle"}, Value: impl.NSSOAPEnc},
		{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace},
		{Name: xml.Name{Local: "xmlns:xsd"}, Value: nsXSD},
		{Name: xml.Name{Local: "xmlns:soapenc"}, Value: impl.NSSOAPEnc},
	}
	for i, sp := range enc.Spaces() {
		p := "ns" + strconv.Itoa(i+1)
		w.prefix[sp] = p
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:" + p}, Value: sp})
	}
	name := start.Name.Local
	if start.Name.Space != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:q"}, Value: start.Name.Space}, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: ""})
		name = "q:" + name
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return fmt.Errorf("runtime: encode %s: nil wrapper", start.Name.Local)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("runtime: encode %s: wrapper %s is not a struct", start.Name.Local, rv.Type())
	}
	se := xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs}
	if err := e.EncodeToken(se); err != nil {
		return err
	}
	if err := w.members(rv, 0); err != nil {
		return err
	}
	return e.EncodeToken(se.End())
}

type encWriter struct {
	e      *xml.Encoder
	enc    *impl.SOAPEnc
	prefix map[string]string
	local  int
}

// encField is one struct field with its parsed xml tag.
type encField struct {
	index                []int
	space, local         string
	attr, chardata, omit bool
	typ                  reflect.Type
}

// fieldCache holds encFields by type: a large answer decodes the same
// few struct types many times over.
var fieldCache sync.Map // reflect.Type -> []encField

// encFields lists t's fields as encoding/xml reads their tags; fields
// tagged "-", XMLName and the ones with ",any" or ",innerxml" are left out.
func encFields(t reflect.Type) []encField {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]encField)
	}
	fs := parseFields(t)
	fieldCache.Store(t, fs)
	return fs
}

func parseFields(t reflect.Type) []encField {
	var out []encField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("xml") == "" {
			for _, f := range parseFields(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
			continue
		}
		if !sf.IsExported() || sf.Name == "XMLName" {
			continue
		}
		tag := sf.Tag.Get("xml")
		if tag == "-" {
			continue
		}
		f := encField{index: []int{i}, local: sf.Name, typ: sf.Type}
		name, flags, _ := strings.Cut(tag, ",")
		if sp, l, ok := strings.Cut(name, " "); ok {
			f.space, name = sp, l
		}
		if name != "" {
			f.local = name
		}
		for _, fl := range strings.Split(flags, ",") {
			switch fl {
			case "attr":
				f.attr = true
			case "chardata":
				f.chardata = true
			case "omitempty":
				f.omit = true
			case "any", "innerxml", "comment", "cdata":
				f.local = ""
			}
		}
		if f.local == "" {
			continue
		}
		out = append(out, f)
	}
	return out
}

// elemName is the literal name of an accessor in namespace space, and
// the declaration it needs when the wrapper declared no prefix for it.
func (w *encWriter) elemName(space, local string) (string, []xml.Attr) {
	if space == "" {
		return local, nil
	}
	if p, ok := w.prefix[space]; ok {
		return p + ":" + local, nil
	}
	w.local++
	p := "e" + strconv.Itoa(w.local)
	return p + ":" + local, []xml.Attr{{Name: xml.Name{Local: "xmlns:" + p}, Value: space}}
}

// typeName is the literal QName of an XML Schema type, declaring its
// prefix on the element when needed.
func (w *encWriter) typeName(n xml.Name, attrs *[]xml.Attr) string {
	if n.Space == "" {
		return n.Local
	}
	if p, ok := w.prefix[n.Space]; ok {
		return p + ":" + n.Local
	}
	w.local++
	p := "e" + strconv.Itoa(w.local)
	*attrs = append(*attrs, xml.Attr{Name: xml.Name{Local: "xmlns:" + p}, Value: n.Space})
	return p + ":" + n.Local
}

// members writes the child elements of struct v.
func (w *encWriter) members(v reflect.Value, depth int) error {
	for _, f := range encFields(v.Type()) {
		if f.attr || f.chardata {
			continue
		}
		fv := v.FieldByIndex(f.index)
		if isList(fv.Type()) {
			for i := 0; i < fv.Len(); i++ {
				if err := w.value(f.space, f.local, fv.Index(i), false, depth+1); err != nil {
					return err
				}
			}
			continue
		}
		if err := w.value(f.space, f.local, fv, f.omit, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// isList reports whether a field of type t is a repeated element (a
// slice other than the bytes of a binary value).
func isList(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8
}

// isHolder reports whether t is a generated polymorphic holder: a struct
// whose one field, Value, is the interface its derived types implement.
func isHolder(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Name == "Value" && t.Field(0).Type.Kind() == reflect.Interface
}

func isNillable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == reflect.TypeFor[XSDDate]().PkgPath() && strings.HasPrefix(t.Name(), "Nillable[")
}

var (
	xmlMarshaler   = reflect.TypeFor[xml.Marshaler]()
	textMarshaler  = reflect.TypeFor[encoding.TextMarshaler]()
	xmlUnmarshaler = reflect.TypeFor[xml.Unmarshaler]()
	textUnmarsh    = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value writes one accessor named {space}local holding v.
func (w *encWriter) value(space, local string, v reflect.Value, omit bool, depth int) error {
	if depth > maxXMLDepth {
		return fmt.Errorf("runtime: encode: values nest deeper than %d levels (a cycle?)", maxXMLDepth)
	}
	name, attrs := w.elemName(space, local)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			if omit {
				return nil
			}
			return w.nilElem(name, attrs)
		}
		v = v.Elem()
	}
	if isNillable(v.Type()) {
		if v.FieldByName("Nil").Bool() {
			return w.nilElem(name, attrs)
		}
		v = v.FieldByName("Value")
		omit = false
	}
	if omit && v.IsZero() {
		return nil
	}
	if isHolder(v.Type()) && w.enc.Types()[v.Type()].Name.Local == "" {
		// The concrete value, with the xsi:type of its own listed type
		// and its members encoded too (the holder's MarshalXML would
		// write them literal).
		return w.value(space, local, v.Field(0), omit, depth+1)
	}
	t := v.Type()
	et, known := w.enc.Types()[t]
	switch {
	case known && et.Item != nil:
		return w.array(name, attrs, v, et, depth)
	case known && t.Kind() == reflect.Struct:
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: w.typeName(et.Name, &attrs)})
		return w.structElem(name, attrs, v, depth)
	case !known && (reflect.PointerTo(t).Implements(xmlMarshaler) || t.Implements(xmlMarshaler)):
		// Values that write themselves (xsd:anyType holders, polymorphic
		// holders naming their own xsi:type).
		se := xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs}
		return w.e.EncodeElement(v.Interface(), se)
	case t.Kind() == reflect.Struct:
		return w.structElem(name, attrs, v, depth)
	}
	tn := xml.Name{Space: nsXSD, Local: xsdOf[t]}
	if known {
		tn = et.Name
	} else if tn.Local == "" {
		tn.Local = xsdOf[kindType(t)]
	}
	if tn.Local != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: w.typeName(tn, &attrs)})
	}
	text, err := leafText(v)
	if err != nil {
		return fmt.Errorf("runtime: encode %s: %w", local, err)
	}
	se := xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs}
	if err := w.e.EncodeToken(se); err != nil {
		return err
	}
	if text != "" {
		if err := w.e.EncodeToken(xml.CharData(text)); err != nil {
			return err
		}
	}
	return w.e.EncodeToken(se.End())
}

// kindType is the predeclared type of t's kind, so a named simple type
// the SOAPEnc does not list still gets the built-in it stands on.
func kindType(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.String:
		return reflect.TypeFor[string]()
	case reflect.Bool:
		return reflect.TypeFor[bool]()
	case reflect.Int, reflect.Int64:
		return reflect.TypeFor[int64]()
	case reflect.Int32:
		return reflect.TypeFor[int32]()
	case reflect.Int16:
		return reflect.TypeFor[int16]()
	case reflect.Int8:
		return reflect.TypeFor[int8]()
	case reflect.Uint, reflect.Uint64:
		return reflect.TypeFor[uint64]()
	case reflect.Uint32:
		return reflect.TypeFor[uint32]()
	case reflect.Uint16:
		return reflect.TypeFor[uint16]()
	case reflect.Uint8:
		return reflect.TypeFor[uint8]()
	case reflect.Float32:
		return reflect.TypeFor[float32]()
	case reflect.Float64:
		return reflect.TypeFor[float64]()
	}
	return t
}

// leafText is the lexical form of a simple value.
func leafText(v reflect.Value) (string, error) {
	if v.Type().Implements(textMarshaler) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), err
	}
	if v.CanAddr() && reflect.PointerTo(v.Type()).Implements(textMarshaler) {
		b, err := v.Addr().Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), err
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return formatXSDFloat(v.Float(), v.Type().Bits()), nil
	}
	return "", fmt.Errorf("cannot encode a value of type %s", v.Type())
}

func (w *encWriter) nilElem(name string, attrs []xml.Attr) error {
	se := xml.StartElement{Name: xml.Name{Local: name}, Attr: append(attrs, xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})}
	if err := w.e.EncodeToken(se); err != nil {
		return err
	}
	return w.e.EncodeToken(se.End())
}

// structElem writes struct v: attributes, text, then members.
func (w *encWriter) structElem(name string, attrs []xml.Attr, v reflect.Value, depth int) error {
	var text string
	for _, f := range encFields(v.Type()) {
		fv := v.FieldByIndex(f.index)
		switch {
		case f.attr:
			for fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					break
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Pointer || f.omit && fv.IsZero() {
				continue
			}
			s, err := leafText(fv)
			if err != nil {
				return fmt.Errorf("runtime: encode attribute %s: %w", f.local, err)
			}
			an := f.local
			if f.space != "" {
				an = w.typeName(xml.Name{Space: f.space, Local: f.local}, &attrs)
			}
			attrs = append(attrs, xml.Attr{Name: xml.Name{Local: an}, Value: s})
		case f.chardata:
			s, err := leafText(fv)
			if err != nil {
				return fmt.Errorf("runtime: encode text: %w", err)
			}
			text += s
		}
	}
	se := xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs}
	if err := w.e.EncodeToken(se); err != nil {
		return err
	}
	if text != "" {
		if err := w.e.EncodeToken(xml.CharData(text)); err != nil {
			return err
		}
	}
	if err := w.members(v, depth); err != nil {
		return err
	}
	return w.e.EncodeToken(se.End())
}

// arrayItems is the slice field of a SOAP array's struct, with its item
// element name.
func arrayItems(t reflect.Type) (encField, bool) {
	var found encField
	n := 0
	for _, f := range encFields(t) {
		if f.attr || f.chardata {
			continue
		}
		n++
		found = f
	}
	return found, n == 1 && isList(found.typ)
}

// array writes a SOAP array: xsi:type soapenc:Array, soapenc:arrayType
// naming the item type and the count, one item element per value.
func (w *encWriter) array(name string, attrs []xml.Attr, v reflect.Value, et impl.EncType, depth int) error {
	f, ok := arrayItems(v.Type())
	if !ok {
		return fmt.Errorf("runtime: encode %s: SOAP array type %s has no single slice field", name, v.Type())
	}
	items := v.FieldByIndex(f.index)
	at := w.typeName(*et.Item, &attrs)
	attrs = append(attrs,
		xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: "soapenc:Array"},
		xml.Attr{Name: xml.Name{Local: "soapenc:arrayType"}, Value: at + "[" + strconv.Itoa(items.Len()) + "]"})
	se := xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs}
	if err := w.e.EncodeToken(se); err != nil {
		return err
	}
	for i := 0; i < items.Len(); i++ {
		// Item names carry no meaning in a SOAP array; unqualified "item"
		// is what PHP, Axis and .NET write.
		if err := w.value("", f.local, items.Index(i), false, depth+1); err != nil {
			return err
		}
	}
	return w.e.EncodeToken(se.End())
}
