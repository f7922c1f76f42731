package impl

import (
	"encoding/xml"
)

// SOAPVersion selects the envelope namespace, content type and fault shape.
type SOAPVersion int

const (
	SOAP11 SOAPVersion = 1 // http://schemas.xmlsoap.org/soap/envelope/, text/xml + SOAPAction header
	SOAP12 SOAPVersion = 2 // http://www.w3.org/2003/05/soap-envelope, application/soap+xml; action=...
)

// Operation describes one WSDL operation of one binding. Generated code keeps
// one package-level Operation per method and passes it to Client.Invoke.
type Operation struct {
	// Name is the WSDL operation name, used in logs and errors.
	Name string
	// Action is the binding's soapAction ("" when the binding declares none).
	Action string
	// SOAP is the binding's SOAP version.
	SOAP SOAPVersion
	// OneWay is true when the operation has no output message.
	OneWay bool
	// Faults lists the fault details the operation declares, so a fault whose
	// detail carries one of these elements decodes into its typed value
	// (Fault.Detail).
	Faults []FaultType
	// Encoded is set for an rpc/encoded operation: the types its values
	// name on the wire. The response body is then decoded by SOAP encoding
	// rules (href/id references, SOAP arrays); the request wrapper's
	// generated MarshalXML encodes with the same types.
	Encoded *SOAPEnc
}

// FaultType maps a fault detail element to a constructor of its Go type.
type FaultType struct {
	Name xml.Name
	New  func() any
}

// FaultTypeOf is the FaultType of the fault element {space}local whose
// detail decodes into a new T: one line per entry in generated fault
// tables (vSphere's run to thousands of entries).
func FaultTypeOf[T any](space, local string) FaultType {
	return FaultType{Name: xml.Name{Space: space, Local: local}, New: func() any { return new(T) }}
}

// Service describes one generated client: a WSDL service port and the
// session profile compiled for it.
type Service struct {
	// Name is the WSDL service name, Port the port name.
	Name string
	Port string
	// Endpoint is the port's soap:address location, the default endpoint.
	Endpoint string
	// Profile is the compiled session profile; nil means no session.
	Profile *Profile
}
