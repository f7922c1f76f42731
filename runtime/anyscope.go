package runtime

import (
	"bytes"
	"encoding/xml"
	"sort"
	"sync"
)

// decoding holds what generated types' decode methods tell the runtime
// about the response being decoded; encoding/xml passes them only the
// decoder, so it is the key. decodeEnvelope (and decodeInto for headers
// and fault details) register their decoder for as long as they decode.
var decoding sync.Map // *xml.Decoder → *decodeState

// decodeState is one registered decode.
type decodeState struct {
	// ns: an XSDAnyType keeps its inner XML verbatim, and inner XML is
	// only meaningful with the namespace prefixes in scope where it
	// stood (a Salesforce record field <sf:Id>, a value
	// xsi:type="sf:Account"). encoding/xml exposes no namespace scope,
	// so XSDAnyType.UnmarshalXML looks it up here by byte offset. The
	// index is built on the first lookup, so envelopes without a
	// wildcard cost nothing more.
	ns nsIndex
	// nils are the values MarkXSINil recorded: decoded from an element
	// with xsi:nil="true", to be set back to nil once the decode ends.
	nils map[any]struct{}
}

// stateOf returns d's registered decode, nil when d is not the runtime's.
func stateOf(d *xml.Decoder) *decodeState {
	if x, ok := decoding.Load(d); ok {
		return x.(*decodeState)
	}
	return nil
}

// nsIndex lists the elements of one document that declare namespaces,
// with their byte ranges, so the declarations in scope at an offset are
// those of the ranges around it.
type nsIndex struct {
	data  []byte
	once  sync.Once
	decls []nsDecl
}

type nsDecl struct {
	start  int64 // '<' of the start tag
	tagEnd int64 // after the start tag
	end    int64 // after the end tag (-1: never closed)
	parent int   // nearest enclosing declaring element, -1 at the top
	ns     []xml.Attr
}

func (x *nsIndex) build() {
	d := xml.NewDecoder(bytes.NewReader(x.data))
	d.CharsetReader = charsetReader
	var open []int // per open element: its index in decls, or -1
	cur := -1
	for {
		off := d.InputOffset()
		t, err := d.RawToken()
		tagEnd := d.InputOffset()
		if err != nil {
			return
		}
		switch t := t.(type) {
		case xml.StartElement:
			var ns []xml.Attr
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					ns = append(ns, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					ns = append(ns, xml.Attr{Value: a.Value})
				}
			}
			if ns == nil {
				open = append(open, -1)
				continue
			}
			x.decls = append(x.decls, nsDecl{start: off, tagEnd: tagEnd, end: -1, parent: cur, ns: ns})
			cur = len(x.decls) - 1
			open = append(open, cur)
		case xml.EndElement:
			if len(open) == 0 {
				return
			}
			top := open[len(open)-1]
			open = open[:len(open)-1]
			if top >= 0 {
				x.decls[top].end = d.InputOffset()
				cur = x.decls[top].parent
			}
		}
	}
}

// scopeAt returns prefix → namespace ("" the default) in scope at byte
// offset off, inner declarations overriding outer ones.
func (x *nsIndex) scopeAt(off int64) map[string]string {
	x.once.Do(x.build)
	// The last declaring element that starts before off; the declaring
	// ancestors of off are a suffix of its parent chain, because
	// elements nest.
	i := sort.Search(len(x.decls), func(i int) bool { return x.decls[i].start >= off }) - 1
	// An empty element <v xmlns:x="…"/> has ended by the time its own
	// start tag was read, yet its declarations are its own scope.
	for i >= 0 && x.decls[i].end >= 0 && x.decls[i].end <= off && x.decls[i].tagEnd != off {
		i = x.decls[i].parent
	}
	scope := map[string]string{}
	for ; i >= 0; i = x.decls[i].parent {
		for _, a := range x.decls[i].ns {
			if _, inner := scope[a.Name.Local]; !inner {
				scope[a.Name.Local] = a.Value
			}
		}
	}
	return scope
}

// beginDecode registers d, which reads data, until endDecode.
func beginDecode(d *xml.Decoder, data []byte) *decodeState {
	st := &decodeState{ns: nsIndex{data: data}}
	decoding.Store(d, st)
	return st
}

func endDecode(d *xml.Decoder) { decoding.Delete(d) }
