package runtime

import (
	"mime"
	"testing"
)

// mediaType skips mime.ParseMediaType only where it would give the same
// media type; the parameters matter only for a multipart answer (MTOM).
func TestMediaTypeAgreesWithMime(t *testing.T) {
	for _, ct := range []string{
		"", "text/xml", "text/xml; charset=utf-8", "TEXT/XML;CHARSET=UTF-8", " text/xml ; charset=utf-8",
		"application/soap+xml; charset=utf-8; action=\"urn:x\"", "Application/SOAP+XML",
		"text/xml; charset", "text/xml;", "text/xmlx", "text/html; charset=utf-8", "application/xml",
		`multipart/related; type="application/xop+xml"; boundary="b1"; start="<root>"`, "text/", "/xml",
	} {
		media, params := mediaType(ct)
		want, wantParams, _ := mime.ParseMediaType(ct)
		if media != want && want != "" {
			t.Errorf("mediaType(%q) = %q, mime says %q", ct, media, want)
		}
		if want == "multipart/related" && params["boundary"] != wantParams["boundary"] {
			t.Errorf("mediaType(%q) lost the boundary: %v", ct, params)
		}
	}
}
