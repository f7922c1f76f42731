package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// ErrSessionLost is wrapped by the error of a call whose session was gone
// when the profile forbids a silent relogin (stateful sessions): the
// server-side state is lost and the caller must start over.
var ErrSessionLost = errors.New("session lost")

// Fault is a SOAP fault (1.1 or 1.2) answered by the server.
type Fault struct {
	// Code is the fault code as sent (1.1 faultcode, 1.2 Code/Value), with
	// its prefix ("soapenv:Server", "sf:INVALID_SESSION_ID").
	Code string
	// Subcodes are the 1.2 Subcode values, outermost first.
	Subcodes []string
	// String is the 1.1 faultstring or the first 1.2 Reason/Text.
	String string
	// Actor is the 1.1 faultactor or 1.2 Role.
	Actor string
	// Node is the 1.2 Node: the URI of the node that faulted.
	Node string
	// Detail is the typed detail when the operation declares the detail
	// element (impl.Operation.Faults), else nil.
	Detail any
	// DetailXML is the detail's children as XML, namespaces explicit.
	DetailXML []byte
	// HTTPStatus is the status the fault came with (usually 500).
	HTTPStatus int

	op         string
	detailText string
}

func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("soap fault")
	if f.op != "" {
		b.WriteString(" from " + f.op)
	}
	b.WriteString(": " + f.Code)
	for _, s := range f.Subcodes {
		b.WriteString("/" + s)
	}
	if f.String != "" {
		b.WriteString(": " + f.String)
	}
	return b.String()
}

// scrub removes the request's secrets from every text of the fault, the
// typed Detail included: each is an echo of the answer, and a fault that
// quotes the session id ("invalid session 00D…" in a subcode, a Role, a
// detail field) must not carry it into an error or a log.
func (f *Fault) scrub(secrets []string) {
	if len(secrets) > 0 {
		f.scrubWith(newScrubber(secrets))
	}
}

func (f *Fault) scrubWith(sc scrubber) {
	f.Code = sc.scrubString(f.Code)
	for i, s := range f.Subcodes {
		f.Subcodes[i] = sc.scrubString(s)
	}
	f.String = sc.scrubString(f.String)
	f.Actor = sc.scrubString(f.Actor)
	f.Node = sc.scrubString(f.Node)
	f.detailText = sc.scrubString(f.detailText)
	if len(f.DetailXML) > 0 {
		f.DetailXML = sc.scrub(f.DetailXML)
	}
	if f.Detail != nil {
		scrubValue(reflect.ValueOf(f.Detail), sc, 0)
	}
}

// scrubValue scrubs the settable strings reachable from v (a typed fault
// detail: structs, pointers, slices, maps of generated types).
func scrubValue(v reflect.Value, sc scrubber, depth int) {
	if depth > 64 {
		return // a cycle or an absurd nesting: detail types are shallow
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scrubValue(v.Elem(), sc, depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			scrubValue(v.Field(i), sc, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			if v.CanSet() && !v.IsNil() {
				v.SetBytes(sc.scrub(bytes.Clone(v.Bytes())))
			}
			return
		}
		for i := range v.Len() {
			scrubValue(v.Index(i), sc, depth+1)
		}
	case reflect.Map:
		if !v.CanInterface() {
			return // reached through an unexported field: not settable
		}
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.String {
				v.SetMapIndex(k, reflect.ValueOf(sc.scrubString(e.String())).Convert(e.Type()))
				continue
			}
			c := reflect.New(e.Type()).Elem()
			c.Set(e)
			scrubValue(c, sc, depth+1)
			v.SetMapIndex(k, c)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(sc.scrubString(v.String()))
		}
	}
}

// HTTPError is a response that is not a SOAP envelope: a proxy's HTML page,
// a gateway error, a wrong content type.
type HTTPError struct {
	StatusCode  int
	Status      string
	ContentType string
	// Snippet is the start of the body (at most 512 bytes, control
	// characters replaced), to tell a login page from a load balancer.
	Snippet string

	op     string
	reason string
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("http %d", e.StatusCode)
	if e.op != "" {
		s += " from " + e.op
	}
	if e.reason != "" {
		s += ": " + e.reason
	}
	if e.ContentType != "" {
		s += " (content type " + e.ContentType + ")"
	}
	if e.Snippet != "" {
		s += ": " + e.Snippet
	}
	return s
}

const snippetMax = 512

func snippet(b []byte) string {
	if len(b) > snippetMax {
		b = b[:snippetMax]
	}
	s := strings.ToValidUTF8(string(b), "?")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != ' ' {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}

// sessionLostError wraps ErrSessionLost with the fault that revealed it.
type sessionLostError struct {
	op    string
	cause error
}

func (e *sessionLostError) Error() string {
	if e.cause == nil {
		return "runtime: " + e.op + ": session lost (stateful session expired; start a new Exchange)"
	}
	return "runtime: " + e.op + ": session lost (stateful session; start a new Exchange): " + e.cause.Error()
}

func (e *sessionLostError) Unwrap() []error { return []error{ErrSessionLost, e.cause} }

// localName strips a QName prefix.
func localName(q string) string {
	if i := strings.LastIndexByte(q, ':'); i >= 0 {
		return q[i+1:]
	}
	return q
}

// codeMatches implements GoneRule.FaultCode: equal to or ending with want
// once the prefix is removed.
func codeMatches(code, want string) bool {
	l := localName(strings.TrimSpace(code))
	return l == want || strings.HasSuffix(l, want) || strings.HasSuffix(strings.TrimSpace(code), want)
}

// gone reports whether a call's outcome matches one of the rules.
func gone(rules []impl.GoneRule, status int, err error) bool {
	if len(rules) == 0 || err == nil {
		return false
	}
	var f *Fault
	isFault := errors.As(err, &f)
	var he *HTTPError
	isHTTP := errors.As(err, &he)
	if !isFault && !isHTTP {
		return false
	}
	for _, r := range rules {
		if r.HTTPStatus != 0 && r.HTTPStatus != status {
			continue
		}
		if r.FaultCode != "" || r.FaultString != "" || r.Detail != "" {
			if !isFault {
				continue
			}
			if r.FaultCode != "" {
				ok := codeMatches(f.Code, r.FaultCode)
				for _, s := range f.Subcodes {
					ok = ok || codeMatches(s, r.FaultCode)
				}
				if !ok {
					continue
				}
			}
			if r.FaultString != "" && !strings.Contains(f.String, r.FaultString) {
				continue
			}
			if r.Detail != "" && !strings.Contains(f.detailText, r.Detail) {
				continue
			}
		}
		if r.HTTPStatus == 0 && r.FaultCode == "" && r.FaultString == "" && r.Detail == "" {
			continue // an empty rule matches nothing
		}
		return true
	}
	return false
}
