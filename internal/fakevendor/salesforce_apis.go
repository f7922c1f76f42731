package fakevendor

import (
	"net/http"
	"path"
)

// Namespaces of the Salesforce APIs that have no login of their own and
// take the session of a Partner or Enterprise login.
const (
	NSSalesforceMetadata = "http://soap.sforce.com/2006/04/metadata"
	NSSalesforceTooling  = "urn:tooling.soap.sforce.com"
)

// sfAPI is a Salesforce API served at its own path of the org (Metadata at
// /services/Soap/m/VERSION/ORG, the login result's metadataServerUrl;
// Tooling at /services/Soap/T/VERSION/ORG) that accepts the sessions of
// the same session table as the Partner or Enterprise API.
type sfAPI struct {
	letter, ns, faultNS string
}

var (
	sfMetadataAPI = sfAPI{"m", NSSalesforceMetadata, NSSalesforceMetadata}
	sfToolingAPI  = sfAPI{"T", NSSalesforceTooling, "urn:fault.tooling.soap.sforce.com"}
)

// apiPath is the path of API letter for this org: the login path's API
// letter and org suffix replaced (/services/Soap/u/60.0 → /services/Soap/m/60.0/ORG).
func (s *Salesforce) apiPath(letter string) string {
	return "/services/Soap/" + letter + "/" + path.Base(s.cfg.LoginPath) + "/" + s.cfg.OrgID
}

// MetadataURL is the Metadata API endpoint (the login result's
// metadataServerUrl); ToolingURL the Tooling API's.
func (s *Salesforce) MetadataURL() string { return s.srv.URL + s.apiPath("m") }
func (s *Salesforce) ToolingURL() string  { return s.srv.URL + s.apiPath("T") }

func (s *Salesforce) apiAt(p string) (sfAPI, bool) {
	for _, a := range []sfAPI{sfMetadataAPI, sfToolingAPI} {
		if p == s.apiPath(a.letter) {
			return a, true
		}
	}
	return sfAPI{}, false
}

// serveAPI answers a call of the Metadata or Tooling API: no login there
// (the session comes from a Partner or Enterprise login), every call needs
// a live SessionHeader of the API's own namespace.
func (s *Salesforce) serveAPI(w http.ResponseWriter, r *http.Request, a sfAPI) {
	req, ok := readSOAP(w, r, &s.Stats)
	if !ok {
		return
	}
	fault := func(code, msg string) {
		str := code + ": " + msg
		writeFaultNS(w, http.StatusInternalServerError, `xmlns:sf="`+a.faultNS+`"`, "sf:"+code, str,
			`<sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>`+esc(code)+
				`</sf:exceptionCode><sf:exceptionMessage>`+esc(str)+`</sf:exceptionMessage></sf:UnexpectedErrorFault>`)
	}
	if req.Op.Name.Space != a.ns || req.Op.Name.Local == "login" {
		s.reject(ReasonUnknownOperation)
		fault("UNKNOWN_EXCEPTION", "no operation "+req.Op.String()+" at this endpoint; operations are in namespace "+a.ns)
		return
	}
	var payload string
	switch req.Op.Name.Local {
	case "listMetadata":
		payload = req.Op.child(a.ns, "queries").child(a.ns, "type").text()
	case "query":
		payload = req.Op.child(a.ns, "queryString").text()
	}
	if s.cfg.OnRequest != nil {
		s.cfg.OnRequest(req.Op.Name.Local, payload)
	}
	se, reason := s.sessionIn(req, a.ns)
	if se == nil {
		s.reject(reason)
		fault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session ("+reason+")")
		return
	}
	switch req.Op.Name.Local {
	case "listMetadata":
		s.call(req.Op.Name.Local, payload)
		writeEnvelope(w, http.StatusOK, "", `<listMetadataResponse xmlns="`+a.ns+`"><result>`+
			`<createdById>`+userID(se.user)+`</createdById><createdDate>2026-01-01T00:00:00.000Z</createdDate>`+
			`<fileName>objects/`+esc(payload)+`.object</fileName><fullName>`+esc(payload)+`</fullName>`+
			`<id>01Ixx0000001AbCEAU</id><lastModifiedDate>2026-01-01T00:00:00.000Z</lastModifiedDate>`+
			`<type>CustomObject</type></result></listMetadataResponse>`)
	case "query":
		s.call(req.Op.Name.Local, payload)
		writeEnvelope(w, http.StatusOK, "", `<queryResponse xmlns="`+a.ns+`" xmlns:sf="urn:sobject.tooling.soap.sforce.com"><result>`+
			`<done>true</done><queryLocator xsi:nil="true"/>`+
			`<records xsi:type="sf:ApexClass"><sf:Id>01pxx0000004C92AAE</sf:Id><sf:Name>`+esc(payload)+`</sf:Name></records>`+
			`<size>1</size></result></queryResponse>`)
	default:
		s.reject(ReasonUnknownOperation)
		fault("UNKNOWN_EXCEPTION", "operation "+req.Op.Name.Local+" is not served by this fake")
	}
}
