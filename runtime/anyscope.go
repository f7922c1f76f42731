package runtime

import (
	"bytes"
	"encoding/xml"
	"sort"
	"sync"
)

// An XSDAnyType keeps its inner XML verbatim, and inner XML is only
// meaningful with the namespace prefixes in scope where it stood: a
// Salesforce record field <sf:Id> or a value xsi:type="sf:Account" names
// a prefix the envelope declared. encoding/xml exposes no namespace
// scope, so decodeEnvelope registers its decoder here with the envelope's
// bytes, and XSDAnyType.UnmarshalXML looks its scope up by byte offset.
// The index is built on the first lookup, so envelopes without a
// wildcard cost one map store.
var anyScopes sync.Map // *xml.Decoder → *nsIndex

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

// withAnyScope makes XSDAnyType values decoded by d record their scope,
// until endAnyScope.
func withAnyScope(d *xml.Decoder, data []byte) { anyScopes.Store(d, &nsIndex{data: data}) }

func endAnyScope(d *xml.Decoder) { anyScopes.Delete(d) }
