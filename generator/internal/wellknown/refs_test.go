package wellknown

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// components maps a namespace to the names of its global components,
// whatever their kind (element, attribute, type, group, attributeGroup).
// Keeping one space per namespace is coarser than XSD's symbol spaces, but
// it is enough to catch a reference to a name that does not exist.
type components map[string]map[string]bool

// builtins are the XSD built-in type names a reduced schema may reference.
var builtins = strings.Fields(`anyType anySimpleType string normalizedString
token language Name NCName NMTOKEN NMTOKENS ID IDREF IDREFS ENTITY ENTITIES
QName NOTATION anyURI boolean float double decimal integer nonPositiveInteger
negativeInteger long int short byte nonNegativeInteger unsignedLong
unsignedInt unsignedShort unsignedByte positiveInteger date time dateTime
duration gYear gYearMonth gMonth gMonthDay gDay base64Binary hexBinary`)

// qnameAttrs are the schema attributes whose values are QNames (or lists of
// them) that must resolve.
var qnameAttrs = map[string]bool{"type": true, "ref": true, "base": true, "itemType": true, "memberTypes": true, "substitutionGroup": true}

// TestReferencesResolve checks that every QName a schema uses names a
// built-in or a global component of an embedded schema, and that every
// xsd:import it makes resolves to an embedded schema, so the loader never
// needs the network to finish loading one of these files.
func TestReferencesResolve(t *testing.T) {
	comps := components{XMLSchemaNamespace: {}}
	for _, b := range builtins {
		comps[XMLSchemaNamespace][b] = true
	}
	for _, s := range schemas {
		if err := collectGlobals(mustRead(t, s.file), s.namespace, comps); err != nil {
			t.Fatalf("%s: %v", s.file, err)
		}
	}
	for _, s := range schemas {
		for _, err := range checkRefs(mustRead(t, s.file), comps) {
			t.Errorf("%s: %v", s.file, err)
		}
	}
}

// TestExpectedGlobals pins the components WSDLs actually reference, so a
// later trim of a schema cannot silently drop one.
func TestExpectedGlobals(t *testing.T) {
	want := map[string]string{
		XMLNamespace:                        "lang space base id specialAttrs",
		SOAPEncodingNS:                      "Array Struct arrayType offset position root commonAttributes arrayCoordinate base64 string int long boolean dateTime decimal base64Binary QName anyURI nonNegativeInteger",
		"http://www.w3.org/2005/05/xmlmime": "contentType expectedContentTypes base64Binary hexBinary",
		"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd":  "Security UsernameToken Password Nonce BinarySecurityToken SecurityTokenReference KeyIdentifier Reference Usage AttributedString PasswordString EncodedString UsernameTokenType",
		"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd": "Timestamp Id Created Expires commonAtts AttributedDateTime AttributedURI TimestampType",
		"http://www.w3.org/2000/09/xmldsig#":                                                 "Signature SignedInfo CanonicalizationMethod SignatureMethod Reference Transforms Transform DigestMethod DigestValue SignatureValue KeyInfo KeyName KeyValue X509Data Object Manifest",
		"http://schemas.xmlsoap.org/ws/2004/08/addressing":                                   "EndpointReference EndpointReferenceType Action To MessageID RelatesTo ReplyTo From FaultTo AttributedURI",
		"http://www.w3.org/2005/08/addressing":                                               "EndpointReference EndpointReferenceType Action To MessageID RelatesTo ReplyTo From FaultTo ReferenceParameters Metadata IsReferenceParameter",
		"http://schemas.xmlsoap.org/ws/2004/09/policy":                                       "Policy PolicyReference All ExactlyOne PolicyAttachment AppliesTo Optional PolicyURIs",
		"http://www.w3.org/ns/ws-policy":                                                     "Policy PolicyReference All ExactlyOne PolicyAttachment AppliesTo Optional Ignorable PolicyURIs",
		"http://schemas.xmlsoap.org/soap/envelope/":                                          "Envelope Header Body Fault mustUnderstand actor encodingStyle",
		"http://www.w3.org/2003/05/soap-envelope":                                            "Envelope Header Body Fault NotUnderstood Upgrade mustUnderstand relay role encodingStyle",
		"http://schemas.xmlsoap.org/wsdl/":                                                   "arrayType",
		"http://docs.oasis-open.org/wsn/b-2":                                                 "Notify NotificationMessage Subscribe SubscribeResponse GetMessages GetMessagesResponse Renew RenewResponse Unsubscribe UnsubscribeResponse CreatePullPoint CreatePullPointResponse TopicExpressionType FilterType NotificationMessageHolderType AbsoluteOrRelativeTimeType",
		"http://docs.oasis-open.org/wsn/t-1":                                                 "TopicSet TopicSetType TopicNamespace TopicType",
		"http://docs.oasis-open.org/wsrf/bf-2":                                               "BaseFault BaseFaultType",
		"http://docs.oasis-open.org/wsrf/r-2":                                                "ResourceUnknownFault ResourceUnavailableFault",
		"http://www.w3.org/2004/08/xop/include":                                              "Include",
	}
	comps := components{}
	for _, s := range schemas {
		if err := collectGlobals(mustRead(t, s.file), s.namespace, comps); err != nil {
			t.Fatal(err)
		}
	}
	for ns, names := range want {
		for _, n := range strings.Fields(names) {
			if !comps[ns][n] {
				t.Errorf("{%s}%s is not declared", ns, n)
			}
		}
	}
}

// collectGlobals records the names of the top-level declarations of one
// schema document.
func collectGlobals(data []byte, ns string, comps components) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	if comps[ns] == nil {
		comps[ns] = map[string]bool{}
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && tok.Name.Space == XMLSchemaNamespace {
				if name := attr(tok, "name"); name != "" {
					comps[ns][name] = true
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

// checkRefs resolves each QName-valued attribute with the prefixes in scope
// where it appears, and each import.
func checkRefs(data []byte, comps components) []error {
	var errs []error
	d := xml.NewDecoder(bytes.NewReader(data))
	// scopes is a stack of prefix → namespace maps; "" is the default
	// namespace, which unprefixed QNames take in schema documents.
	scopes := []map[string]string{{"xml": XMLNamespace}}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return errs
		}
		if err != nil {
			return append(errs, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			scope := map[string]string{}
			for k, v := range scopes[len(scopes)-1] {
				scope[k] = v
			}
			for _, a := range tok.Attr {
				switch {
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				}
			}
			scopes = append(scopes, scope)
			if tok.Name.Space != XMLSchemaNamespace {
				continue
			}
			if tok.Name.Local == "import" {
				ns, loc := attr(tok, "namespace"), attr(tok, "schemaLocation")
				if _, ok := ByNamespace(ns); !ok {
					errs = append(errs, fmt.Errorf("imports namespace %q, which is not embedded", ns))
				}
				if got, ok := Namespace(loc); loc != "" && (!ok || got != ns) {
					errs = append(errs, fmt.Errorf("imports %q from %q, which does not resolve to it", ns, loc))
				}
			}
			for _, a := range tok.Attr {
				if a.Name.Space != "" || !qnameAttrs[a.Name.Local] {
					continue
				}
				for _, q := range strings.Fields(a.Value) {
					prefix, local, ok := strings.Cut(q, ":")
					if !ok {
						prefix, local = "", q
					}
					ns, ok := scope[prefix]
					if !ok {
						errs = append(errs, fmt.Errorf("%s=%q: prefix %q is not declared", a.Name.Local, a.Value, prefix))
						continue
					}
					if !comps[ns][local] {
						errs = append(errs, fmt.Errorf("%s=%q: {%s}%s is not declared in any embedded schema", a.Name.Local, a.Value, ns, local))
					}
				}
			}
		case xml.EndElement:
			scopes = scopes[:len(scopes)-1]
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
