package runtime

import (
	"bytes"
	"encoding"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

const (
	// maxEncodedElements bounds the elements of one rpc/encoded response
	// body, which is read whole before it is decoded: an href may point at
	// any later multiRef element. 200,000 elements hold a few thousand
	// records of an Axis 1 answer and cost well under 100 MiB.
	maxEncodedElements = 200000
	// maxEncodedAttrs bounds their attributes: an xsi:type on each
	// element, a few more on each multiRef.
	maxEncodedAttrs = 4 * maxEncodedElements
	// maxEncodedVisits bounds the values one decode produces. A value
	// referenced from several places is decoded at each (Go values are
	// trees), so multiRefs that each reference the next twice would double
	// per level; twice the element bound leaves room for honest sharing.
	maxEncodedVisits = 2 * maxEncodedElements
	// maxHrefHops bounds a chain of references (href to an element that
	// itself only refers on).
	maxHrefHops = 64
)

// decodeSOAPEncBody decodes an rpc/encoded response body into out: the
// wrapper first, whose start tag the decoder has just read, then the
// elements after it (Axis 1's multiRef elements) that href="#id"
// references point at. Values are matched to fields by local name, as
// SOAP encoding names accessors; the items of a SOAP array by position.
func decodeSOAPEncBody(d *xml.Decoder, first *xml.StartElement, out any, enc *impl.SOAPEnc) error {
	b := nodeBudget{elems: maxEncodedElements, attrs: maxEncodedAttrs}
	st := stateOf(d)
	// top decodes one element of the body, with the declarations in scope
	// where it stands (for xsi:type values and values re-read on their
	// own), resolved while the envelope's bytes are at hand.
	top := func(se *xml.StartElement) (xmlNode, error) {
		var n xmlNode
		from := d.InputOffset()
		if err := encBound(n.decode(d, *se, &b, 0)); err != nil || st == nil {
			return n, err
		}
		var err error
		n.scope, err = st.ns.scopeOf(from, d.InputOffset())
		return n, err
	}
	root, err := top(first)
	if err != nil {
		return err
	}
	var rest []xmlNode
	for {
		se, err := nextChild(d)
		if err != nil {
			return err
		}
		if se == nil {
			break
		}
		n, err := top(se)
		if err != nil {
			return err
		}
		rest = append(rest, n)
	}
	r := &encReader{enc: enc, ids: map[string]*xmlNode{}, parent: map[*xmlNode]*xmlNode{}}
	r.collect(&root)
	for i := range rest {
		r.collect(&rest[i])
	}
	if out == nil {
		return nil
	}
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("decode into %T: not a pointer", out)
	}
	return r.wrapper(&root, v.Elem())
}

// encBound restates the bounds of xmlNode for an encoded body.
func encBound(err error) error {
	switch err {
	case errTooManyElements:
		return fmt.Errorf("more than %d elements in an rpc/encoded body (refused as hostile)", maxEncodedElements)
	case errTooManyAttrs:
		return fmt.Errorf("more than %d attributes in an rpc/encoded body (refused as hostile)", maxEncodedAttrs)
	}
	return err
}

type encReader struct {
	enc *impl.SOAPEnc
	ids map[string]*xmlNode
	// parent links each element to its parent, for the namespace
	// declarations in scope where it stands (scopeOf).
	parent map[*xmlNode]*xmlNode
	visits int
}

// collect indexes the elements of n's tree that carry an id.
func (r *encReader) collect(n *xmlNode) {
	stack := []*xmlNode{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range cur.Attrs {
			if a.Name.Space == "" && a.Name.Local == "id" {
				if _, dup := r.ids[a.Value]; !dup {
					r.ids[a.Value] = cur
				}
			}
		}
		for i := range cur.Nodes {
			r.parent[&cur.Nodes[i]] = cur
			stack = append(stack, &cur.Nodes[i])
		}
	}
}

// resolve follows n's href to the element it references.
func (r *encReader) resolve(n *xmlNode) (*xmlNode, error) {
	for hop := 0; ; hop++ {
		ref, ok := attrValue(n, "", "href")
		if !ok {
			return n, nil
		}
		if hop == maxHrefHops {
			return nil, fmt.Errorf("href chain longer than %d references", maxHrefHops)
		}
		id, local := strings.CutPrefix(strings.TrimSpace(ref), "#")
		if !local {
			return nil, fmt.Errorf("href %q does not reference an element of the message", ref)
		}
		t, ok := r.ids[id]
		if !ok {
			return nil, fmt.Errorf("href %q references no element (no id=%q in the body)", ref, id)
		}
		n = t
	}
}

func attrValue(n *xmlNode, space, local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func encNil(n *xmlNode) bool {
	v, ok := attrValue(n, xsiNamespace, "nil")
	v = strings.TrimSpace(v)
	return ok && (v == "true" || v == "1")
}

// wrapper decodes the response wrapper: parts by name and, when the one
// part's accessor has another name (some servers write "return"), by
// position.
func (r *encReader) wrapper(n *xmlNode, v reflect.Value) error {
	if v.Kind() != reflect.Struct {
		return r.into(n, v, 0)
	}
	fs := elementFields(v.Type())
	if len(fs) == 1 && len(n.Nodes) > 0 && fieldFor(fs, n.Nodes[0].XMLName.Local) == nil {
		found := false
		for i := range n.Nodes {
			if fieldFor(fs, n.Nodes[i].XMLName.Local) != nil {
				found = true
			}
		}
		if !found {
			f := fs[0]
			fv := v.FieldByIndex(f.index)
			if isList(f.typ) {
				return r.appendAll(n.Nodes, fv, 1)
			}
			return r.into(&n.Nodes[0], fv, 1)
		}
	}
	return r.into(n, v, 0)
}

func elementFields(t reflect.Type) []encField {
	var out []encField
	for _, f := range encFields(t) {
		if !f.attr && !f.chardata {
			out = append(out, f)
		}
	}
	return out
}

func fieldFor(fs []encField, local string) *encField {
	for i := range fs {
		if fs[i].local == local {
			return &fs[i]
		}
	}
	return nil
}

func (r *encReader) appendAll(nodes []xmlNode, slice reflect.Value, depth int) error {
	for i := range nodes {
		ev := reflect.New(slice.Type().Elem()).Elem()
		if err := r.into(&nodes[i], ev, depth+1); err != nil {
			return err
		}
		slice.Set(reflect.Append(slice, ev))
	}
	return nil
}

// into decodes the value of accessor n into v.
func (r *encReader) into(n *xmlNode, v reflect.Value, depth int) error {
	if r.visits++; r.visits > maxEncodedVisits {
		return fmt.Errorf("more than %d values in an rpc/encoded body (refused as hostile)", maxEncodedVisits)
	}
	if depth > maxXMLDepth {
		return fmt.Errorf("values nest deeper than %d levels (a reference cycle?)", maxXMLDepth)
	}
	n, err := r.resolve(n)
	if err != nil {
		return err
	}
	t := v.Type()
	if encNil(n) {
		if isNillable(t) {
			v.Set(reflect.Zero(t))
			v.FieldByName("Nil").SetBool(true)
			return nil
		}
		v.Set(reflect.Zero(t))
		return nil
	}
	switch {
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return r.into(n, v.Elem(), depth+1)
	case t.Kind() == reflect.Interface:
		return r.iface(n, v, depth)
	case isNillable(t):
		v.FieldByName("Nil").SetBool(false)
		return r.into(n, v.FieldByName("Value"), depth+1)
	}
	et, known := r.enc.Types()[t]
	if !known && isHolder(t) {
		return r.iface(n, v.Field(0), depth)
	}
	switch {
	case known && et.Item != nil, t.Kind() == reflect.Struct && isArrayNode(n):
		if f, ok := arrayItems(t); ok {
			return r.appendAll(n.Nodes, v.FieldByIndex(f.index), depth)
		}
	}
	if !known && reflect.PointerTo(t).Implements(xmlUnmarshaler) {
		// Values that read themselves (xsd:anyType, polymorphic
		// holders): from the element written out on its own.
		var buf bytes.Buffer
		alone := *n
		alone.scope = r.scopeOf(n)
		alone.write(&buf)
		return xml.Unmarshal(buf.Bytes(), v.Addr().Interface())
	}
	if t.Kind() == reflect.Struct {
		return r.fields(n, v, depth)
	}
	if err := setLeaf(v, n.Text); err != nil {
		return fmt.Errorf("<%s>: %w", n.XMLName.Local, err)
	}
	return nil
}

// isArrayNode reports whether n says it is a SOAP array.
func isArrayNode(n *xmlNode) bool {
	_, ok := attrValue(n, impl.NSSOAPEnc, "arrayType")
	return ok
}

// fields decodes struct v from n: attributes, text and child accessors by
// local name (SOAP encoding leaves accessors unqualified, and servers
// differ where the schema qualifies them).
func (r *encReader) fields(n *xmlNode, v reflect.Value, depth int) error {
	fs := encFields(v.Type())
	for _, f := range fs {
		fv := v.FieldByIndex(f.index)
		switch {
		case f.attr:
			if s, ok := attrValue(n, f.space, f.local); ok {
				if err := setLeaf(fv, s); err != nil {
					return fmt.Errorf("attribute %s: %w", f.local, err)
				}
			}
		case f.chardata:
			if err := setLeaf(fv, n.Text); err != nil {
				return fmt.Errorf("<%s>: %w", n.XMLName.Local, err)
			}
		}
	}
	for i := range n.Nodes {
		c := &n.Nodes[i]
		var f *encField
		for j := range fs {
			if !fs[j].attr && !fs[j].chardata && fs[j].local == c.XMLName.Local {
				f = &fs[j]
				break
			}
		}
		if f == nil {
			continue
		}
		fv := v.FieldByIndex(f.index)
		if isList(f.typ) {
			if err := r.appendAll(n.Nodes[i:i+1], fv, depth); err != nil {
				return err
			}
			continue
		}
		if err := r.into(c, fv, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// iface decodes into an interface field (a polymorphic holder's value):
// the listed type the element's xsi:type names, if it implements the
// interface; otherwise the field stays nil.
func (r *encReader) iface(n *xmlNode, v reflect.Value, depth int) error {
	xt, ok := attrValue(n, xsiNamespace, "type")
	if !ok {
		return nil
	}
	prefix, local, found := strings.Cut(strings.TrimSpace(xt), ":")
	if !found {
		prefix, local = "", prefix
	}
	space := r.scopeOf(n)[prefix]
	for gt, et := range r.enc.Types() {
		if et.Name.Local != local || et.Name.Space != space {
			continue
		}
		pt := reflect.PointerTo(gt)
		switch {
		case pt.Implements(v.Type()):
			nv := reflect.New(gt)
			if err := r.into(n, nv.Elem(), depth+1); err != nil {
				return err
			}
			v.Set(nv)
			return nil
		case gt.Implements(v.Type()):
			nv := reflect.New(gt).Elem()
			if err := r.into(n, nv, depth+1); err != nil {
				return err
			}
			v.Set(nv)
			return nil
		}
	}
	return nil
}

// scopeOf is the namespace declarations in scope at n: its own and its
// ancestors', over those where its top element stood.
func (r *encReader) scopeOf(n *xmlNode) map[string]string {
	var chain []*xmlNode
	for cur := n; cur != nil; cur = r.parent[cur] {
		chain = append(chain, cur)
	}
	scope := map[string]string{}
	for k, v := range chain[len(chain)-1].scope {
		scope[k] = v
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, a := range chain[i].Attrs {
			switch {
			case a.Name.Space == "xmlns":
				scope[a.Name.Local] = a.Value
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				scope[""] = a.Value
			}
		}
	}
	return scope
}

// setLeaf sets simple value v from its lexical form s.
func setLeaf(v reflect.Value, s string) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return setLeaf(v.Elem(), s)
	}
	if v.CanAddr() && reflect.PointerTo(v.Type()).Implements(textUnmarsh) {
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(strings.TrimSpace(s)))
	}
	if v.Kind() == reflect.String {
		v.SetString(s)
		return nil
	}
	s = strings.TrimSpace(s)
	switch v.Kind() {
	case reflect.Bool:
		switch s {
		case "true", "1":
			v.SetBool(true)
		case "false", "0", "":
			v.SetBool(false)
		default:
			return fmt.Errorf("%q is not an xsd:boolean", s)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if s == "" {
			v.SetInt(0)
			return nil
		}
		i, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if s == "" {
			v.SetUint(0)
			return nil
		}
		i, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		if s == "" {
			v.SetFloat(0)
			return nil
		}
		f, err := parseXSDFloat(s, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(f)
	default:
		return fmt.Errorf("cannot decode into a value of type %s", v.Type())
	}
	return nil
}
