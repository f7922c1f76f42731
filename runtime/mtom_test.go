package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// MTOM answers written by a real httptest server with mime/multipart, the
// way CXF, WCF and Metro send them: Content-ID in <brackets>, the href
// percent-encoded (WCF uses URLs as Content-IDs).

const nsM = "urn:mtom"

type mtomDoc struct {
	Name string    `xml:"urn:mtom name"`
	Data XSDBase64 `xml:"urn:mtom data"`
}

type mtomOut struct {
	XMLName xml.Name    `xml:"urn:mtom DownloadResponse"`
	Main    XSDBase64   `xml:"urn:mtom main"`
	Opt     *XSDBase64  `xml:"urn:mtom opt"`
	Docs    []mtomDoc   `xml:"urn:mtom doc"`
	Chunks  []XSDBase64 `xml:"urn:mtom chunk"`
	Inline  XSDBase64   `xml:"urn:mtom inline"`
}

type mtomHeader struct {
	XMLName xml.Name  `xml:"urn:mtom Stamp"`
	Sig     XSDBase64 `xml:"urn:mtom sig"`
}

type mtomFault struct {
	XMLName xml.Name  `xml:"urn:mtom DownloadFault"`
	Dump    XSDBase64 `xml:"urn:mtom dump"`
}

var opDownload = &impl.Operation{Name: "Download", SOAP: impl.SOAP11, Faults: []impl.FaultType{{Name: xml.Name{Space: nsM, Local: "DownloadFault"}, New: func() any { return new(mtomFault) }}}}

// mimePart is one attachment of an MTOM answer.
type mimePart struct {
	id   string // Content-ID without brackets
	data []byte
	hdr  map[string]string // extra part headers
}

// include is the xop:Include element for Content-ID id, href
// percent-encoded as RFC 2392 asks.
func include(id string) string {
	return `<xop:Include xmlns:xop="` + nsXOP + `" href="cid:` + url.PathEscape(id) + `"/>`
}

// writeMTOM writes a SOAP 1.1 envelope (header and body XML) as the root
// part of a multipart/related answer followed by parts.
func writeMTOM(w http.ResponseWriter, status int, header, body string, parts ...mimePart) {
	mw := multipart.NewWriter(w)
	w.Header().Set("Content-Type", `multipart/related; type="application/xop+xml"; boundary="`+mw.Boundary()+`"; start="<root.message@cxf.apache.org>"; start-info="text/xml"`)
	w.WriteHeader(status)
	root, _ := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {`application/xop+xml; charset=UTF-8; type="text/xml"`},
		"Content-Transfer-Encoding": {"binary"},
		"Content-Id":                {"<root.message@cxf.apache.org>"},
	})
	fmt.Fprintf(root, `<?xml version="1.0"?><s:Envelope xmlns:s="%s">`, nsSOAP11)
	if header != "" {
		fmt.Fprintf(root, "<s:Header>%s</s:Header>", header)
	}
	fmt.Fprintf(root, "<s:Body>%s</s:Body></s:Envelope>", body)
	for _, p := range parts {
		h := textproto.MIMEHeader{
			"Content-Type":              {"application/octet-stream"},
			"Content-Transfer-Encoding": {"binary"},
			"Content-Id":                {"<" + p.id + ">"},
		}
		for k, v := range p.hdr {
			h.Set(k, v)
		}
		pw, _ := mw.CreatePart(h)
		_, _ = pw.Write(p.data)
	}
	_ = mw.Close()
}

// blob returns n bytes of a pattern that base64 does not leave alone.
func blob(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

func TestMTOMAnswerDecodesIntoBase64Fields(t *testing.T) {
	before := goruntime.NumGoroutine()
	main, opt, d1, d2, c1, sig := blob(3<<20, 1), blob(10, 2), blob(700, 3), []byte{}, blob(5, 4), blob(64, 5)
	// WCF's Content-IDs are URLs, CXF's UUIDs with a host.
	const wcfID = "http://tempuri.org/1/638459123456789012"
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeMTOM(w, 200,
			`<m:Stamp xmlns:m="urn:mtom"><m:sig>`+include("sig@x")+`</m:sig></m:Stamp>`,
			`<m:DownloadResponse xmlns:m="urn:mtom"><m:main>`+include(wcfID)+`</m:main><m:opt>`+include("opt-1@cxf.apache.org")+`</m:opt>`+
				`<m:doc><m:name>a</m:name><m:data>`+include("d 1@x")+`</m:data></m:doc><m:doc><m:name>b</m:name><m:data>`+include("d2@x")+`</m:data></m:doc>`+
				`<m:chunk>`+include("c1@x")+`</m:chunk><m:chunk>`+include("c1@x")+`</m:chunk><m:chunk>AQID</m:chunk>`+
				`<m:inline>aGVs
bG8=</m:inline></m:DownloadResponse>`,
			mimePart{id: wcfID, data: main}, mimePart{id: "opt-1@cxf.apache.org", data: opt}, mimePart{id: "d 1@x", data: d1},
			mimePart{id: "d2@x", data: d2}, mimePart{id: "c1@x", data: c1}, mimePart{id: "sig@x", data: sig},
			mimePart{id: "unused@x", data: blob(100, 9)})
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	var out mtomOut
	var stamp mtomHeader
	if err := c.Invoke(t.Context(), opDownload, &echoIn{}, &out, WithResponseHeader(&stamp)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Main, main) {
		t.Errorf("main: %d bytes, want %d", len(out.Main), len(main))
	}
	if out.Opt == nil || !bytes.Equal(*out.Opt, opt) {
		t.Errorf("opt = %v", out.Opt)
	}
	if len(out.Docs) != 2 || out.Docs[0].Name != "a" || !bytes.Equal(out.Docs[0].Data, d1) || out.Docs[1].Data == nil || len(out.Docs[1].Data) != 0 {
		t.Errorf("docs = %+v", out.Docs)
	}
	if len(out.Chunks) != 3 || !bytes.Equal(out.Chunks[0], c1) || !bytes.Equal(out.Chunks[1], c1) || !bytes.Equal(out.Chunks[2], []byte{1, 2, 3}) {
		t.Errorf("chunks = %v", out.Chunks)
	}
	// Two references to one part are two values, not one shared array.
	out.Chunks[0][0]++
	if out.Chunks[1][0] != c1[0] {
		t.Error("two xop:Include of one part share their bytes")
	}
	if string(out.Inline) != "hello" {
		t.Errorf("inline = %q", out.Inline)
	}
	if !bytes.Equal(stamp.Sig, sig) {
		t.Errorf("response header sig = %v", stamp.Sig)
	}
	srv.Close()
	c.Close(t.Context())
	waitGoroutines(t, before)
}

func TestMTOMFaultDetail(t *testing.T) {
	dump := blob(300, 7)
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeMTOM(w, 500, "", `<s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring><detail>`+
			`<m:DownloadFault xmlns:m="urn:mtom"><m:dump>`+include("dump@x")+`</m:dump></m:DownloadFault></detail></s:Fault>`,
			mimePart{id: "dump@x", data: dump})
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	err := c.Invoke(t.Context(), opDownload, &echoIn{}, &mtomOut{})
	var f *Fault
	if !errors.As(err, &f) {
		t.Fatalf("want *Fault, got %T %v", err, err)
	}
	d, ok := f.Detail.(*mtomFault)
	if !ok || !bytes.Equal(d.Dump, dump) {
		t.Fatalf("typed detail %#v", f.Detail)
	}
	// DetailXML reads as the plain answer would have: the base64 text.
	if !strings.Contains(string(f.DetailXML), string(XSDBase64(dump).mustText())) || strings.Contains(string(f.DetailXML), "Include") {
		t.Errorf("DetailXML %s", f.DetailXML)
	}
}

func (b XSDBase64) mustText() []byte {
	t, _ := b.MarshalText()
	return t
}

// Content-Transfer-Encoding base64 and quoted-printable parts, a root
// part without start parameter (the first part), Content-IDs without
// brackets.
func TestMTOMTransferEncodingsAndBareIDs(t *testing.T) {
	data := blob(5000, 11)
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		root, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {`application/xop+xml; type="text/xml"`}})
		fmt.Fprintf(root, `<s:Envelope xmlns:s="%s"><s:Body><m:DownloadResponse xmlns:m="urn:mtom"><m:main>%s</m:main><m:inline>%s</m:inline></m:DownloadResponse></s:Body></s:Envelope>`,
			nsSOAP11, include("b64"), include("qp"))
		p, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Id": {"b64"}, "Content-Transfer-Encoding": {"base64"}})
		enc := XSDBase64(data).mustText()
		for len(enc) > 76 {
			p.Write(enc[:76])
			p.Write([]byte(" \r\n"))
			enc = enc[76:]
		}
		p.Write(enc)
		p, _ = mw.CreatePart(textproto.MIMEHeader{"Content-Id": {"<qp>"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		p.Write([]byte("caf=C3=A9"))
		mw.Close()
		w.Header().Set("Content-Type", `multipart/related; type="application/xop+xml"; boundary=`+mw.Boundary())
		w.Write(b.Bytes())
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	var out mtomOut
	if err := c.Invoke(t.Context(), opDownload, &echoIn{}, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Main, data) || string(out.Inline) != "café" {
		t.Errorf("main %d bytes (want %d), inline %q", len(out.Main), len(data), out.Inline)
	}
}

// A large attachment is allocated about twice while read (io.ReadAll's
// chunks, then the joined value) and held once; inlining it as base64
// text before decoding would allocate it seven times.
func TestMTOMLargeAttachmentAllocatesLittle(t *testing.T) {
	const size = 16 << 20
	data := blob(size, 13)
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom"><m:main>`+include("big@x")+`</m:main></m:DownloadResponse>`, mimePart{id: "big@x", data: data})
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	// Warm up connection and pools.
	if err := c.Invoke(t.Context(), opDownload, &echoIn{}, &mtomOut{}); err != nil {
		t.Fatal(err)
	}
	var out mtomOut
	alloc := allocDuring(func() {
		if err := c.Invoke(t.Context(), opDownload, &echoIn{}, &out); err != nil {
			t.Error(err)
		}
	})
	if !bytes.Equal(out.Main, data) {
		t.Fatalf("main: %d bytes", len(out.Main))
	}
	t.Logf("a %d MiB attachment allocated %d MiB", size>>20, alloc>>20)
	// The server handler runs in this process too and its writes count:
	// mime/multipart streams them, so they add little.
	if limit := allocScale * (uint64(size)*5/2 + 4<<20); alloc > limit {
		t.Errorf("a %d MiB attachment allocated %d MiB (limit %d MiB)", size>>20, alloc>>20, limit>>20)
	}
}

func TestMTOMRefusals(t *testing.T) {
	ok := `<m:DownloadResponse xmlns:m="urn:mtom"><m:main>` + include("a@x") + `</m:main></m:DownloadResponse>`
	cases := []struct {
		name  string
		max   int64
		write func(w http.ResponseWriter)
		want  string
		http  bool // an *HTTPError
	}{
		{name: "missing cid", want: `href "cid:nope@x" names no part`, write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom"><m:main>`+include("nope@x")+`</m:main></m:DownloadResponse>`, mimePart{id: "a@x", data: []byte("x")})
		}},
		{name: "not a cid URL", want: `href "http://evil/x" is not a cid: URL`, write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom"><m:main><xop:Include xmlns:xop="`+nsXOP+`" href="http://evil/x"/></m:main></m:DownloadResponse>`)
		}},
		{name: "include in a plain answer", want: "not multipart/related", write: func(w http.ResponseWriter) {
			writeSOAP(w, 200, "", ok)
		}},
		{name: "two includes", want: "two xop:Include", write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom"><m:main>`+include("a@x")+include("a@x")+`</m:main></m:DownloadResponse>`, mimePart{id: "a@x", data: []byte("x")})
		}},
		{name: "text beside include", want: "text beside", write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom"><m:main>QQ==`+include("a@x")+`</m:main></m:DownloadResponse>`, mimePart{id: "a@x", data: []byte("x")})
		}},
		{name: "whole body over the limit", max: 64 << 10, http: true, want: "response larger than 65536 bytes", write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", ok, mimePart{id: "a@x", data: blob(100<<10, 1)})
		}},
		{name: "references beyond the limit", max: 64 << 10, want: "more bytes in all than the response size limit", write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", `<m:DownloadResponse xmlns:m="urn:mtom">`+strings.Repeat(`<m:chunk>`+include("a@x")+`</m:chunk>`, 10)+`</m:DownloadResponse>`, mimePart{id: "a@x", data: blob(10<<10, 1)})
		}},
		{name: "too many parts", http: true, want: "more than 1000 parts", write: func(w http.ResponseWriter) {
			parts := make([]mimePart, 1000)
			for i := range parts {
				parts[i] = mimePart{id: fmt.Sprint(i)}
			}
			writeMTOM(w, 200, "", ok, parts...)
		}},
		{name: "no boundary", http: true, want: "without a boundary", write: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", `multipart/related; type="application/xop+xml"`)
			io.WriteString(w, "--x\r\n\r\n<a/>\r\n--x--\r\n")
		}},
		{name: "start names no part", http: true, want: `without its root part (start "elsewhere")`, write: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", `multipart/related; type="application/xop+xml"; boundary=x; start="<elsewhere>"`)
			io.WriteString(w, "--x\r\nContent-ID: <a>\r\n\r\n<a/>\r\n--x--\r\n")
		}},
		{name: "no closing boundary", http: true, want: "ends before its closing boundary", write: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", `multipart/related; boundary=x`)
			io.WriteString(w, "--x\r\nContent-Type: application/xop+xml\r\n\r\n<s:Envelope xmlns:s=\""+nsSOAP11+"\"><s:Body/></s:Envelope>")
		}},
		{name: "root not SOAP", http: true, want: `root part is "text/html"`, write: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", `multipart/related; boundary=x`)
			io.WriteString(w, "--x\r\nContent-Type: text/html\r\n\r\n<html/>\r\n--x--\r\n")
		}},
		{name: "duplicate content id", http: true, want: `two parts of Content-ID "a@x"`, write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", ok, mimePart{id: "a@x"}, mimePart{id: "a@x"})
		}},
		{name: "unknown transfer encoding", http: true, want: `Content-Transfer-Encoding "x-uue"`, write: func(w http.ResponseWriter) {
			writeMTOM(w, 200, "", ok, mimePart{id: "a@x", hdr: map[string]string{"Content-Transfer-Encoding": "x-uue"}})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := server(t, func(w http.ResponseWriter, q *soapReq) { tc.write(w) })
			var opts []Option
			if tc.max > 0 {
				opts = append(opts, WithMaxResponseBytes(tc.max))
			}
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, opts...)
			err := c.Invoke(t.Context(), opDownload, &echoIn{}, &mtomOut{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			var he *HTTPError
			if errors.As(err, &he) != tc.http {
				t.Errorf("*HTTPError: %v, want %v (%T)", !tc.http, tc.http, err)
			}
		})
	}
}

// mtomSeed is a valid MTOM body for the robustness tests, with its
// boundary.
func mtomSeed() (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary("MIMEBoundary_1")
	root, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {`application/xop+xml; type="text/xml"`}, "Content-Id": {"<r@x>"}})
	fmt.Fprintf(root, `<s:Envelope xmlns:s="%s"><s:Header><m:Stamp xmlns:m="urn:mtom"><m:sig>%s</m:sig></m:Stamp></s:Header><s:Body><m:DownloadResponse xmlns:m="urn:mtom"><m:main>%s</m:main><m:doc><m:data>%s</m:data></m:doc><m:chunk>%s</m:chunk></m:DownloadResponse></s:Body></s:Envelope>`,
		nsSOAP11, include("a@x"), include("a@x"), include("b@x"), include("c%20d"))
	for _, id := range []string{"a@x", "b@x", "c d"} {
		p, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Id": {"<" + id + ">"}})
		p.Write(blob(40, id[0]))
	}
	mw.Close()
	return b.String(), mw.Boundary()
}

// decodeRelated runs the whole decode of a multipart body: no panic, and
// an error or a result.
func decodeRelated(t *testing.T, body, boundary string, max int64) {
	rel, err := readRelated(strings.NewReader(body), map[string]string{"boundary": boundary, "start": "<r@x>"}, max)
	if err != nil {
		var re *relatedError
		if !errors.As(err, &re) {
			t.Fatalf("a body read from memory failed with %T %v, not a *relatedError", err, err)
		}
		return
	}
	var total int
	for _, p := range rel.parts.byID {
		total += len(p)
	}
	if int64(len(rel.root)+total) > max {
		t.Fatalf("parts of %d bytes kept from a body limited to %d", len(rel.root)+total, max)
	}
	var out mtomOut
	dec, err := decodeMessage(rel.root, rel.parts, opDownload, &out, true)
	if err != nil {
		return
	}
	for i := range dec.headers {
		var h mtomHeader
		_ = dec.headers[i].decodeInto(&h)
	}
	n := len(out.Main) + len(out.Inline)
	for _, c := range out.Chunks {
		n += len(c)
	}
	for _, d := range out.Docs {
		n += len(d.Data)
	}
	if int64(n) > 2*max {
		t.Fatalf("%d bytes decoded from a body limited to %d", n, max)
	}
}

func FuzzMTOM(f *testing.F) {
	seed, boundary := mtomSeed()
	f.Add(seed, boundary)
	f.Add(strings.ReplaceAll(seed, "c%20d", "c%zz"), boundary)
	f.Add(strings.Replace(seed, "--"+boundary+"--", "", 1), boundary)
	f.Fuzz(func(t *testing.T, body, boundary string) {
		decodeRelated(t, body, boundary, 4<<10)
	})
}

// Seeded byte mutations of a valid MTOM body (flips, cuts, duplicated
// spans): each ends in an error or a result within the bounds, never a
// panic. Deterministic, so a failure reproduces.
func TestMTOMMutationsAreHandled(t *testing.T) {
	seed, boundary := mtomSeed()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		b := []byte(seed)
		for k := 0; k <= r.IntN(4); k++ {
			switch p := r.IntN(len(b)); r.IntN(4) {
			case 0:
				b[p] = byte(r.IntN(256))
			case 1:
				b = b[:p]
			case 2:
				q := min(len(b), p+r.IntN(200))
				b = append(b[:q:q], b[p:]...)
			case 3:
				b = append(b[:p:p], b[min(len(b), p+r.IntN(50)):]...)
			}
			if len(b) == 0 {
				b = []byte(seed)
			}
		}
		decodeRelated(t, string(b), boundary, int64(len(seed)))
	}
}
