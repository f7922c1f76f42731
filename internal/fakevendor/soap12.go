package fakevendor

import (
	"mime"
	"net/http"
	"strings"
)

// SOAP 1.2 support, for the fakes whose vendors speak both versions (the
// SAP-style Cookie server). Vendors that speak only 1.1 keep readSOAP.

// readSOAPAny accepts a SOAP 1.1 request (text/xml + SOAPAction) or a SOAP
// 1.2 one (application/soap+xml, optional action parameter, no SOAPAction
// header), checking that the envelope namespace matches the content type.
func readSOAPAny(w http.ResponseWriter, r *http.Request, st *Stats) (*soapRequest, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/soap+xml" {
		return readSOAP(w, r, st)
	}
	if r.Method != http.MethodPost {
		st.reject(ReasonBadMethod)
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "SOAP endpoint: use POST", http.StatusMethodNotAllowed)
		return nil, false
	}
	if _, ok := r.Header["Soapaction"]; ok {
		// SOAP 1.2 carries the action in the content type; a SOAPAction
		// header means the client mixed the versions.
		st.reject(ReasonBadContentType)
		writeFault12(w, http.StatusBadRequest, "env:Sender", "SOAP 1.2 requests carry the action in the Content-Type, not a SOAPAction header", "")
		return nil, false
	}
	root, err := parseTree(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		st.reject(ReasonBadEnvelope)
		writeFault12(w, http.StatusBadRequest, "env:Sender", "malformed XML: "+err.Error(), "")
		return nil, false
	}
	if root.Name.Space != NSSOAP12 || root.Name.Local != "Envelope" {
		st.reject(ReasonBadEnvelope)
		writeFault12(w, http.StatusInternalServerError, "env:VersionMismatch", "Content-Type application/soap+xml needs a SOAP 1.2 Envelope, got "+root.String(), "")
		return nil, false
	}
	req := &soapRequest{Header: root.child(NSSOAP12, "Header"), soap12: true}
	body := root.child(NSSOAP12, "Body")
	if body == nil || len(body.Children) != 1 {
		st.reject(ReasonBadEnvelope)
		writeFault12(w, http.StatusBadRequest, "env:Sender", "the SOAP Body must hold exactly one element", "")
		return nil, false
	}
	req.Op = body.Children[0]
	return req, true
}

// reply answers req in its own SOAP version.
func (req *soapRequest) reply(w http.ResponseWriter, status int, header, body string) {
	if !req.soap12 {
		writeEnvelope(w, status, header, body)
		return
	}
	writeEnvelope12(w, status, header, body)
}

// fault answers req with a fault in its own SOAP version; server says
// whether the receiver (true) or the sender is at fault.
func (req *soapRequest) fault(w http.ResponseWriter, server bool, str string) {
	switch {
	case !req.soap12 && server:
		writeFault(w, http.StatusInternalServerError, "soapenv:Server", str, "")
	case !req.soap12:
		writeFault(w, http.StatusInternalServerError, "soapenv:Client", str, "")
	case server:
		writeFault12(w, http.StatusInternalServerError, "env:Receiver", str, "")
	default:
		writeFault12(w, http.StatusBadRequest, "env:Sender", str, "")
	}
}

func writeEnvelope12(w http.ResponseWriter, status int, header, body string) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(status)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString(`<env:Envelope xmlns:env="` + NSSOAP12 + `" xmlns:xsi="` + NSXSI + `">`)
	if header != "" {
		b.WriteString("<env:Header>" + header + "</env:Header>")
	}
	b.WriteString("<env:Body>" + body + "</env:Body></env:Envelope>")
	_, _ = w.Write([]byte(b.String()))
}

// writeFault12 answers with a SOAP 1.2 fault: Code/Value, Reason/Text and
// an optional Detail.
func writeFault12(w http.ResponseWriter, status int, code, reason, detail string) {
	var b strings.Builder
	b.WriteString("<env:Fault><env:Code><env:Value>" + esc(code) + "</env:Value></env:Code>")
	b.WriteString(`<env:Reason><env:Text xml:lang="en">` + esc(reason) + "</env:Text></env:Reason>")
	if detail != "" {
		b.WriteString("<env:Detail>" + detail + "</env:Detail>")
	}
	b.WriteString("</env:Fault>")
	writeEnvelope12(w, status, "", b.String())
}
