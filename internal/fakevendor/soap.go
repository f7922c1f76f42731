package fakevendor

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// Namespaces the fakes speak.
const (
	NSSOAP11         = "http://schemas.xmlsoap.org/soap/envelope/"
	NSSOAP12         = "http://www.w3.org/2003/05/soap-envelope"
	NSXSI            = "http://www.w3.org/2001/XMLSchema-instance"
	NSWSSE           = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	WSSEPasswordText = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
)

// maxRequestBytes bounds request bodies; the fakes never need more.
const maxRequestBytes = 1 << 20

// soapRequest is a parsed SOAP 1.1 request: its header elements and the one
// body element naming the operation.
type soapRequest struct {
	Header *node // nil when the envelope has no Header
	Op     *node
	soap12 bool // the request came as SOAP 1.2 (readSOAPAny)
}

// headerElem returns the header element {space}local, or nil.
func (r *soapRequest) headerElem(space, local string) *node {
	return r.Header.child(space, local)
}

// readSOAP checks the HTTP framing of a SOAP 1.1 request (POST, text/xml,
// a SOAPAction header) and parses its envelope. On failure it has already
// answered the request and counted the rejection.
func readSOAP(w http.ResponseWriter, r *http.Request, st *Stats) (*soapRequest, bool) {
	if r.Method != http.MethodPost {
		st.reject(ReasonBadMethod)
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "SOAP endpoint: use POST", http.StatusMethodNotAllowed)
		return nil, false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "text/xml" {
		st.reject(ReasonBadContentType)
		writeFault(w, http.StatusUnsupportedMediaType, "soapenv:Client",
			fmt.Sprintf("SOAP 1.1 requests need Content-Type text/xml, got %q", r.Header.Get("Content-Type")), "")
		return nil, false
	}
	if _, ok := r.Header["Soapaction"]; !ok {
		st.reject(ReasonNoSOAPAction)
		writeFault(w, http.StatusInternalServerError, "soapenv:Client", "SOAP 1.1 requests need a SOAPAction HTTP header", "")
		return nil, false
	}
	root, err := parseTree(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		st.reject(ReasonBadEnvelope)
		writeFault(w, http.StatusInternalServerError, "soapenv:Client", "malformed XML: "+err.Error(), "")
		return nil, false
	}
	if root.Name.Space == NSSOAP12 {
		st.reject(ReasonBadEnvelope)
		writeFault(w, http.StatusInternalServerError, "soapenv:VersionMismatch", "this endpoint speaks SOAP 1.1 only", "")
		return nil, false
	}
	if root.Name.Space != NSSOAP11 || root.Name.Local != "Envelope" {
		st.reject(ReasonBadEnvelope)
		writeFault(w, http.StatusInternalServerError, "soapenv:Client", "root element is "+root.String()+", want a SOAP 1.1 Envelope", "")
		return nil, false
	}
	req := &soapRequest{Header: root.child(NSSOAP11, "Header")}
	body := root.child(NSSOAP11, "Body")
	if body == nil || len(body.Children) != 1 {
		st.reject(ReasonBadEnvelope)
		writeFault(w, http.StatusInternalServerError, "soapenv:Client", "the SOAP Body must hold exactly one element", "")
		return nil, false
	}
	req.Op = body.Children[0]
	return req, true
}

// writeEnvelope answers with a SOAP 1.1 envelope holding header and body
// (raw XML fragments).
func writeEnvelope(w http.ResponseWriter, status int, header, body string) {
	w.Header().Set("Content-Type", `text/xml; charset=utf-8`)
	w.WriteHeader(status)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + NSSOAP11 + `" xmlns:xsi="` + NSXSI + `">`)
	if header != "" {
		b.WriteString("<soapenv:Header>" + header + "</soapenv:Header>")
	}
	b.WriteString("<soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>")
	_, _ = w.Write([]byte(b.String()))
}

// writeFault answers with a SOAP 1.1 fault. code is a QName whose prefix must
// be declared in the envelope or in extraNS attributes of detail; the fakes
// use soapenv: or declare their own prefix on the faultcode element's
// ancestor through faultNS.
func writeFault(w http.ResponseWriter, status int, code, str, detail string) {
	writeFaultNS(w, status, "", code, str, detail)
}

// writeFaultNS is writeFault with an extra namespace declaration (like
// `xmlns:sf="urn:fault.partner.soap.sforce.com"`) on the Fault element, so
// the faultcode prefix resolves.
func writeFaultNS(w http.ResponseWriter, status int, nsDecl, code, str, detail string) {
	var b strings.Builder
	b.WriteString("<soapenv:Fault")
	if nsDecl != "" {
		b.WriteString(" " + nsDecl)
	}
	b.WriteString("><faultcode>" + esc(code) + "</faultcode><faultstring>" + esc(str) + "</faultstring>")
	if detail != "" {
		b.WriteString("<detail>" + detail + "</detail>")
	}
	b.WriteString("</soapenv:Fault>")
	writeEnvelope(w, status, "", b.String())
}
