// Package impl is used by code that wsdlsess generates; it is not for use
// by hand, and it changes without notice between versions. Programs use
// the generated client and package runtime (options, credentials, faults,
// stores, the XSD value types).
//
// It holds what a generated package declares and calls: the descriptors of
// its service ports and operations (Service, Operation, FaultType), the
// compiled session profile (Profile and its parts), the rpc/encoded type
// tables (SOAPEnc) and the XML helpers its MarshalXML and UnmarshalXML
// methods call (xsi:type, xsi:nil, qualified names). Package runtime
// imports impl and executes the descriptors; impl never imports runtime.
//
// A generated package refers to SupportPackageIsVersion1, so one generated
// for another contract fails to compile instead of misbehaving.
package impl
