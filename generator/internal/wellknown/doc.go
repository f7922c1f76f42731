// Package wellknown holds embedded, reduced copies of the W3C, OASIS and
// xmlsoap schemas that vendor WSDLs import by URL (xml.xsd, XMLSchema, SOAP
// encoding and envelopes, xmlmime, WS-Security secext/utility, XML
// Signature, WS-Addressing, WS-Policy, the WSDL 1.1 namespace, XOP, and the
// OASIS WS-Notification, WS-Topics, WS-BaseFaults and WS-Resource schemas
// and WSDLs that ONVIF imports), so that the loader resolves them without
// touching the network.
//
// Each copy is a valid XSD that declares the global elements, attributes,
// groups and types WSDLs actually reference; documentation prose and rarely
// used parts of the originals are left out, and every file says so in its
// header comment.
//
// The XMLSchema namespace (http://www.w3.org/2001/XMLSchema) is special: its
// built-in types are known to the generator, so Lookup and ByNamespace return
// an empty marker schema with that targetNamespace. IsXMLSchema reports it so
// a loader can skip it instead of parsing it.
package wellknown
