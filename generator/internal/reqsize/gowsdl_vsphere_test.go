package reqsize

// The declarations below are gowsdl v0.5.0's output for
// testdata/wsdl/vsphere/vim25/vim.wsdl, copied verbatim
// (TestGowsdlTypesVerbatim holds them to it), but for the unexported field
// _this of RetrievePropertiesRequestType: encoding/xml never writes it, and
// go vet rejects its tags.

import "encoding/xml"

type RetrievePropertiesRequestType struct {
	XMLName xml.Name `xml:"urn:vim25 RetrieveProperties"`

	SpecSet []*PropertyFilterSpec `xml:"specSet,omitempty" json:"specSet,omitempty"`
}

type PropertyFilterSpec struct {
	*DynamicData

	PropSet []*PropertySpec `xml:"propSet,omitempty" json:"propSet,omitempty"`

	ObjectSet []*ObjectSpec `xml:"objectSet,omitempty" json:"objectSet,omitempty"`

	ReportMissingObjectsInResults bool `xml:"reportMissingObjectsInResults,omitempty" json:"reportMissingObjectsInResults,omitempty"`
}

type PropertySpec struct {
	*DynamicData

	Type_ string `xml:"type,omitempty" json:"type,omitempty"`

	All bool `xml:"all,omitempty" json:"all,omitempty"`

	PathSet []string `xml:"pathSet,omitempty" json:"pathSet,omitempty"`
}

type ObjectSpec struct {
	*DynamicData

	Obj *ManagedObjectReference `xml:"obj,omitempty" json:"obj,omitempty"`

	Skip bool `xml:"skip,omitempty" json:"skip,omitempty"`

	SelectSet []*SelectionSpec `xml:"selectSet,omitempty" json:"selectSet,omitempty"`
}

type SelectionSpec struct {
	*DynamicData

	Name string `xml:"name,omitempty" json:"name,omitempty"`
}

type DynamicData struct {
	DynamicType string `xml:"dynamicType,omitempty" json:"dynamicType,omitempty"`

	DynamicProperty []*DynamicProperty `xml:"dynamicProperty,omitempty" json:"dynamicProperty,omitempty"`
}

type DynamicProperty struct {
	Name string `xml:"name,omitempty" json:"name,omitempty"`

	Val AnyType `xml:"val,omitempty" json:"val,omitempty"`
}

type ManagedObjectReference string

type AnyType struct {
	InnerXML string `xml:",innerxml"`
}
