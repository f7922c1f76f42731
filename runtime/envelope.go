package runtime

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmlenc"
)

const (
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	nsWSSE   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	// wssePasswordText is the Type of a plain-text UsernameToken password.
	wssePasswordText = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
)

func envNS(v impl.SOAPVersion) string {
	if v == impl.SOAP12 {
		return nsSOAP12
	}
	return nsSOAP11
}

// headerElem is a SOAP header element built from a profile: a QName, a
// path of child elements (in the same namespace, as the vendors' schemas
// qualify them) and the text at the end of the path.
type headerElem struct {
	name           xml.Name
	path           []string
	text           string
	mustUnderstand bool
}

// envelope is one outgoing SOAP message.
type envelope struct {
	version impl.SOAPVersion
	profile []headerElem
	// wsseUser/wssePass, when wsse is set, add a WS-Security UsernameToken.
	wsse               bool
	wsseUser, wssePass string
	typed              []any
	body               any
}

// write marshals the envelope into buf. Errors name the element that
// failed, never its value. The typed headers and the body are encoded
// first, then copied in with each namespace declared once (compactNS);
// the envelope declares the xsi prefix when they use it, so no element
// below repeats it.
func (e *envelope) write(buf *bytes.Buffer) error {
	if !noXMLEnc.Load() && e.writeFast(buf) {
		return nil
	}
	return e.writeXML(buf)
}

// writeXML is write with encoding/xml and compactNS.
func (e *envelope) writeXML(buf *bytes.Buffer) error {
	scratch := bufPool.Get().(*bytes.Buffer)
	scratch.Reset()
	defer putBuffer(scratch)
	enc := xml.NewEncoder(scratch)
	for _, h := range e.typed {
		if err := enc.Encode(h); err != nil {
			return fmt.Errorf("runtime: marshal request header %T: %w", h, err)
		}
	}
	headersEnd := scratch.Len()
	if mp, ok := e.body.(impl.MultiPartBody); ok {
		if err := encodeBodyParts(enc, mp); err != nil {
			return err
		}
	} else if e.body != nil {
		if err := enc.Encode(e.body); err != nil {
			return fmt.Errorf("runtime: marshal request body %T: %w", e.body, err)
		}
	}
	encoded := scratch.Bytes()
	scope := []nsBinding{{prefix: soapPrefix, uri: soap11NS}}
	if e.version == impl.SOAP12 {
		scope[0].uri = soap12NS
	}
	xsi := bytes.Contains(encoded, xsiDecl)
	if xsi {
		scope = append(scope, xsiBinding)
	}
	if err := e.writeStart(buf, xsi, "", nil); err != nil {
		return err
	}
	if e.hasHeader() {
		buf.Grow(headersEnd)
		buf.Write(compactNS(buf.AvailableBuffer(), encoded[:headersEnd], scope))
		buf.WriteString("</soap:Header>")
	}
	buf.WriteString("<soap:Body>")
	buf.Grow(len(encoded) - headersEnd)
	buf.Write(compactNS(buf.AvailableBuffer(), encoded[headersEnd:], scope))
	buf.WriteString("</soap:Body></soap:Envelope>")
	return nil
}

// writeStart writes the envelope up to the typed headers: the xsi
// prefix and the xt prefix (bound to xt) declared when not empty, the
// declarations of a Shared xmlenc output (enc, when not nil), and the
// profile's header elements.
//
// No XML declaration: the message is UTF-8, which XML takes without one,
// and the Content-Type says so.
func (e *envelope) writeStart(buf *bytes.Buffer, xsi bool, xt string, enc *xmlenc.Encoder) error {
	buf.WriteString(`<soap:Envelope xmlns:soap="`)
	buf.WriteString(envNS(e.version))
	buf.WriteByte('"')
	if xsi {
		buf.WriteByte(' ')
		buf.Write(xsiDecl)
	}
	if xt != "" {
		buf.WriteString(` xmlns:xt="`)
		xmlText(buf, xt)
		buf.WriteByte('"')
	}
	def := ""
	if enc != nil && enc.Shared {
		buf.Write(enc.AppendDecls(buf.AvailableBuffer()))
		def = enc.Default
	}
	buf.WriteByte('>')
	if !e.hasHeader() {
		return nil
	}
	buf.WriteString("<soap:Header>")
	for _, h := range e.profile {
		if err := writeHeaderElem(buf, h, def); err != nil {
			return err
		}
	}
	if e.wsse {
		buf.WriteString(`<wsse:Security xmlns:wsse="` + nsWSSE + `"><wsse:UsernameToken><wsse:Username>`)
		xmlText(buf, e.wsseUser)
		buf.WriteString(`</wsse:Username><wsse:Password Type="` + wssePasswordText + `">`)
		xmlText(buf, e.wssePass)
		buf.WriteString(`</wsse:Password></wsse:UsernameToken></wsse:Security>`)
	}
	return nil
}

func (e *envelope) hasHeader() bool { return len(e.profile) > 0 || len(e.typed) > 0 || e.wsse }

// The bindings the envelope declares, as compactNS takes them.
var (
	soapPrefix = []byte("soap")
	soap11NS   = []byte(nsSOAP11)
	soap12NS   = []byte(nsSOAP12)
	xsiBinding = nsBinding{prefix: []byte("xsi"), uri: []byte(xsiNamespace)}
)

// xsiDecl is the declaration of the xsi prefix the runtime's encoders
// write (EncodeXSIType, EncodeXSINil).
var xsiDecl = []byte(`xmlns:xsi="` + xsiNamespace + `"`)

// writeHeaderElem writes h, in the default namespace def the envelope
// declares (its own declared on it when it is another).
func writeHeaderElem(buf *bytes.Buffer, h headerElem, def string) error {
	if h.name.Local == "" {
		return fmt.Errorf("runtime: profile header element with an empty name (namespace %q)", h.name.Space)
	}
	buf.WriteByte('<')
	buf.WriteString(h.name.Local)
	if h.name.Space != def {
		buf.WriteString(` xmlns="`)
		xmlText(buf, h.name.Space)
		buf.WriteByte('"')
	}
	if h.mustUnderstand {
		buf.WriteString(` soap:mustUnderstand="1"`)
	}
	buf.WriteByte('>')
	for _, p := range h.path {
		if p == "" {
			return fmt.Errorf("runtime: profile header %s has an empty path step", h.name.Local)
		}
		buf.WriteString("<" + p + ">")
	}
	xmlText(buf, h.text)
	for i := len(h.path) - 1; i >= 0; i-- {
		buf.WriteString("</" + h.path[i] + ">")
	}
	buf.WriteString("</" + h.name.Local + ">")
	return nil
}

// xmlText writes s escaped exactly as xml.EscapeText does (xmlenc's
// escaping), without copying s into a []byte first.
func xmlText(buf *bytes.Buffer, s string) {
	buf.Write(xmlenc.AppendEscapedString(buf.AvailableBuffer(), s))
}

// contentType returns the request content type and, for SOAP 1.1, the
// SOAPAction header value (SOAP 1.2 carries the action as a media type
// parameter instead).
func contentType(v impl.SOAPVersion, action string) (ct, soapAction string) {
	if v == impl.SOAP12 {
		ct = "application/soap+xml; charset=utf-8"
		if action != "" {
			ct += `; action="` + trimQuotes(action) + `"`
		}
		return ct, ""
	}
	if action == "" {
		return "text/xml; charset=utf-8", `""`
	}
	if len(action) >= 2 && action[0] == '"' && action[len(action)-1] == '"' {
		return "text/xml; charset=utf-8", action
	}
	return "text/xml; charset=utf-8", `"` + action + `"`
}

func trimQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
