package xmlenc

import (
	"encoding/xml"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

const (
	xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
	xmlNamespace = "http://www.w3.org/XML/1998/namespace"
)

// ErrFallback is returned for a value whose encoding this package does
// not follow (encoding/xml would panic or fail on it, or write it in a
// way not worth reproducing): the caller encodes the whole message with
// encoding/xml instead.
var ErrFallback = errors.New("xmlenc: value left to encoding/xml")

// Start is the element a Native writes: encoding/xml's StartElement plus
// the xsi attributes the runtime's encoders add.
type Start struct {
	Name xml.Name
	Attr []xml.Attr
	// Nil adds xsi:nil="true"; Type, when Local is set, xsi:type.
	Nil bool
	// Keep: the content relies on the default namespace in scope (raw
	// XML with markup), which a Compact encoder then declares as
	// encoding/xml would. (Next to Nil: a Start is no larger.)
	Keep bool
	Type xml.Name
}

// XML returns start as encoding/xml's impl.EncodeXSIType and
// impl.EncodeXSINil build it.
func (s *Start) XML() xml.StartElement {
	out := xml.StartElement{Name: s.Name}
	if !s.Nil && s.Type.Local == "" {
		out.Attr = s.Attr
		return out
	}
	out.Attr = make([]xml.Attr, 0, len(s.Attr)+3)
	out.Attr = append(out.Attr, s.Attr...)
	out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace})
	if s.Type.Local != "" {
		value := s.Type.Local
		if s.Type.Space != "" {
			out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: "xmlns:xt"}, Value: s.Type.Space})
			value = "xt:" + s.Type.Local
		}
		out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: value})
	} else {
		out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	}
	return out
}

// Encoder appends encoded values to Buf. The xsi prefix (when XSI is
// set) and the xt prefix (bound to RootXT when it is not empty) are
// declared by the caller on an element around the output.
type Encoder struct {
	Buf []byte
	// XSI reports that the output uses the xsi prefix undeclared.
	XSI bool
	// RootXT is the namespace of the first xsi:type value with one, which
	// the output's xt prefix means where no element rebinds it.
	RootXT string
	// Fragment, when set, appends a fragment encoding/xml wrote for a
	// Marshaler (frag) to dst, with the declarations that repeat what is
	// in scope there (default namespace def, xsi, xt) dropped; xsi
	// reports that the fragment used the xsi prefix. Unset, the fragment
	// is copied as it is.
	Fragment func(dst, frag []byte, def, xt string) (out []byte, xsi bool)
	// FellBack reports that some value was written by encoding/xml.
	FellBack bool

	// Compact, set before the first Encode, declares each namespace once
	// in each top-level element, on that element: its own as the default
	// namespace, each other one as a prefix (see compact.go); xt is not
	// used.
	Compact bool
	// Shared, with Compact, declares each namespace once in the whole
	// output: on an element the caller writes around it (a SOAP
	// Envelope), with the declarations AppendDecls returns. The first
	// top-level element's namespace is the default namespace there
	// (Default); every other one is a prefix.
	Shared bool
	// Default is the default namespace a Shared output expects declared
	// around it ("": none).
	Default string
	// Unsure reports that a Compact output might not mean what the
	// output without Compact means: the caller encodes again without.
	Unsure bool

	def     string // the default namespace in scope
	xt      string // the binding of xt in scope ("": RootXT or none)
	scratch []byte
	parent  string // namespace of the enclosing element's name
	// old is the default namespace the output would have in scope
	// without Compact (def when not Compact).
	old string
	cs  compactState
}

// Reset empties the encoder for another message, keeping its buffers.
func (e *Encoder) Reset() {
	*e = Encoder{Buf: e.Buf[:0], scratch: e.scratch[:0], cs: e.cs.reset()}
}

// Encode appends v as encoding/xml's Encoder.Encode writes it. On error
// Buf holds a partial element.
func (e *Encoder) Encode(v any) error {
	val := reflect.ValueOf(v)
	if !val.IsValid() {
		return nil
	}
	p, err := planFor(val.Type())
	if err != nil {
		return ErrFallback
	}
	e.def, e.xt, e.parent, e.old = e.Default, "", "", ""
	e.cs.top = true
	return e.value(val, p, nil, nil)
}

// EncodeElement appends v as the element start, as encoding/xml's
// Encoder.EncodeElement does (a Native calls it for what it wraps).
func (e *Encoder) EncodeElement(v reflect.Value, start *Start) error {
	e.callerName(start.Name.Local)
	if !v.IsValid() {
		return nil
	}
	p, err := planFor(v.Type())
	if err != nil {
		return ErrFallback
	}
	return e.value(v, p, nil, start)
}

// value is encoding/xml's marshalValue for a value of plan p, named by
// field f (nil for none) or the template start.
func (e *Encoder) value(v reflect.Value, p *plan, f *fieldPlan, start *Start) error {
	if f != nil && f.omitEmpty && isEmptyValue(v) {
		return nil
	}
	for p.kind == kPtr || p.kind == kIface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
		if p.kind == kIface {
			for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
				if v.IsNil() {
					return nil
				}
				v = v.Elem()
			}
			var err error
			if p, err = planFor(v.Type()); err != nil {
				return ErrFallback
			}
			continue
		}
		p = p.elem
	}
	switch p.kind {
	case kNative, kMarshaler, kPtrMarshaler, kText:
		s := defaultStart(p, f, start)
		switch p.kind {
		case kNative:
			parent := e.parent
			e.parent = ""
			err := p.native(e, v, &s)
			e.parent = parent
			return err
		case kMarshaler:
			return e.Fallback(v, &s)
		case kPtrMarshaler:
			if !v.CanAddr() {
				// encoding/xml would write the struct without its
				// method here: not a case generated code makes.
				return ErrFallback
			}
			return e.Fallback(v.Addr(), &s)
		}
		text, err := v.Interface().(interface{ MarshalText() ([]byte, error) }).MarshalText()
		if err != nil {
			return err
		}
		saved, err := e.open(&s)
		if err != nil {
			return err
		}
		at := len(e.Buf)
		e.Buf = appendEscaped(e.Buf, text)
		e.content(at)
		e.close(s.Name.Local, saved)
		return nil
	case kSlice:
		for i, n := 0, v.Len(); i < n; i++ {
			if err := e.value(v.Index(i), p.elem, f, start); err != nil {
				return err
			}
		}
		return nil
	}
	var s Start
	switch {
	case start != nil:
		s = *start
	case p.kind == kStruct && p.st.xmlname >= 0:
		if p.st.name != "" {
			s.Name = xml.Name{Space: p.st.ns, Local: p.st.name}
		} else if n := v.Field(p.st.xmlname).Interface().(xml.Name); n.Local != "" {
			s.Name = n
			e.callerName(n.Local)
		}
	}
	if s.Name.Local == "" && f != nil {
		s.Name = xml.Name{Space: f.ns, Local: f.name}
	}
	if s.Name.Local == "" {
		if p.name == "" {
			return ErrFallback // encoding/xml's UnsupportedTypeError
		}
		s.Name.Local = p.name
	}
	if p.kind != kStruct {
		saved, err := e.open(&s)
		if err != nil {
			return err
		}
		at := len(e.Buf)
		e.Buf = appendSimple(e.Buf, p.kind, v)
		if p.kind == kString || p.kind == kBytes {
			e.content(at)
		}
		e.close(s.Name.Local, saved)
		return nil
	}
	return e.structValue(v, p.st, &s)
}

func defaultStart(p *plan, f *fieldPlan, start *Start) Start {
	switch {
	case start != nil:
		return *start
	case f != nil && f.name != "":
		return Start{Name: xml.Name{Space: f.ns, Local: f.name}}
	}
	return Start{Name: xml.Name{Local: p.name}}
}

func (e *Encoder) structValue(v reflect.Value, st *structPlan, s *Start) error {
	extra := 0
	for i := range st.fields {
		f := &st.fields[i]
		if f.mode != fAttr && f.mode != fAnyAttr {
			continue
		}
		if extra == 0 {
			// The start's own attributes come first; copy them so a
			// template's slice is never appended to.
			s.Attr = append(make([]xml.Attr, 0, len(s.Attr)+4), s.Attr...)
			extra = 1
		}
		var err error
		if s.Attr, err = appendAttr(s.Attr, xml.Name{Space: f.ns, Local: f.name}, v.Field(f.index), f.p, f.omitEmpty, f.mode == fAnyAttr); err != nil {
			return err
		}
	}
	if e.Compact && st.innerXML && !s.Keep {
		s.Keep = innerMarkup(v, st)
	}
	if st.emptyXMLName && s.Name.Space == "" && e.parent != "" {
		s.Attr = append(s.Attr[:len(s.Attr):len(s.Attr)], xml.Attr{Name: xml.Name{Local: "xmlns"}})
	}
	saved, err := e.open(s)
	if err != nil {
		return err
	}
	for i := range st.fields {
		f := &st.fields[i]
		fv := v.Field(f.index)
		switch f.mode {
		case fAttr, fAnyAttr:
			continue
		case fCharData:
			if err := e.charData(fv, f.p); err != nil {
				return err
			}
		case fInnerXML:
			at := len(e.Buf)
			if fv.Kind() == reflect.String {
				e.Buf = append(e.Buf, fv.String()...)
			} else {
				e.Buf = append(e.Buf, fv.Bytes()...)
			}
			e.content(at)
		default:
			if err := e.value(fv, f.p, f, nil); err != nil {
				return err
			}
		}
	}
	e.close(s.Name.Local, saved)
	return nil
}

func (e *Encoder) charData(v reflect.Value, p *plan) error {
	for p.kind == kPtr {
		if v.IsNil() {
			return nil
		}
		v, p = v.Elem(), p.elem
	}
	if p.kind == kText {
		text, err := v.Interface().(interface{ MarshalText() ([]byte, error) }).MarshalText()
		if err != nil {
			return err
		}
		at := len(e.Buf)
		e.Buf = appendEscaped(e.Buf, text)
		e.content(at)
		return nil
	}
	at := len(e.Buf)
	e.Buf = appendSimple(e.Buf, p.kind, v)
	e.content(at)
	return nil
}

// appendSimple appends the text of a basic value, escaped.
func appendSimple(dst []byte, k kind, v reflect.Value) []byte {
	switch k {
	case kString:
		return appendEscaped(dst, v.String())
	case kBytes:
		return appendEscaped(dst, v.Bytes())
	}
	return appendSimpleRaw(dst, k, v) // numbers and bools need no escaping
}

// appendAttr is encoding/xml's marshalAttr.
func appendAttr(attrs []xml.Attr, name xml.Name, v reflect.Value, p *plan, omitEmpty, anyAttr bool) ([]xml.Attr, error) {
	if omitEmpty && isEmptyValue(v) {
		return attrs, nil
	}
	if p.kind == kPtr {
		if v.IsNil() {
			if p.elem.kind == kText && !omitEmpty {
				return attrs, ErrFallback // encoding/xml calls the method on nil
			}
			return attrs, nil
		}
		v, p = v.Elem(), p.elem
	}
	switch p.kind {
	case kAttrMarsh:
		a, err := v.Interface().(xml.MarshalerAttr).MarshalXMLAttr(name)
		if err != nil {
			return attrs, err
		}
		if a.Name.Local != "" {
			attrs = append(attrs, a)
		}
		return attrs, nil
	case kText:
		text, err := v.Interface().(interface{ MarshalText() ([]byte, error) }).MarshalText()
		if err != nil {
			return attrs, err
		}
		return append(attrs, xml.Attr{Name: name, Value: string(text)}), nil
	case kAttr:
		return append(attrs, v.Interface().(xml.Attr)), nil
	case kBytes:
		return append(attrs, xml.Attr{Name: name, Value: string(v.Bytes())}), nil
	}
	var buf [64]byte
	var s string
	switch p.kind {
	case kString:
		s = v.String()
	default:
		s = string(appendSimpleRaw(buf[:0], p.kind, v))
	}
	return append(attrs, xml.Attr{Name: name, Value: s}), nil
}

func appendSimpleRaw(dst []byte, k kind, v reflect.Value) []byte {
	switch k {
	case kInt:
		return strconv.AppendInt(dst, v.Int(), 10)
	case kUint:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case kFloat:
		return strconv.AppendFloat(dst, v.Float(), 'g', -1, v.Type().Bits())
	case kBool:
		return strconv.AppendBool(dst, v.Bool())
	}
	return dst
}

// saved is what an element's start tag changed, restored at its end
// (a Compact encoder keeps more in compactState.open).
type saved struct {
	def, xt, parent string
}

// open writes the start tag of s: the default namespace declared only
// when it changes, xsi attributes with the xsi prefix the caller
// declares, xt bound only where it differs from what is in scope.
func (e *Encoder) open(s *Start) (saved, error) {
	sv := saved{def: e.def, xt: e.xt, parent: e.parent}
	if s.Name.Local == "" {
		return sv, errors.New("xml: start tag with no name")
	}
	if e.Compact {
		return e.openCompact(s, sv)
	}
	e.Buf = append(e.Buf, '<')
	e.Buf = append(e.Buf, s.Name.Local...)
	if s.Name.Space != "" && s.Name.Space != e.def {
		e.Buf = append(e.Buf, ` xmlns="`...)
		e.Buf = appendEscaped(e.Buf, s.Name.Space)
		e.Buf = append(e.Buf, '"')
		e.def = s.Name.Space
	}
	return e.endStart(s, sv)
}

// endStart writes the rest of s's start tag after its name and namespace
// declarations: its attributes and the xsi ones.
func (e *Encoder) endStart(s *Start, sv saved) (saved, error) {
	e.parent = s.Name.Space
	if err := e.attrs(s); err != nil {
		return sv, err
	}
	e.xsiAttrs(s)
	e.Buf = append(e.Buf, '>')
	return sv, nil
}

// attrs writes the attributes of s.
func (e *Encoder) attrs(s *Start) error {
	if len(s.Attr) == 0 {
		return nil
	}
	at := len(e.Buf) // names and values of the caller's: content
	declared := 0
	for _, a := range s.Attr {
		if a.Name.Local == "" {
			continue
		}
		switch a.Name.Space {
		case "":
			switch {
			case a.Name.Local == "xmlns":
				if s.Name.Space != "" {
					return ErrFallback // two xmlns attributes
				}
				if a.Value == e.def || e.Compact {
					continue // Compact: openCompact declared it
				}
				e.def = a.Value
			case a.Name.Local == "xmlns:xsi" && a.Value == xsiNamespace:
				e.XSI = true
				continue
			case a.Name.Local == "xmlns:xt" || a.Name.Local == "xmlns:xsi":
				return ErrFallback // the prefixes this encoder binds itself
			case strings.HasPrefix(a.Name.Local, "xsi:"):
				e.XSI = true
			}
			e.Buf = append(e.Buf, ' ')
			e.Buf = append(e.Buf, a.Name.Local...)
		case xsiNamespace:
			e.XSI = true
			e.Buf = append(e.Buf, " xsi:"...)
			e.Buf = append(e.Buf, a.Name.Local...)
		case xmlNamespace:
			e.Buf = append(e.Buf, " xml:"...)
			e.Buf = append(e.Buf, a.Name.Local...)
		case "xmlns":
			return ErrFallback // encoding/xml mangles it
		default:
			// A prefix of this element's own, one per attribute: the
			// names are unique within the element.
			declared++
			p := "_a" + strconv.Itoa(declared)
			e.Buf = append(e.Buf, " xmlns:"+p+`="`...)
			e.Buf = appendEscaped(e.Buf, a.Name.Space)
			e.Buf = append(e.Buf, "\" "+p+":"...)
			e.Buf = append(e.Buf, a.Name.Local...)
		}
		e.Buf = append(e.Buf, `="`...)
		e.Buf = appendEscaped(e.Buf, a.Value)
		e.Buf = append(e.Buf, '"')
	}
	e.content(at)
	return nil
}

// xsiAttrs writes the xsi:type and xsi:nil of s.
func (e *Encoder) xsiAttrs(s *Start) {
	if s.Nil || s.Type.Local != "" {
		e.XSI = true
	}
	if s.Type.Local != "" {
		e.Buf = append(e.Buf, ` xsi:type="`...)
		if e.Compact {
			e.Buf = e.appendQName(e.Buf, s.Type)
		} else if s.Type.Space != "" {
			if e.RootXT == "" {
				e.RootXT = s.Type.Space
			}
			cur := e.xt
			if cur == "" {
				cur = e.RootXT
			}
			if cur != s.Type.Space {
				e.Buf = append(e.Buf[:len(e.Buf)-len(` xsi:type="`)], ` xmlns:xt="`...)
				e.Buf = appendEscaped(e.Buf, s.Type.Space)
				e.Buf = append(e.Buf, `" xsi:type="`...)
				e.xt = s.Type.Space
			}
			e.Buf = append(e.Buf, "xt:"...)
		}
		if !e.Compact {
			e.Buf = appendEscaped(e.Buf, s.Type.Local)
		}
		e.Buf = append(e.Buf, '"')
	}
	if s.Nil {
		e.Buf = append(e.Buf, ` xsi:nil="true"`...)
	}
}

func (e *Encoder) close(local string, sv saved) {
	e.Buf = append(e.Buf, "</"...)
	if e.Compact {
		e.endPrefix()
	}
	e.Buf = append(e.Buf, local...)
	e.Buf = append(e.Buf, '>')
	e.def, e.xt, e.parent = sv.def, sv.xt, sv.parent
	if e.Compact {
		e.closeCompact()
	}
}

// Element writes start, then body (which writes the content), then the
// end tag: for a Native.
func (e *Encoder) Element(start *Start, body func(e *Encoder) error) error {
	e.callerName(start.Name.Local)
	sv, err := e.open(start)
	if err != nil {
		return err
	}
	if body != nil {
		if err := body(e); err != nil {
			return err
		}
	}
	e.close(start.Name.Local, sv)
	return nil
}

// Raw appends raw XML content.
func (e *Encoder) Raw(b []byte) {
	at := len(e.Buf)
	e.Buf = append(e.Buf, b...)
	e.content(at)
}

// Fallback writes v as the element start with encoding/xml, as its
// MarshalXML (or encoding/xml's EncodeElement) would.
func (e *Encoder) Fallback(v reflect.Value, start *Start) error {
	e.FellBack = true
	w := fragWriter{b: e.scratch[:0]}
	enc := xml.NewEncoder(&w)
	if err := enc.EncodeElement(v.Interface(), start.XML()); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	e.scratch = w.b
	if e.cs.top {
		// A top-level fragment: a Shared output's default namespace
		// stays none, which the fragment's names may mean.
		e.cs.sharedDefault = true
	}
	if e.Compact && e.def != e.old {
		// The fragment's names without a namespace declaration mean the
		// default namespace encoding/xml would have in scope here.
		e.Unsure = true
	}
	if e.Fragment == nil {
		e.Buf = append(e.Buf, w.b...)
		return nil
	}
	at := len(e.Buf)
	defer e.content(at)
	xt := e.xt
	if xt == "" && !e.Compact {
		xt = e.RootXT
	}
	var xsi bool
	e.Buf, xsi = e.Fragment(e.Buf, w.b, e.def, xt)
	e.XSI = e.XSI || xsi
	return nil
}

type fragWriter struct{ b []byte }

func (w *fragWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
