package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type fault11 struct {
	Code   string   `xml:"faultcode"`
	String string   `xml:"faultstring"`
	Actor  string   `xml:"faultactor"`
	Detail *xmlNode `xml:"detail"`
}

type subcode12 struct {
	Value string     `xml:"Value"`
	Sub   *subcode12 `xml:"Subcode"`
}

type fault12 struct {
	Code struct {
		Value string     `xml:"Value"`
		Sub   *subcode12 `xml:"Subcode"`
	} `xml:"Code"`
	Reason struct {
		Text []string `xml:"Text"`
	} `xml:"Reason"`
	Node   string   `xml:"Node"`
	Role   string   `xml:"Role"`
	Detail *xmlNode `xml:"Detail"`
}

// decoded is what a response envelope yielded besides the body value.
type decoded struct {
	headers []xmlNode
	fault   *Fault
	// fast: xmldec decoded the body (encoding/xml did not).
	fast bool
}

// errNotEnvelope marks a body that is no SOAP envelope, or one refused
// for its shape; roundTrip turns it into an *HTTPError with the reason.
var errNotEnvelope = errors.New("not a SOAP envelope")

// notEnvelope says why a body is not taken for a SOAP envelope.
type notEnvelope struct{ reason string }

func (e *notEnvelope) Error() string        { return errNotEnvelope.Error() + ": " + e.reason }
func (e *notEnvelope) Is(target error) bool { return target == errNotEnvelope }

// decodeMessage reads a SOAP 1.1 or 1.2 envelope: header children (kept
// when keepHeaders), then the body's first child, a fault or out.
// The parts of an MTOM answer (nil for a plain one) are what its
// xop:Include elements stand for.
//
// A response checkXMLShape refuses is refused whatever else is wrong
// with it: the check runs as encoding/xml reads (shapeReader), and over
// what was not read once the decode ends.
func decodeMessage(data []byte, xop *xopParts, op *impl.Operation, out any, keepHeaders bool) (decoded, error) {
	r := newShapeReader(data)
	res, err := decodeChecked(r, data, xop, op, out, keepHeaders)
	if shapeErr := r.finish(); shapeErr != nil {
		return decoded{}, &notEnvelope{reason: "response refused: " + shapeErr.Error()}
	}
	return res, err
}

// decodeChecked is decodeMessage with encoding/xml reading r.
func decodeChecked(r *shapeReader, data []byte, xop *xopParts, op *impl.Operation, out any, keepHeaders bool) (decoded, error) {
	var res decoded
	d := xml.NewDecoder(r)
	d.CharsetReader = charsetReader
	st := beginDecode(d, data)
	st.xop = xop
	defer endDecode(d)
	env, err := firstStart(d)
	if err != nil {
		return res, &notEnvelope{reason: "response is not a SOAP envelope: " + err.Error()}
	}
	if env.Name.Local != "Envelope" || (env.Name.Space != nsSOAP11 && env.Name.Space != nsSOAP12) {
		return res, &notEnvelope{reason: fmt.Sprintf("response is not a SOAP envelope (root element {%s}%s)", env.Name.Space, env.Name.Local)}
	}
	ns := env.Name.Space
	for {
		se, ok, err := nextStart(d)
		if err != nil {
			return res, fmt.Errorf("runtime: decode %s response envelope: %w", op.Name, err)
		}
		if !ok {
			return res, fmt.Errorf("runtime: decode %s response: envelope has no Body", op.Name)
		}
		switch {
		case se.Name.Space == ns && se.Name.Local == "Header":
			for {
				h, ok, err := nextStart(d)
				if err != nil {
					return res, fmt.Errorf("runtime: decode %s response header: %w", op.Name, err)
				}
				if !ok {
					break
				}
				if !keepHeaders {
					if err := d.Skip(); err != nil {
						return res, fmt.Errorf("runtime: decode %s response header: %w", op.Name, err)
					}
					continue
				}
				var n xmlNode
				if err := d.DecodeElement(&n, &h); err != nil {
					return res, fmt.Errorf("runtime: decode %s response header {%s}%s: %w", op.Name, h.Name.Space, h.Name.Local, err)
				}
				res.headers = append(res.headers, n)
			}
		case se.Name.Space == ns && se.Name.Local == "Body":
			b, err := nextChild(d)
			if err != nil {
				return res, fmt.Errorf("runtime: decode %s response body: %w", op.Name, err)
			}
			if b == nil {
				if out != nil && !op.OneWay {
					return res, &notEnvelope{reason: noResponseElement + " (empty SOAP Body)"}
				}
				return res, nil // one-way acknowledgement
			}
			if b.Name.Space == ns && b.Name.Local == "Fault" {
				f, err := decodeFault(d, b, ns, op, 2*len(data)+1<<20)
				if err != nil {
					return res, err
				}
				res.fault = f
				return res, nil
			}
			if op.Encoded != nil {
				if err := decodeSOAPEncBody(d, b, out, op.Encoded); err != nil {
					return res, fmt.Errorf("runtime: decode %s rpc/encoded response body {%s}%s into %T: %w", op.Name, b.Name.Space, b.Name.Local, out, err)
				}
				return res, nil
			}
			if out == nil {
				return res, nil
			}
			if mp, ok := out.(impl.MultiPartBody); ok {
				err := decodeBodyParts(d, b, mp, op)
				st.clearNils(out)
				return res, err
			}
			if !noXMLDec.Load() {
				if done, ok := st.fastDecode(data, d.InputOffset(), out); ok {
					r.skip(done.End, done.Open)
					st.clearNils(out)
					res.fast = true
					return res, nil
				}
			}
			if err := d.DecodeElement(out, b); err != nil {
				return res, fmt.Errorf("runtime: decode %s response body {%s}%s into %T: %w", op.Name, b.Name.Space, b.Name.Local, out, err)
			}
			st.clearNils(out)
			return res, nil
		default:
			if err := d.Skip(); err != nil {
				return res, fmt.Errorf("runtime: decode %s response: %w", op.Name, err)
			}
		}
	}
}

// decodeFault decodes a fault; DetailXML stops before the first detail
// child that would take it past maxDetailXML bytes.
//
// Each child is written on its own, declaring the namespaces it uses, so
// children that all use a namespace with a long URI declared once on the
// wire (a 1 MiB URI and 10,000 "<p:b/>") would repeat that URI for each:
// the bound (twice the response plus 1 MiB, room for the URIs a real
// detail repeats) keeps DetailXML to a small multiple of the response.
func decodeFault(d *xml.Decoder, se *xml.StartElement, ns string, op *impl.Operation, maxDetailXML int) (*Fault, error) {
	f := &Fault{op: op.Name}
	var detail *xmlNode
	if ns == nsSOAP12 {
		var v fault12
		if err := d.DecodeElement(&v, se); err != nil {
			return nil, fmt.Errorf("runtime: decode %s SOAP 1.2 fault: %w", op.Name, err)
		}
		f.Code = strings.TrimSpace(v.Code.Value)
		for s := v.Code.Sub; s != nil; s = s.Sub {
			f.Subcodes = append(f.Subcodes, strings.TrimSpace(s.Value))
		}
		if len(v.Reason.Text) > 0 {
			f.String = strings.TrimSpace(v.Reason.Text[0])
		}
		f.Actor, f.Node = strings.TrimSpace(v.Role), strings.TrimSpace(v.Node)
		detail = v.Detail
	} else {
		var v fault11
		if err := d.DecodeElement(&v, se); err != nil {
			return nil, fmt.Errorf("runtime: decode %s SOAP 1.1 fault: %w", op.Name, err)
		}
		f.Code, f.String, f.Actor = strings.TrimSpace(v.Code), strings.TrimSpace(v.String), strings.TrimSpace(v.Actor)
		detail = v.Detail
	}
	if detail != nil {
		var buf bytes.Buffer
		var text strings.Builder
		full := false
		for i := range detail.Nodes {
			n := &detail.Nodes[i]
			n.scope = detail.scope // the declarations where it stood
			if !full {
				mark := buf.Len()
				n.write(&buf)
				if buf.Len() > maxDetailXML {
					buf.Truncate(mark)
					full = true
				}
			}
			n.allText(&text)
			if f.Detail != nil {
				continue
			}
			for _, ft := range op.Faults {
				if ft.New != nil && nameMatches(n.XMLName, ft.Name) {
					v := ft.New()
					if err := n.decodeInto(v); err == nil {
						f.Detail = v
					}
					break
				}
			}
		}
		text.WriteString(detail.Text)
		f.DetailXML = buf.Bytes()
		f.detailText = text.String()
	}
	return f, nil
}

// firstStart returns the document's root element.
func firstStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		t, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := t.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// nextChild returns the next child element of the current element, or nil
// at its end.
func nextChild(d *xml.Decoder) (*xml.StartElement, error) {
	se, ok, err := nextStart(d)
	if !ok {
		return nil, err
	}
	return &se, nil
}

// nextStart is nextChild without the allocation of a pointer: ok is false
// at the end of the current element or on an error.
func nextStart(d *xml.Decoder) (_ xml.StartElement, ok bool, _ error) {
	for {
		t, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return xml.StartElement{}, false, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		}
	}
}

// charsetReader accepts the encodings SOAP servers actually declare
// besides UTF-8: ISO-8859-1 (Latin-1) maps byte for byte to runes.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "latin1", "iso8859-1", "l1":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return strings.NewReader(string(rs)), nil
	}
	return nil, fmt.Errorf("unsupported response charset %q (UTF-8 and ISO-8859-1 are)", label)
}
