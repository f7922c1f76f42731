package wellknown

// schema is one embedded file: its namespace and every location under which
// WSDLs in the wild import it.
type schema struct {
	file      string
	namespace string
	// locations are the URLs seen in schemaLocation attributes. The first one
	// is the canonical location. Variants that differ only in http/https, a
	// trailing slash or a trailing '#' need not be listed: normalize folds
	// them.
	locations []string
	// wsdl: the file is a WSDL 1.1 definitions document (imported with
	// wsdl:import), not a schema; ByNamespace never returns it.
	wsdl bool
}

// Namespaces of the embedded schemas that other code in the generator needs
// by name.
const (
	XMLSchemaNamespace = "http://www.w3.org/2001/XMLSchema"
	XMLNamespace       = "http://www.w3.org/XML/1998/namespace"
	SOAPEncodingNS     = "http://schemas.xmlsoap.org/soap/encoding/"
)

// schemas lists every embedded file. Aliases come from the locations real
// WSDLs use: dated W3C copies, the namespace URI itself used as a location,
// and the OASIS namespace URIs that double as locations.
var schemas = []schema{
	{
		file:      "xml.xsd",
		namespace: XMLNamespace,
		locations: []string{
			"http://www.w3.org/2001/xml.xsd",
			"http://www.w3.org/2001/03/xml.xsd",
			"http://www.w3.org/2004/10/xml.xsd",
			"http://www.w3.org/2007/08/xml.xsd",
			"http://www.w3.org/2009/01/xml.xsd",
			"http://www.w3.org/XML/1998/namespace",
			"http://www.w3.org/XML/1998/namespace.xsd",
		},
	},
	{
		file:      "xmlschema.xsd",
		namespace: XMLSchemaNamespace,
		locations: []string{
			"http://www.w3.org/2001/XMLSchema.xsd",
			"http://www.w3.org/2001/XMLSchema",
		},
	},
	{
		file:      "soap-encoding.xsd",
		namespace: SOAPEncodingNS,
		locations: []string{
			"http://schemas.xmlsoap.org/soap/encoding/",
			"http://schemas.xmlsoap.org/soap/encoding/soap-encoding.xsd",
		},
	},
	{
		file:      "soap-envelope-1.1.xsd",
		namespace: "http://schemas.xmlsoap.org/soap/envelope/",
		locations: []string{
			"http://schemas.xmlsoap.org/soap/envelope/",
			"http://schemas.xmlsoap.org/soap/envelope/soap-envelope.xsd",
		},
	},
	{
		file:      "soap-envelope-1.2.xsd",
		namespace: "http://www.w3.org/2003/05/soap-envelope",
		locations: []string{
			"http://www.w3.org/2003/05/soap-envelope",
			"http://www.w3.org/2003/05/soap-envelope.xsd",
			"http://www.w3.org/2003/05/soap-envelope/soap-envelope.xsd",
		},
	},
	{
		file:      "xmlmime.xsd",
		namespace: "http://www.w3.org/2005/05/xmlmime",
		locations: []string{
			"http://www.w3.org/2005/05/xmlmime",
			"http://www.w3.org/2005/05/xmlmime.xsd",
		},
	},
	{
		file:      "wss-utility-1.0.xsd",
		namespace: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
		locations: []string{
			"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
		},
	},
	{
		file:      "wss-secext-1.0.xsd",
		namespace: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
		locations: []string{
			"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
		},
	},
	{
		file:      "xmldsig-core.xsd",
		namespace: "http://www.w3.org/2000/09/xmldsig#",
		locations: []string{
			"http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd",
			"http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd",
			"http://www.w3.org/TR/2008/REC-xmldsig-core-20080610/xmldsig-core-schema.xsd",
			"http://www.w3.org/2000/09/xmldsig",
		},
	},
	{
		file:      "ws-addressing-2004-08.xsd",
		namespace: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
		locations: []string{
			"http://schemas.xmlsoap.org/ws/2004/08/addressing",
			"http://schemas.xmlsoap.org/ws/2004/08/addressing/addressing.xsd",
		},
	},
	{
		file:      "ws-addressing-2005-08.xsd",
		namespace: "http://www.w3.org/2005/08/addressing",
		locations: []string{
			"http://www.w3.org/2006/03/addressing/ws-addr.xsd",
			"http://www.w3.org/2005/08/addressing/ws-addr.xsd",
			"http://www.w3.org/2005/08/addressing",
		},
	},
	{
		file:      "ws-policy-2004-09.xsd",
		namespace: "http://schemas.xmlsoap.org/ws/2004/09/policy",
		locations: []string{
			"http://schemas.xmlsoap.org/ws/2004/09/policy/ws-policy.xsd",
			"http://schemas.xmlsoap.org/ws/2004/09/policy",
		},
	},
	{
		file:      "ws-policy-1.5.xsd",
		namespace: "http://www.w3.org/ns/ws-policy",
		locations: []string{
			"http://www.w3.org/2007/02/ws-policy.xsd",
			"http://www.w3.org/ns/ws-policy",
		},
	},
	{
		file:      "wsdl-1.1.xsd",
		namespace: "http://schemas.xmlsoap.org/wsdl/",
		locations: []string{
			"http://schemas.xmlsoap.org/wsdl/",
			"http://schemas.xmlsoap.org/wsdl/wsdl.xsd",
		},
	},
	// WS-Notification, WS-Topics, WS-BaseFaults and WS-Resource: every
	// ONVIF device WSDL imports them by URL (event.wsdl the two WSDLs,
	// onvif.xsd the notification schema).
	{
		file:      "oasis-wsn-b-2.xsd",
		namespace: "http://docs.oasis-open.org/wsn/b-2",
		locations: []string{
			"http://docs.oasis-open.org/wsn/b-2.xsd",
		},
	},
	{
		file:      "oasis-wsn-t-1.xsd",
		namespace: "http://docs.oasis-open.org/wsn/t-1",
		locations: []string{
			"http://docs.oasis-open.org/wsn/t-1.xsd",
		},
	},
	{
		file:      "oasis-wsrf-bf-2.xsd",
		namespace: "http://docs.oasis-open.org/wsrf/bf-2",
		locations: []string{
			"http://docs.oasis-open.org/wsrf/bf-2.xsd",
		},
	},
	{
		file:      "oasis-wsrf-r-2.xsd",
		namespace: "http://docs.oasis-open.org/wsrf/r-2",
		locations: []string{
			"http://docs.oasis-open.org/wsrf/r-2.xsd",
		},
	},
	{
		file:      "oasis-wsn-bw-2.wsdl",
		namespace: "http://docs.oasis-open.org/wsn/bw-2",
		wsdl:      true,
		locations: []string{
			"http://docs.oasis-open.org/wsn/bw-2.wsdl",
		},
	},
	{
		file:      "oasis-wsrf-rw-2.wsdl",
		namespace: "http://docs.oasis-open.org/wsrf/rw-2",
		wsdl:      true,
		locations: []string{
			"http://docs.oasis-open.org/wsrf/rw-2.wsdl",
		},
	},
	{
		file:      "xop-include.xsd",
		namespace: "http://www.w3.org/2004/08/xop/include",
		locations: []string{
			"http://www.w3.org/2004/08/xop/include",
			"http://www.w3.org/2004/08/xop/include.xsd",
		},
	},
}
