package generator

import (
	"fmt"
	"strings"
)

// plainRestriction reports whether anonymous simpleType c only restricts
// its base by facets (no enumeration, list or union), and returns the base
// and the facets as words for a doc comment.
func (p *planner) plainRestriction(c comp) (ref, string, bool) {
	r := c.n.kid(nsXSD, "restriction")
	if r == nil || r.attr("base") == "" || len(r.kids(nsXSD, "enumeration")) > 0 {
		return ref{}, "", false
	}
	under, e := p.lookupType(c.s, r, r.attr("base"))
	if e != nil || under.t != nil && under.t.kind != kSimple && under.t.kind != kAlias {
		return ref{}, "", false
	}
	return under, facetWords(r), true
}

// facetText is how a doc comment says what a facet allows (%s: its value).
var facetText = map[string]string{
	"length":         "exactly %s characters",
	"minLength":      "at least %s characters",
	"maxLength":      "at most %s characters",
	"pattern":        "matching %s",
	"minInclusive":   "at least %s",
	"maxInclusive":   "at most %s",
	"minExclusive":   "more than %s",
	"maxExclusive":   "less than %s",
	"totalDigits":    "at most %s digits",
	"fractionDigits": "at most %s digits after the point",
}

// facetWords says what a restriction's facets allow, in the words of a
// doc comment: "at most 30 characters; matching [A-Z]+".
func facetWords(r *node) string {
	var out []string
	for _, f := range r.Children {
		if text, ok := facetText[f.Name.Local]; ok && f.Name.Space == nsXSD {
			out = append(out, fmt.Sprintf(text, f.attr("value")))
		}
	}
	return strings.Join(out, "; ")
}

// withFacets appends to a field's doc what the schema allows of its
// value, when an anonymous restriction said it.
func (p *planner) withFacets(doc string, decl *node) string {
	w := p.facets[decl]
	if w == "" {
		return doc
	}
	// Emitted as "Name: at most 30 characters." when it is the whole doc.
	if doc = strings.TrimSpace(doc); doc == "" {
		return w + "."
	}
	return doc + "\n\n" + strings.ToUpper(w[:1]) + w[1:] + "."
}
