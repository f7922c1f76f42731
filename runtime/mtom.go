package runtime

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/url"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// MTOM/XOP answers (W3C XOP 1.0, SOAP MTOM): the envelope is the root
// part of a multipart/related body, and each base64Binary value it
// optimized out is an <xop:Include href="cid:…"/> element standing for the
// raw bytes of another part. The parts are read once, into one slice each
// (io.ReadAll allocates about twice a part's size and keeps it once);
// the first reference to a part hands that very slice to the []byte field
// (XSDBase64.UnmarshalXML), so a 50 MB attachment is in memory once, not
// also as base64 text and as decoder copies of it.

const nsXOP = "http://www.w3.org/2004/08/xop/include"

// maxRelatedParts bounds the parts of a multipart/related answer, the
// root included. Each part costs a header map and a slice besides its
// bytes; a real answer has a handful, and a hostile one of tiny parts
// would otherwise cost far more memory than its size on the wire.
const maxRelatedParts = 1000

// xopParts are the non-root parts of an MTOM answer by Content-ID.
type xopParts struct {
	byID map[string][]byte
	used map[string]bool
	// budget is how many bytes references may still deliver. Every part
	// referenced once always fits (the parts are within the response
	// limit), but a thousand references to one large part would each need
	// a copy of it: they are bounded by the response size limit too.
	budget int64
}

// relatedError is a multipart/related answer refused for its form or
// size; roundTrip turns it into an *HTTPError with the reason. lost: the
// body could not be read whole (over the limit, cut off), see
// reply.bodyLost.
type relatedError struct {
	reason string
	lost   bool
}

func (e *relatedError) Error() string { return e.reason }

// related is what a multipart/related answer yielded.
type related struct {
	root  []byte
	media string // the root part's media type
	parts *xopParts
}

// readRelated reads a multipart/related body (params are its media type
// parameters) of at most max bytes in all. A read error of the body itself
// comes back as is; a body over the limit, malformed or without its root
// part as a *relatedError.
func readRelated(body io.Reader, params map[string]string, max int64) (*related, error) {
	boundary := params["boundary"]
	if boundary == "" {
		return nil, &relatedError{reason: "multipart/related response without a boundary parameter"}
	}
	start := contentID(params["start"])
	br := &boundedReader{r: body, left: max, max: max}
	mr := multipart.NewReader(br, boundary)
	rel := &related{parts: &xopParts{byID: map[string][]byte{}, used: map[string]bool{}, budget: max}}
	rootSeen := false
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, br.explain(err)
		}
		if n >= maxRelatedParts {
			return nil, &relatedError{reason: fmt.Sprintf("multipart/related response with more than %d parts (refused as hostile)", maxRelatedParts)}
		}
		id := contentID(p.Header.Get("Content-ID"))
		isRoot := !rootSeen && (start == "" || id == start)
		if !isRoot && id == "" {
			// Nothing can refer to a part without a Content-ID.
			if _, err := io.Copy(io.Discard, p); err != nil {
				return nil, br.explain(err)
			}
			continue
		}
		r, err := partReader(p)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, br.explain(err)
		}
		if isRoot {
			rootSeen = true
			rel.root = data
			rel.media, _, _ = mime.ParseMediaType(p.Header.Get("Content-Type"))
			continue
		}
		if _, dup := rel.parts.byID[id]; dup {
			return nil, &relatedError{reason: fmt.Sprintf("multipart/related response with two parts of Content-ID %q", clip(id))}
		}
		rel.parts.byID[id] = data
	}
	if !rootSeen {
		if start != "" {
			return nil, &relatedError{reason: fmt.Sprintf("multipart/related response without its root part (start %q)", clip(start))}
		}
		return nil, &relatedError{reason: "multipart/related response without parts"}
	}
	switch rel.media {
	case "application/xop+xml", "text/xml", "application/soap+xml":
	default:
		return nil, &relatedError{reason: fmt.Sprintf("multipart/related response whose root part is %q, not a SOAP envelope", clip(rel.media))}
	}
	return rel, nil
}

// partReader undoes a part's Content-Transfer-Encoding. MTOM parts are
// binary; base64 and quoted-printable are what a mail-minded MIME library
// may still use. Both only shrink their input, so the response bound
// still holds for the decoded bytes.
func partReader(p *multipart.Part) (io.Reader, error) {
	switch cte := strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))); cte {
	case "", "binary", "8bit", "7bit":
		return p, nil
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &skipSpace{r: p}), nil
	case "quoted-printable":
		return quotedprintable.NewReader(p), nil
	default:
		return nil, &relatedError{reason: fmt.Sprintf("multipart/related part with unsupported Content-Transfer-Encoding %q", clip(cte))}
	}
}

// skipSpace drops spaces and tabs, which some encoders leave at the ends
// of base64 lines; base64.NewDecoder itself skips only \r and \n.
type skipSpace struct{ r io.Reader }

func (s *skipSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// contentID returns the identifier of a Content-ID header or start
// parameter: "<id@host>" without its brackets (CXF, WCF and Metro send
// them; some servers do not).
func contentID(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = s[1 : len(s)-1]
	}
	return s
}

// resolve returns the bytes of the part href ("cid:" URL, RFC 2392: the
// Content-ID percent-encoded) stands for.
func (x *xopParts) resolve(href string) ([]byte, error) {
	const scheme = "cid:"
	if len(href) < len(scheme) || !strings.EqualFold(href[:len(scheme)], scheme) {
		return nil, fmt.Errorf("xop:Include href %q is not a cid: URL", clip(href))
	}
	raw := href[len(scheme):]
	id := raw
	if u, err := url.PathUnescape(raw); err == nil {
		id = u
	}
	id = contentID(id)
	data, ok := x.byID[id]
	if !ok {
		if data, ok = x.byID[raw]; ok {
			id = raw
		}
	}
	if !ok {
		return nil, fmt.Errorf("xop:Include href %q names no part of the multipart/related response", clip(href))
	}
	if int64(len(data)) > x.budget {
		return nil, errors.New("xop:Include elements refer to more bytes in all than the response size limit (refused as hostile; raise it with WithMaxResponseBytes)")
	}
	x.budget -= int64(len(data))
	if x.used[id] {
		// A second field must not share the first one's bytes.
		return append([]byte{}, data...), nil
	}
	x.used[id] = true
	return data, nil
}

// xopHref returns the href of an xop:Include start element; ok is false
// for any other element.
func xopHref(se *xml.StartElement) (href string, ok bool) {
	if se.Name.Space != nsXOP || se.Name.Local != "Include" {
		return "", false
	}
	for _, a := range se.Attr {
		if a.Name.Local == "href" && (a.Name.Space == "" || a.Name.Space == nsXOP) {
			return a.Value, true
		}
	}
	return "", true
}

// resolveInclude returns the part an xop:Include element of the response
// decoded by d stands for.
func resolveInclude(d *xml.Decoder, se *xml.StartElement) ([]byte, error) {
	href, _ := xopHref(se)
	st := stateOf(d)
	if st == nil || st.xop == nil {
		return nil, fmt.Errorf("xop:Include href %q in a response that is not multipart/related (MTOM)", clip(href))
	}
	return st.xop.resolve(href)
}

// clip shortens a server-sent value quoted in an error.
func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// errResponseTooLarge marks a multipart body over the response limit.
var errResponseTooLarge = errors.New("response too large")

// boundedReader reads at most left bytes of r and fails past them, so a
// multipart body over the limit ends with an error instead of a silently
// truncated last part. It remembers the first error of r itself, to tell
// a broken connection from a malformed body.
type boundedReader struct {
	r    io.Reader
	left int64
	max  int64
	over bool
	rerr error
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.left <= 0 {
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			b.over = true
			return 0, errResponseTooLarge
		}
		b.note(err)
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	b.note(err)
	return n, err
}

func (b *boundedReader) note(err error) {
	if err != nil && err != io.EOF && b.rerr == nil {
		b.rerr = err
	}
}

// explain classifies an error met while reading the multipart body.
func (b *boundedReader) explain(err error) error {
	switch {
	case b.over:
		return &relatedError{reason: fmt.Sprintf("response larger than %d bytes (raise it with WithMaxResponseBytes)", b.max), lost: true}
	case b.rerr != nil:
		return b.rerr
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &relatedError{reason: "multipart/related response ends before its closing boundary", lost: true}
	case errors.As(err, new(*relatedError)):
		return err
	}
	return &relatedError{reason: "malformed multipart/related response: " + clip(err.Error())}
}

// decodeEnvelope decodes a plain (not multipart) answer.
func decodeEnvelope(data []byte, op *impl.Operation, out any, keepHeaders bool) (decoded, error) {
	return decodeMessage(data, nil, op, out, keepHeaders)
}
