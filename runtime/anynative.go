package runtime

import (
	"bytes"
	"reflect"

	"github.com/wsdlsess/wsdlsess/runtime/internal/xmldec"
)

// decodeAnyTypeNative is XSDAnyType.UnmarshalXML: the scope kept is
// the one nsIndex.scopeOf gives, charged to the same budget. Values with
// the same scope share one map (a Salesforce answer's thousands of record
// fields have two or three scopes between them).
func decodeAnyTypeNative(d *xmldec.Decoder, v reflect.Value, e *xmldec.Element) error {
	a := (*XSDAnyType)(v.Addr().UnsafePointer()) // registered for this type only
	a.XMLName = e.Name()
	if attrs := e.Attrs(); attrs != nil {
		if a.Attrs == nil {
			a.Attrs = attrs // Attrs made it: no second copy
		} else {
			a.Attrs = append(a.Attrs, attrs...)
		}
	}
	inner, self, err := e.Inner()
	if err != nil {
		return err
	}
	st := d.State().(*decodeState)
	if self {
		a.Inner = nil
	} else {
		a.Inner = st.inner.keep(inner)
	}
	c := &st.anyScope
	c.at(e)
	if st.ns.budget -= c.visited; st.ns.budget < 0 {
		return errScopeBudget
	}
	// The end tag only repeats the start tag's prefix.
	mentioned := e.StartAndInner()
	if len(c.cands) > 64 {
		used := prefixSetOf(mentioned)
		for i := range c.cands {
			c.cands[i].used = c.cands[i].prefix == "" || used.has(c.cands[i].prefix)
		}
		a.Scope = st.sharedScope(c.kept())
		return nil
	}
	mask := c.mentioned(mentioned)
	for _, m := range c.maps {
		if m.m != nil && m.id == c.id && m.mask == mask {
			a.Scope = m.m
			return nil
		}
	}
	for i := range c.cands {
		c.cands[i].used = mask&(1<<i) != 0
	}
	m := st.sharedScope(c.kept())
	c.maps[c.next%len(c.maps)] = scopeMap{id: c.id, mask: mask, m: m}
	c.next++
	a.Scope = m
	return nil
}

// scopeEntry is one binding in scope at an XSDAnyType; used when the
// element mentions it (or it is the default namespace).
type scopeEntry struct {
	prefix, uri string
	used        bool
}

// sharedScope returns a map of exactly the entries kept: one made before
// for the same entries, or a new one, remembered among the last few.
func (st *decodeState) sharedScope(kept []scopeEntry) map[string]string {
	for _, m := range st.scopes {
		if len(m) != len(kept) {
			continue
		}
		same := true
		for _, k := range kept {
			if u, ok := m[k.prefix]; !ok || u != k.uri {
				same = false
				break
			}
		}
		if same {
			return m
		}
	}
	m := make(map[string]string, len(kept))
	for _, k := range kept {
		m[k.prefix] = k.uri
	}
	if len(st.scopes) < 8 {
		st.scopes = append(st.scopes, m)
	} else {
		st.scopes[st.nextScope%8] = m
		st.nextScope++
	}
	return m
}

// anyScopes caches, for the wildcard elements of one xmldec decode, the
// bindings in scope (the same for thousands of record fields, named by
// xmldec.Element.ScopeID) and the scope maps made from them, by which of
// the bindings an element mentions.
type anyScopes struct {
	valid   bool
	id      uint32
	cands   []scopeEntry // in scope at id, innermost first, one a prefix
	visited int          // the declarations in scope, counted to the budget
	all     uint64       // a bit for each of the first 64 cands
	def     uint64       // the bit of the default namespace's entry
	keptBuf []scopeEntry
	maps    [8]scopeMap
	next    int
}

type scopeMap struct {
	id   uint32
	mask uint64
	m    map[string]string
}

func (c *anyScopes) reset() {
	c.valid = false
	clear(c.cands[:cap(c.cands)])
	clear(c.keptBuf[:cap(c.keptBuf)])
	c.maps = [8]scopeMap{}
}

// at makes cands the bindings in scope at e.
func (c *anyScopes) at(e *xmldec.Element) {
	id := e.ScopeID()
	if c.valid && c.id == id {
		return
	}
	c.valid, c.id = true, id
	cands := c.cands[:0]
	c.visited = e.Bindings(func(prefix, uri string) {
		for _, k := range cands {
			if k.prefix == prefix {
				return // an inner declaration of it comes first
			}
		}
		cands = append(cands, scopeEntry{prefix: prefix, uri: uri})
	})
	c.cands = cands
	c.all, c.def = 0, 0
	for i := range min(len(cands), 64) {
		c.all |= 1 << i
		if cands[i].prefix == "" {
			c.def = 1 << i
		}
	}
}

// mentioned returns the mask of the cands (at most 64) b mentions: the
// default namespace's, and those whose prefix stands before a ':' in b
// (what prefixesIn collects).
func (c *anyScopes) mentioned(b []byte) uint64 {
	mask := c.def
	if mask == c.all {
		return mask
	}
	for k := 0; ; {
		n := bytes.IndexByte(b[k:], ':')
		if n < 0 {
			return mask
		}
		k += n
		j := k
		for j > 0 && isNameByte(b[j-1]) {
			j--
		}
		if p := b[j:k]; len(p) > 0 {
			for i := range c.cands {
				if mask&(1<<i) == 0 && c.cands[i].prefix == string(p) {
					if mask |= 1 << i; mask == c.all {
						return mask
					}
					break
				}
			}
		}
		k++
	}
}

// kept returns the cands marked used.
func (c *anyScopes) kept() []scopeEntry {
	kept := c.keptBuf[:0]
	for _, k := range c.cands {
		if k.used {
			kept = append(kept, k)
		}
	}
	c.keptBuf = kept
	return kept
}

// byteChunks copies the inner XML of wildcard elements: a Salesforce
// record field's is a few bytes, and an allocation each was two fifths of
// what decoding a large answer allocated. Small ones are cut from shared
// chunks, each with its capacity ending where it does, so appending to
// one never writes into another; a value kept alone keeps its chunk
// alive (at most chunkSize).
type byteChunks struct{ chunk []byte }

const (
	chunkSize    = 4 << 10
	maxChunkCopy = 256 // larger ones get their own allocation
)

func (c *byteChunks) keep(b []byte) []byte {
	switch {
	case len(b) == 0:
		return []byte{} // empty, not nil, as encoding/xml gives it
	case len(b) > maxChunkCopy:
		return append(make([]byte, 0, len(b)), b...)
	}
	if len(c.chunk)+len(b) > cap(c.chunk) {
		c.chunk = make([]byte, 0, chunkSize)
	}
	start := len(c.chunk)
	c.chunk = append(c.chunk, b...)
	return c.chunk[start:len(c.chunk):len(c.chunk)]
}
