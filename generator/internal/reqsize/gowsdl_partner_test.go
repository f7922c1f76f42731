package reqsize

// The declarations below are gowsdl v0.5.0's output for
// testdata/wsdl/salesforce-partner/partner.wsdl, copied verbatim
// (TestGowsdlTypesVerbatim holds them to it): its package as a whole does
// not compile (QName is undefined, a type named soap shadows the import).

import "encoding/xml"

type SessionHeader struct {
	XMLName xml.Name `xml:"urn:partner.soap.sforce.com SessionHeader"`

	SessionId string `xml:"sessionId,omitempty" json:"sessionId,omitempty"`
}

type Query struct {
	XMLName xml.Name `xml:"urn:partner.soap.sforce.com query"`

	QueryString string `xml:"queryString,omitempty" json:"queryString,omitempty"`
}

type Create struct {
	XMLName xml.Name `xml:"urn:partner.soap.sforce.com create"`

	SObjects []*SObject `xml:"sObjects,omitempty" json:"sObjects,omitempty"`
}

type SObject struct {
	XMLName xml.Name `xml:"urn:sobject.partner.soap.sforce.com sObject"`

	Type_ string `xml:"type,omitempty" json:"type,omitempty"`

	FieldsToNull []*string `xml:"fieldsToNull,omitempty" json:"fieldsToNull,omitempty"`

	Id *ID `xml:"Id,omitempty" json:"Id,omitempty"`

	Items []string `xml:",any" json:"items,omitempty"`
}

type ID string
