package runtime

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Hostile responses over real HTTP: each must end in one clear error, no
// panic, and allocate (runtime.MemStats.TotalAlloc, an upper bound on the
// memory held at any moment) under a bound set from the size of the body,
// never a timing. Bodies are generated while they stream: no test holds
// them whole.

// repeatBody streams head, n copies of unit, then tail.
type repeatBody struct {
	head, unit, tail string
	n                int
}

func (b repeatBody) size() int { return len(b.head) + b.n*len(b.unit) + len(b.tail) }

func (b repeatBody) writeTo(w io.Writer) error {
	if _, err := io.WriteString(w, b.head); err != nil {
		return err
	}
	if b.n > 0 {
		if err := b.writeUnits(w); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.tail)
	return err
}

// writeUnits writes the n units in 64 KiB batches.
func (b repeatBody) writeUnits(w io.Writer) error {
	per := max(1, 64<<10/len(b.unit))
	chunk := []byte(strings.Repeat(b.unit, per))
	for left := b.n; left > 0; left -= per {
		c := chunk
		if left < per {
			c = chunk[:left*len(b.unit)]
		}
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	return nil
}

const envHead = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="` + nsSOAP11 + `">`

// allocDuring reports the bytes allocated while f runs.
func allocDuring(f func()) uint64 {
	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	f()
	goruntime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHostileResponses(t *testing.T) {
	const million = 1_000_000
	cases := []struct {
		name string
		ct   string
		body repeatBody
		// keepHeaders: the profile reads tokens from response headers, so
		// header elements are decoded whole.
		keepHeaders bool
		want        []string
		// httpErr: the answer is refused as a whole (*HTTPError), not
		// decoded into a fault or a body decode error.
		httpErr bool
	}{
		{
			name: "one million nested elements in the body",
			body: repeatBody{head: envHead + `<s:Body>`, unit: `<a>`, n: million},
			want: []string{"refused", "nest deeper than 1000"}, httpErr: true,
		},
		{
			// Headers the profile does not read are skipped, and
			// xml.Decoder.Skip has no depth limit: 250 MiB without the
			// shape check.
			name: "one million nested elements in a skipped header",
			body: repeatBody{head: envHead + `<s:Header><h xmlns="urn:h">`, unit: `<a>`, n: million},
			want: []string{"refused", "nest deeper than 1000"}, httpErr: true,
		},
		{
			name: "one million nested elements in a header", keepHeaders: true,
			body: repeatBody{head: envHead + `<s:Header><h xmlns="urn:h">`, unit: `<a>`, n: million},
			want: []string{"refused", "nest deeper than 1000"}, httpErr: true,
		},
		{
			name: "one million attributes on the body element",
			body: repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"`, unit: ` a="1"`, n: million, tail: `/></s:Body></s:Envelope>`},
			want: []string{"refused", "more than 1000 attributes"}, httpErr: true,
		},
		{
			name: "one million namespace declarations",
			body: repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"`, unit: ` xmlns:p="urn:p"`, n: million, tail: `/></s:Body></s:Envelope>`},
			want: []string{"refused", "more than 1000 attributes"}, httpErr: true,
		},
		{
			name: "billion laughs (internal entities)",
			body: repeatBody{head: `<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY lol "lol">` + laughs() + `]>` + envHead[len(`<?xml version="1.0" encoding="UTF-8"?>`):] + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>&lol9;</t:Text></t:EchoResponse></s:Body></s:Envelope>`},
			want: []string{"refused", "document type declaration", "<!DOCTYPE", "SOAP forbids"}, httpErr: true,
		},
		{
			name: "external entity (XXE)",
			body: repeatBody{head: `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + envHead[len(`<?xml version="1.0" encoding="UTF-8"?>`):] + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>&xxe;</t:Text></t:EchoResponse></s:Body></s:Envelope>`},
			want: []string{"refused", "<!DOCTYPE", "SOAP forbids"}, httpErr: true,
		},
		{
			name: "entity declaration inside the body",
			body: repeatBody{head: envHead + `<s:Body><!ENTITY a "b"><t:EchoResponse xmlns:t="urn:test"/></s:Body></s:Envelope>`},
			want: []string{"refused", "<!ENTITY", "SOAP forbids"}, httpErr: true,
		},
		{
			name: "undeclared entity, no DTD",
			body: repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>&lol9;</t:Text></t:EchoResponse></s:Body></s:Envelope>`},
			want: []string{"decode Echo response body", "invalid character entity &lol9;"},
		},
		{
			name: "fault detail with one million children",
			body: repeatBody{head: envHead + `<s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring><detail><d xmlns="urn:d">`, unit: `<b/>`, n: million, tail: `</d></detail></s:Fault></s:Body></s:Envelope>`},
			want: []string{"decode Echo SOAP 1.1 fault", "more than 10000 elements"},
		},
		{
			// 1,150 elements of 1,000 namespace declarations each (16 MiB;
			// at 63 MiB this held 500 MiB): every declaration counts
			// against the detail's attribute bound, and the envelope's
			// namespace index never reads past the detail's start tag.
			name: "namespace declaration bomb in a fault detail",
			body: repeatBody{head: envHead + `<s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring><detail>`, unit: `<b` + nsDecls("p", 1000) + `/>`, n: 1150, tail: `</detail></s:Fault></s:Body></s:Envelope>`},
			want: []string{"decode Echo SOAP 1.1 fault", "more than 10000 attributes"},
		},
		{
			name: "header element with one million children", keepHeaders: true,
			body: repeatBody{head: envHead + `<s:Header><h xmlns="urn:h">`, unit: `<b>x</b>`, n: million, tail: `</h></s:Header><s:Body/></s:Envelope>`},
			want: []string{"decode Echo response header {urn:h}h", "more than 10000 elements"},
		},
		{
			name: "truncated envelope",
			body: repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>abc`},
			want: []string{"decode Echo response body", "unexpected EOF"},
		},
		{
			name: "proxy HTML error page labelled text/xml",
			body: repeatBody{head: `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`},
			want: []string{"refused", "<!DOCTYPE", "Bad Gateway"}, httpErr: true,
		},
		{
			name: "XHTML page labelled application/soap+xml", ct: "application/soap+xml",
			body: repeatBody{head: `<html xmlns="http://www.w3.org/1999/xhtml"><body>Service Unavailable</body></html>`},
			want: []string{"not a SOAP envelope", "{http://www.w3.org/1999/xhtml}html", "Service Unavailable"}, httpErr: true,
		},
		{
			name: "JSON error", ct: "application/json",
			body: repeatBody{head: `{"error":"upstream timeout"}`},
			want: []string{"not a SOAP response", "application/json", "upstream timeout"}, httpErr: true,
		},
		{
			name: "MTOM answer of a million parts", ct: `multipart/related; type="application/xop+xml"; boundary="b"`,
			body: repeatBody{head: "--b\r\nContent-Type: application/xop+xml\r\n\r\n" + envHead + `<s:Body/></s:Envelope>`, unit: "\r\n--b\r\n\r\n", n: million, tail: "\r\n--b--"},
			want: []string{"more than 1000 parts", "multipart/related"}, httpErr: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				ct := tc.ct
				if ct == "" {
					ct = "text/xml; charset=utf-8"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(500)
				_ = tc.body.writeTo(w)
			}))
			t.Cleanup(srv.Close)
			p := &impl.Profile{Name: "h", Scope: impl.ScopeCall}
			if tc.keepHeaders {
				p.Tokens = []impl.TokenSource{{Kind: impl.FromResponseHeader, Header: xml.Name{Space: "urn:h", Local: "h"}}}
			}
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: p})
			var err error
			var out echoOut
			alloc := allocDuring(func() { err = c.Invoke(t.Context(), opEcho, &echoIn{}, &out) })
			if err == nil {
				t.Fatal("no error")
			}
			if !containsAll(err.Error(), tc.want...) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			var he *HTTPError
			if errors.As(err, &he) != tc.httpErr {
				t.Errorf("*HTTPError: %v, want %v (%T)", !tc.httpErr, tc.httpErr, err)
			}
			if len(err.Error()) > 2048 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
			// The body is read into a growing buffer (about twice its size
			// allocated in all) and refused or decoded up to a limit; 4x
			// the body plus 4 MiB leaves room for that and for the client,
			// and is under a tenth of what encoding/xml allocates for these
			// bodies without the limits (60x to 200x the body).
			t.Logf("allocated %d KiB for a %d KiB body", alloc>>10, tc.body.size()>>10)
			if bound := allocScale * uint64(4*tc.body.size()+4<<20); alloc > bound {
				t.Errorf("allocated %d KiB for a %d KiB body (bound %d KiB)", alloc>>10, tc.body.size()>>10, bound>>10)
			}
		})
	}
}

// nsDecls is n namespace declarations of prefixes p0, p1, ….
func nsDecls(p string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` xmlns:%s%d="urn:%s%d"`, p, i, p, i)
	}
	return b.String()
}

// laughs declares lol1..lol9, each ten of the one before: &lol9; would be
// 10^9 "lol"s if entities were expanded.
func laughs() string {
	var b strings.Builder
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + strconv.Itoa(i)
		fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	return b.String()
}

// A body announced as 1 GiB (Content-Length) is refused before a byte of it
// is read; the server manages to write little before the client hangs up.
func TestAnnouncedGiantBodyRefusedUnread(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", strconv.Itoa(1<<30))
		b := repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>`, unit: "x", n: 1<<30 - 200}
		_ = b.writeTo(countingWriter{w, &written})
	}))
	t.Cleanup(srv.Close)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	var err error
	alloc := allocDuring(func() { err = c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}) })
	var he *HTTPError
	if !errors.As(err, &he) || !containsAll(err.Error(), "1073741824 bytes announced", "WithMaxResponseBytes") {
		t.Fatalf("want a size refusal, got %v", err)
	}
	if alloc > allocScale*4<<20 {
		t.Errorf("allocated %d KiB to refuse an announced body", alloc>>10)
	}
	srv.Close() // waits for the handler: its write failed when the client hung up
	if n := written.Load(); n > 64<<20 {
		t.Errorf("the server wrote %d MiB before the client hung up", n>>20)
	}
}

type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// A gzip bomb: 1 GiB of inflated body from a few MiB on the wire. The bound
// applies to the inflated bytes (net/http inflates transparently when it
// asked for gzip itself).
func TestGzipBombBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		b := repeatBody{head: envHead + `<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>`, unit: strings.Repeat(" ", 1024), n: 1 << 20}
		if b.writeTo(zw) == nil {
			_ = zw.Close()
		}
	}))
	t.Cleanup(srv.Close)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithMaxResponseBytes(1<<20))
	var err error
	alloc := allocDuring(func() { err = c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}) })
	var he *HTTPError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Fatalf("want a size error, got %v", err)
	}
	if alloc > allocScale*16<<20 {
		t.Errorf("allocated %d MiB for a 1 MiB limit", alloc>>20)
	}
}

// A chunked body cut off mid-stream (the handler aborts): a read error
// that says the call may have been processed.
func TestTruncatedChunkedBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, envHead+`<s:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>half`)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}))
	t.Cleanup(srv.Close)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	if err == nil || !containsAll(err.Error(), "reading response", "unexpected EOF", "not resent") {
		t.Fatalf("want a clear truncation error, got %v", err)
	}
}

// checkXMLShape never refuses ordinary SOAP: markup-like text inside
// comments, CDATA, quoted attribute values and processing instructions is
// not markup.
func TestXMLShapeAcceptsOrdinaryDocuments(t *testing.T) {
	deep := strings.Repeat("<a>", maxXMLDepth) + strings.Repeat("</a>", maxXMLDepth)
	attrs := "<a" + strings.Repeat(` x="1"`, maxXMLAttrs) + "/>"
	for _, doc := range []string{
		envHead + `<s:Body><!-- <!DOCTYPE x> <a><a> --><t:E xmlns:t="urn:t" a="x>y" b='<!DOCTYPE' c="1=2"><![CDATA[<!DOCTYPE <a><a>]]><?pi <!DOCTYPE ?></t:E></s:Body></s:Envelope>`,
		deep, attrs, "", "no markup", "<unterminated", "<a b='x", "<!--", "<![CDATA[", "<?pi",
	} {
		if err := checkXMLShape([]byte(doc)); err != nil {
			t.Errorf("%.60q refused: %v", doc, err)
		}
	}
	for doc, want := range map[string]string{
		"<a>" + deep + "</a>":                               "deeper than 1000",
		"<a" + strings.Repeat(" y='1'", 1001) + ">":         "more than 1000 attributes",
		"<!doctype html>":                                   "<!doctype",
		"<a><![CDATA[x]]><!ATTLIST a b CDATA #IMPLIED></a>": "<!ATTLIST",
	} {
		if err := checkXMLShape([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.60q: got %v, want %q", doc, err, want)
		}
	}
}

// plainNode has xmlNode's struct tags and no UnmarshalXML: encoding/xml's
// reflection decoder, the reference for xmlNode's bounded decoder.
type plainNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr  `xml:",any,attr"`
	Text    string      `xml:",chardata"`
	Nodes   []plainNode `xml:",any"`
}

func (p *plainNode) node() xmlNode {
	n := xmlNode{XMLName: p.XMLName, Attrs: p.Attrs, Text: p.Text}
	for i := range p.Nodes {
		n.Nodes = append(n.Nodes, p.Nodes[i].node())
	}
	return n
}

// xmlNode's own decoder gives exactly what the struct tags gave.
func TestXMLNodeDecodesLikeStructTags(t *testing.T) {
	for _, doc := range []string{
		`<a/>`,
		`<a xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="2">t1<b>in</b>t2<![CDATA[<c>]]><!-- c --><?pi x?><p:c/>t3</a>`,
		`<p:a xmlns:p="urn:p"><p:b xmlns:p="urn:q"><p:c p:z="&amp;&#65;"/></p:b>  </p:a>`,
		`<a>` + strings.Repeat(`<b x="1">y</b>`, 50) + `</a>`,
	} {
		var want plainNode
		if err := xml.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		var got xmlNode
		if err := xml.Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if w := want.node(); !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", doc, got, w)
		}
		var a, b bytes.Buffer
		got.write(&a)
		w := want.node()
		w.write(&b)
		if a.String() != b.String() {
			t.Errorf("written differently: %s vs %s", a.String(), b.String())
		}
	}
	var n xmlNode
	err := xml.Unmarshal([]byte(`<a>`+strings.Repeat(`<b/>`, maxNodeElements)+`</a>`), &n)
	if !errors.Is(err, errTooManyElements) {
		t.Errorf("over the element bound: %v", err)
	}
	if err := xml.Unmarshal([]byte(`<a>`+strings.Repeat(`<b/>`, maxNodeElements-1)+`</a>`), &n); err != nil {
		t.Errorf("at the element bound: %v", err)
	}
}
