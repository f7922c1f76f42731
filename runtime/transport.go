package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// defaultHTTPClient keeps connections alive for reuse. The bound on a
// call (defaultCallTimeout, applied by callBound) is the only one: not
// http.Client.Timeout, which costs every request a clone, a context and a
// timer (25 allocations a call) even when the caller's ctx already has a
// shorter deadline; not the transport's ResponseHeaderTimeout, which
// costs a timer a request and would end a call its ctx still allows (a
// report the server takes three minutes to start answering).
func defaultHTTPClient() (*http.Client, *http.Transport) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: tr}, tr
}

// defaultCallTimeout bounds a call on the runtime's own client whose ctx
// has no deadline, or a later one: a server trickling an endless answer
// must not hold a caller forever.
const defaultCallTimeout = 5 * time.Minute

// callTimeoutError is the cause of a call ended by the default client's
// call timeout.
type callTimeoutError struct{ d time.Duration }

func (e *callTimeoutError) Error() string {
	return fmt.Sprintf("the runtime's default call timeout of %s exceeded (give the ctx a deadline, or pass runtime.WithHTTPClient)", e.d)
}
func (e *callTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// causeOf is ctx's error, or the default call timeout when that ended it.
func causeOf(ctx context.Context) error {
	err := ctx.Err()
	var ct *callTimeoutError
	if err != nil && errors.As(context.Cause(ctx), &ct) {
		return ct
	}
	return err
}

// guardRedirects returns a copy of hc whose redirects stay on the original
// scheme and host (the request carries credentials, session headers and
// cookies, and another host must never see them) and keep the method and
// body (307, 308). Its transport resends
// nothing the server may have received (noReplay).
//
// The copy has no Jar: every session keeps its cookies in a jar of its own,
// and a client-wide jar would mix sessions (and identities) and make a
// request carry a cookie beside the credentials.
func guardRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.Jar = nil
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = noReplay{rt: rt}
	prev := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.Method != via[0].Method {
			// http.Client follows a 301, 302 or 303 to a POST with a GET
			// without the body: its answer is no answer to the call.
			status := ""
			if req.Response != nil {
				status = req.Response.Status + " "
			}
			return fmt.Errorf("runtime: refused redirect: the %sanswer would turn the %s into a %s without the envelope; set WithEndpoint to the final URL", status, via[0].Method, req.Method)
		}
		first := via[0].URL
		if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
			return fmt.Errorf("runtime: refused redirect from %s://%s to %s://%s: it would carry credentials or the session to another host; set WithEndpoint to the final URL",
				first.Scheme, first.Host, req.URL.Scheme, req.URL.Host)
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= 10 {
			return errors.New("runtime: stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one huge response from pinning its buffer in the
// pool for the life of the process.
const maxPooledBuffer = 1 << 20

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		bufPool.Put(b)
	}
}

// exchange is one HTTP round trip of a SOAP call.
type exchange struct {
	url     string
	op      *impl.Operation
	env     envelope
	jar     http.CookieJar
	headers http.Header // extra HTTP headers (session, Authorization)
	out     any
	// keepHeaders asks for the response SOAP header elements.
	keepHeaders bool
	// cookieName/cookieValue: a session cookie to send when the jar has
	// none of that name for the URL.
	cookieName, cookieValue string
	// secrets: the password, token or Authorization value this request
	// carries, scrubbed from errors built from the answer (redact.go).
	secrets []string
	// secretsBuf backs secrets: a call carries one or two, and the
	// exchange is allocated anyway.
	secretsBuf [2]string
}

// reply is what came back besides the decoded body.
type reply struct {
	status  int
	http    http.Header
	headers []xmlNode
	cookies []*http.Cookie
	// bodyLost: the body could not be read whole (cut off, too large),
	// so whatever it carried (a rotated token in a SOAP header) is lost.
	bodyLost bool
}

// roundTrip posts the envelope and decodes the answer. A SOAP fault comes
// back as *Fault, a non-SOAP answer as *HTTPError; rep is set whenever an
// HTTP response arrived.
func (e *engine) roundTrip(ctx context.Context, x *exchange) (*reply, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuffer(buf)
	if err := x.env.write(buf); err != nil {
		return nil, err
	}
	ct, action := contentType(x.op.SOAP, x.op.Action)
	ctx, share := e.bound.acquire(ctx)
	defer e.bound.release(share)
	resp, req, err := e.send(ctx, x, buf.Bytes(), ct, action)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	rep := &reply{status: resp.StatusCode, http: resp.Header, cookies: e.keptCookies(resp.Cookies())}
	if x.jar != nil && len(rep.cookies) > 0 {
		x.jar.SetCookies(req.URL, rep.cookies)
	}

	// A body that announces more than the bound is refused before a byte of
	// it is read (the connection is closed, not drained).
	if resp.ContentLength > e.maxResponse {
		rep.bodyLost = true
		return rep, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, ContentType: resp.Header.Get("Content-Type"), op: x.op.Name,
			reason: fmt.Sprintf("response of %d bytes announced, larger than %d (raise it with WithMaxResponseBytes)", resp.ContentLength, e.maxResponse)}
	}
	media, params := mediaType(resp.Header.Get("Content-Type"))
	var data []byte
	var xop *xopParts
	if media == "multipart/related" {
		// MTOM (mtom.go): the envelope is the root part, and the bound
		// applies to the whole body.
		rel, err := readRelated(resp.Body, params, e.maxResponse)
		if err != nil {
			var re *relatedError
			if errors.As(err, &re) {
				rep.bodyLost = re.lost
				return rep, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, ContentType: resp.Header.Get("Content-Type"), op: x.op.Name, reason: re.reason}
			}
			if c := causeOf(ctx); c != nil {
				err = c
			}
			rep.bodyLost = true
			return rep, fmt.Errorf("runtime: %s: reading response: %w (%s)", x.op.Name, err, mayHaveProcessed)
		}
		// readRelated accepted the root part as a SOAP envelope.
		data, xop, media = rel.root, rel.parts, "text/xml"
	} else {
		// The body is read into a pooled buffer with a hard bound, so a
		// huge or endless answer fails while it streams rather than after.
		body := bufPool.Get().(*bytes.Buffer)
		body.Reset()
		defer putBuffer(body)
		n, err := body.ReadFrom(io.LimitReader(resp.Body, e.maxResponse+1))
		if err != nil {
			if c := causeOf(ctx); c != nil {
				err = c
			}
			// The server answered, so it had the request: never resent.
			rep.bodyLost = true
			return rep, fmt.Errorf("runtime: %s: reading response: %w (%s)", x.op.Name, err, mayHaveProcessed)
		}
		if n > e.maxResponse {
			rep.bodyLost = true
			return rep, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, op: x.op.Name,
				reason: fmt.Sprintf("response larger than %d bytes (raise it with WithMaxResponseBytes)", e.maxResponse)}
		}
		data = body.Bytes()
	}
	httpErr := func(reason string) *HTTPError {
		return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, ContentType: resp.Header.Get("Content-Type"),
			Snippet: snippet(x.scrub(bytes.Clone(data))), op: x.op.Name, reason: reason}
	}
	empty := len(bytes.TrimSpace(data)) == 0
	switch media {
	case "text/xml", "application/soap+xml", "application/xml", "":
		// No Content-Type: the body decides (an envelope, or empty).
	default:
		return rep, httpErr("not a SOAP response")
	}
	if empty {
		switch {
		case resp.StatusCode/100 != 2:
			return rep, httpErr("empty response")
		case x.wantsAnswer():
			return rep, httpErr(noResponseElement + " (empty HTTP body)")
		}
		return rep, nil // one-way acknowledgement
	}
	dec, err := decodeMessage(data, xop, x.op, x.out, x.keepHeaders)
	rep.headers = dec.headers
	if err != nil {
		var ne *notEnvelope
		if errors.As(err, &ne) {
			return rep, httpErr(ne.reason)
		}
		return rep, err
	}
	if dec.fault != nil {
		dec.fault.HTTPStatus = resp.StatusCode
		dec.fault.scrub(x.secrets)
		return rep, dec.fault
	}
	if resp.StatusCode/100 != 2 {
		return rep, httpErr("SOAP envelope without a fault on an error status")
	}
	return rep, nil
}

// noResponseElement is the error of a request-response call whose answer
// has no response element: no output was delivered, so it is no success,
// though the server may have processed the call.
const noResponseElement = "the server answered without a response element; the call may or may not have been processed"

// wantsAnswer reports a call that must get a response element: a
// request-response operation whose caller takes the output. A one-way
// operation is acknowledged by any 2xx, empty or an empty envelope.
func (x *exchange) wantsAnswer() bool { return x.out != nil && !x.op.OneWay }

// redactURL drops the query of a URL in a transport error: some vendors put
// credentials there (old Siebel UserName/Password arguments).
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u := ue.URL
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		return &url.Error{Op: ue.Op, URL: u, Err: ue.Err}
	}
	return err
}

// mediaType is mime.ParseMediaType's media type and parameters, without
// its cost (a map each call) for the media types of a plain SOAP answer,
// whose parameters the runtime does not read (the charset is the XML
// declaration's business).
func mediaType(ct string) (string, map[string]string) {
	m, _, _ := strings.Cut(ct, ";")
	m = strings.TrimSpace(m)
	for _, plain := range [...]string{"text/xml", "application/soap+xml"} {
		if strings.EqualFold(m, plain) {
			return plain, nil
		}
	}
	media, params, _ := mime.ParseMediaType(ct)
	return media, params
}
