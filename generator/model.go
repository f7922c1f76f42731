package generator

import (
	"encoding/xml"
	"sort"
)

// comp is a schema component: its element and the schema it belongs to.
type comp struct {
	n *node
	s *schema
}

// index holds every global schema component and WSDL definition by
// qualified name.
type index struct {
	elements   map[xml.Name]comp
	types      map[xml.Name]comp
	groups     map[xml.Name]comp
	attrGroups map[xml.Name]comp
	attrs      map[xml.Name]comp
	typeOrder  []xml.Name
	elemOrder  []xml.Name

	messages  map[xml.Name]*node
	portTypes map[xml.Name]*node
	bindings  map[xml.Name]*node
	// bindingOrder lists the bindings in document order, for WSDLs
	// that name no service (clients are then made per binding).
	bindingOrder []xml.Name
	services     []*node
	defs         []*node
}

func buildIndex(l *loader) *index {
	ix := &index{
		elements: map[xml.Name]comp{}, types: map[xml.Name]comp{}, groups: map[xml.Name]comp{},
		attrGroups: map[xml.Name]comp{}, attrs: map[xml.Name]comp{},
		messages: map[xml.Name]*node{}, portTypes: map[xml.Name]*node{}, bindings: map[xml.Name]*node{},
		defs: l.defs,
	}
	for _, s := range l.schemas {
		for _, c := range s.n.Children {
			if c.Name.Space != nsXSD {
				continue
			}
			name := xml.Name{Space: s.tns, Local: c.attr("name")}
			var m map[xml.Name]comp
			switch c.Name.Local {
			case "element":
				m = ix.elements
				if _, dup := m[name]; !dup {
					ix.elemOrder = append(ix.elemOrder, name)
				}
			case "complexType", "simpleType":
				m = ix.types
				if _, dup := m[name]; !dup {
					ix.typeOrder = append(ix.typeOrder, name)
				}
			case "group":
				m = ix.groups
			case "attributeGroup":
				m = ix.attrGroups
			case "attribute":
				m = ix.attrs
			default:
				continue
			}
			if _, dup := m[name]; !dup {
				m[name] = comp{c, s}
			}
		}
	}
	for _, d := range l.defs {
		tns := d.attr("targetNamespace")
		for _, c := range d.kids(nsWSDL, "") {
			name := xml.Name{Space: tns, Local: c.attr("name")}
			switch c.Name.Local {
			case "message":
				ix.messages[name] = c
			case "portType":
				ix.portTypes[name] = c
			case "binding":
				if _, dup := ix.bindings[name]; !dup {
					ix.bindingOrder = append(ix.bindingOrder, name)
				}
				ix.bindings[name] = c
			case "service":
				ix.services = append(ix.services, c)
			}
		}
	}
	less := func(a, b xml.Name) bool {
		if a.Space != b.Space {
			return a.Space < b.Space
		}
		return a.Local < b.Local
	}
	sort.SliceStable(ix.typeOrder, func(i, j int) bool { return less(ix.typeOrder[i], ix.typeOrder[j]) })
	sort.SliceStable(ix.elemOrder, func(i, j int) bool { return less(ix.elemOrder[i], ix.elemOrder[j]) })
	return ix
}
