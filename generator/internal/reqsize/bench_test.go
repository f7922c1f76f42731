package reqsize

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hooklift/gowsdl/soap"
	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	partnerNS    = "urn:partner.soap.sforce.com"
	enterpriseNS = "urn:enterprise.soap.sforce.com"
	sobjectNS    = "urn:sobject.partner.soap.sforce.com"
	// sessionID is the one the login sample returns; gowsdl's client is
	// given it as the SessionHeader wsdlsess's session sends.
	sessionID = "FAKE-SESSION-00D5g000004Xk2a!test-only-not-a-real-token"
	soql      = "SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Acme%' ORDER BY Name LIMIT 200"
)

// call is one operation sent with the same populated request by both
// clients. Where gowsdl's types cannot hold a part of the value, the
// comment at the call says what its request carries instead.
type call struct {
	name, op string
	// wsdlsess makes a golden client on url and returns one call and
	// the client's Close.
	wsdlsess func(b testing.TB, url string) (func(context.Context) error, func())
	// gowsdl returns the call sent with gowsdl's SOAP client on c.
	gowsdl func(c *soap.Client) func(context.Context) error
}

var calls = []call{
	{
		name: "salesforce-partner/query", op: "query",
		wsdlsess: func(b testing.TB, url string) (func(context.Context) error, func()) {
			c := partnerClient(b, url)
			return func(ctx context.Context) error {
				_, err := c.Query(ctx, &sfdc.Query{QueryString: soql})
				return err
			}, func() { c.Close(context.Background()) }
		},
		gowsdl: func(c *soap.Client) func(context.Context) error {
			c.AddHeader(&SessionHeader{SessionId: sessionID})
			return func(ctx context.Context) error {
				return c.CallContext(ctx, "''", &Query{QueryString: soql}, new(anyResponse))
			}
		},
	},
	{
		// Five Accounts with a Name and an Industry each. gowsdl's SObject
		// holds the wildcard fields as []string, which encoding/xml writes
		// as <Items>value</Items> (it cannot name them), and its element
		// is named sObject, not sObjects: it sends the same number of
		// elements and values, under other names.
		name: "salesforce-partner/create", op: "create",
		wsdlsess: func(b testing.TB, url string) (func(context.Context) error, func()) {
			c := partnerClient(b, url)
			in := &sfdc.Create{}
			for _, a := range accounts {
				in.SObjects = append(in.SObjects, sfdc.SObject{Type: "Account", Any: []runtime.XSDAnyType{
					{XMLName: xml.Name{Space: sobjectNS, Local: "Name"}, Inner: []byte(a[0])},
					{XMLName: xml.Name{Space: sobjectNS, Local: "Industry"}, Inner: []byte(a[1])},
				}})
			}
			return func(ctx context.Context) error {
				_, err := c.Create(ctx, in)
				return err
			}, func() { c.Close(context.Background()) }
		},
		gowsdl: func(c *soap.Client) func(context.Context) error {
			c.AddHeader(&SessionHeader{SessionId: sessionID})
			in := &Create{}
			for _, a := range accounts {
				in.SObjects = append(in.SObjects, &SObject{Type_: "Account", Items: []string{a[0], a[1]}})
			}
			return func(ctx context.Context) error {
				return c.CallContext(ctx, "''", in, new(anyResponse))
			}
		},
	},
	{
		// The properties of every VirtualMachine under the root folder,
		// found through one folder traversal. gowsdl's types hold neither
		// the traversal (selectSet is []*SelectionSpec: no derived types)
		// nor _this (an unexported field) nor a reference's type attribute
		// (ManagedObjectReference is a string): its request leaves those
		// out, which a vCenter rejects.
		name: "vsphere/RetrieveProperties", op: "RetrieveProperties",
		wsdlsess: func(b testing.TB, url string) (func(context.Context) error, func()) {
			c, err := vim.NewClient(runtime.WithEndpoint(url), runtime.WithCredentials(runtime.Password("administrator@vsphere.local", "pw")))
			if err != nil {
				b.Fatal(err)
			}
			skip := true
			visit := "visitFolders"
			in := &vim.RetrieveProperties{
				This: &vim.ManagedObjectReference{Type: "PropertyCollector", Value: "propertyCollector"},
				SpecSet: []vim.PropertyFilterSpec{{
					PropSet: []vim.PropertySpec{{Type: "VirtualMachine", PathSet: vmPaths}},
					ObjectSet: []vim.ObjectSpec{{
						Obj:  &vim.ManagedObjectReference{Type: "Folder", Value: "group-d1"},
						Skip: &skip,
						SelectSet: []vim.AnySelectionSpec{{Value: &vim.TraversalSpec{
							Name: &visit, Type: "Folder", Path: "childEntity",
							SelectSet: []vim.AnySelectionSpec{{Value: &vim.SelectionSpec{Name: &visit}}},
						}}},
					}},
				}},
			}
			return func(ctx context.Context) error {
				_, err := c.RetrieveProperties(ctx, in)
				return err
			}, func() { c.Close(context.Background()) }
		},
		gowsdl: func(c *soap.Client) func(context.Context) error {
			root := ManagedObjectReference("group-d1")
			in := &RetrievePropertiesRequestType{SpecSet: []*PropertyFilterSpec{{
				PropSet:   []*PropertySpec{{Type_: "VirtualMachine", PathSet: vmPaths}},
				ObjectSet: []*ObjectSpec{{Obj: &root, Skip: true}},
			}}}
			return func(ctx context.Context) error {
				return c.CallContext(ctx, "urn:vim25/6.7", in, new(anyResponse))
			}
		},
	},
}

var (
	accounts = [][2]string{{"Acme Corp", "Manufacturing"}, {"Globex", "Energy"}, {"Initech", "Technology"}, {"Umbrella", "Biotechnology"}, {"Hooli", "Technology"}}
	vmPaths  = []string{"name", "runtime.powerState", "config.hardware.numCPU", "config.hardware.memoryMB", "guest.ipAddress"}
)

// anyResponse takes whatever body the server answers to gowsdl's client.
type anyResponse struct {
	Inner []byte `xml:",innerxml"`
}

func partnerClient(b testing.TB, url string) *sfdc.Client {
	c, err := sfdc.NewClient(runtime.WithEndpoint(url), runtime.WithCredentials(runtime.Password("ann@example.com", "pw")))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkRequestSize reports the body bytes of each call's request as
// the server receives it (req-bytes), HTTP headers not counted: the
// golden client (after its login, which is not counted) and gowsdl's
// client, for the same populated request.
func BenchmarkRequestSize(b *testing.B) {
	for _, c := range calls {
		b.Run(c.name+"/wsdlsess", func(b *testing.B) {
			s := newServer(b)
			do, closeClient := c.wsdlsess(b, s.srv.URL)
			defer closeClient()
			ctx := context.Background()
			for b.Loop() {
				if err := do(ctx); err != nil {
					b.Fatal(err)
				}
			}
			body := s.body(b, c.op)
			b.ReportMetric(float64(len(body)), "req-bytes")
			decls, uris := namespaceDecls(b, body)
			b.ReportMetric(float64(decls)/float64(uris), "decls/ns")
		})
		b.Run(c.name+"/gowsdl", func(b *testing.B) {
			s := newServer(b)
			do := c.gowsdl(s.gowsdlClient())
			ctx := context.Background()
			for b.Loop() {
				if err := do(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(s.body(b, c.op))), "req-bytes")
		})
	}
}

// namespaceDecls counts the namespace declarations in a request and the
// namespaces they declare: a request that declares each once has as many
// of one as of the other.
func namespaceDecls(tb testing.TB, body []byte) (decls, uris int) {
	seen := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return decls, len(seen)
		}
		if err != nil {
			tb.Fatalf("request does not parse: %v", err)
		}
		if st, ok := tok.(xml.StartElement); ok {
			for _, a := range st.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					decls++
					seen[a.Value] = true
				}
			}
		}
	}
}

// TestRequestSizeCalls: each call of BenchmarkRequestSize reaches the
// server from both clients as a SOAP 1.1 envelope whose body holds the
// operation's element in its namespace, so the benchmark compares the
// same call. The requests are logged (go test -v) for a reader to compare.
func TestRequestSizeCalls(t *testing.T) {
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			s := newServer(t)
			do, closeClient := c.wsdlsess(t, s.srv.URL)
			if err := do(context.Background()); err != nil {
				t.Fatal(err)
			}
			ws := s.body(t, c.op)
			closeClient()
			s = newServer(t)
			if err := c.gowsdl(s.gowsdlClient())(context.Background()); err != nil {
				t.Fatal(err)
			}
			gw := s.body(t, c.op)
			t.Logf("wsdlsess, %d bytes:\n%s\ngowsdl, %d bytes:\n%s", len(ws), ws, len(gw), gw)
			// Each namespace once, on the envelope, the header's and
			// the body's alike.
			if decls, uris := namespaceDecls(t, ws); decls != uris {
				t.Errorf("wsdlsess's request has %d namespace declarations of %d namespaces, want one each", decls, uris)
			}
		})
	}
}

// server answers logins (Salesforce Partner's and Enterprise's login, vSphere's Login) as the
// vendors do and every other operation with its empty response element,
// and keeps the body of each operation's last request.
type server struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies map[string][]byte
}

func newServer(tb testing.TB) *server {
	login, err := os.ReadFile("../../../testdata/wsdl/salesforce-partner/samples/login-response.xml")
	if err != nil {
		tb.Fatal(err)
	}
	enterpriseLogin, err := os.ReadFile("../../../testdata/wsdl/salesforce-enterprise/samples/login-response.xml")
	if err != nil {
		tb.Fatal(err)
	}
	s := &server{bodies: map[string][]byte{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		op, ok := operation(body)
		if !ok {
			http.Error(w, "no SOAP 1.1 body element", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		switch op {
		case xml.Name{Space: partnerNS, Local: "login"}:
			// The sample, its server URLs pointed at this server.
			io.WriteString(w, strings.Replace(string(login), "https://example-dev-ed.my.salesforce.com", s.srv.URL, -1))
			return
		case xml.Name{Space: enterpriseNS, Local: "login"}:
			io.WriteString(w, strings.Replace(string(enterpriseLogin), "https://example.my.salesforce.com", s.srv.URL, -1))
			return
		case xml.Name{Space: "urn:vim25", Local: "Login"}:
			http.SetCookie(w, &http.Cookie{Name: "vmware_soap_session", Value: "52c0ffee-test-only"})
		}
		s.mu.Lock()
		s.bodies[op.Local] = body
		s.mu.Unlock()
		io.WriteString(w, `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`+
			`<`+op.Local+`Response xmlns="`+op.Space+`"/></soapenv:Body></soapenv:Envelope>`)
	}))
	tb.Cleanup(s.srv.Close)
	return s
}

// gowsdlClient is gowsdl's SOAP client for the server. It is given the
// server's HTTP client because without one it makes a transport per call;
// the request body is the same either way.
func (s *server) gowsdlClient() *soap.Client {
	return soap.NewClient(s.srv.URL, soap.WithHTTPClient(s.srv.Client()))
}

// body is the last request of op the server received.
func (s *server) body(tb testing.TB, op string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bodies[op]
	if !ok {
		tb.Fatalf("the server received no %s request", op)
	}
	return b
}

// operation is the name of the first element inside a SOAP 1.1 Body.
func operation(body []byte) (xml.Name, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.Name{}, false
		}
		if se, ok := tok.(xml.StartElement); ok {
			if inBody {
				return se.Name, true
			}
			inBody = se.Name == xml.Name{Space: "http://schemas.xmlsoap.org/soap/envelope/", Local: "Body"}
		}
	}
}
