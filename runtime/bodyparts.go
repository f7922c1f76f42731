package runtime

import (
	"encoding/xml"
	"fmt"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// encodeBodyParts writes the parts of a request body.
func encodeBodyParts(enc *xml.Encoder, body impl.MultiPartBody) error {
	for _, p := range body.SOAPBodyParts() {
		if err := enc.EncodeElement(p.Value, xml.StartElement{Name: p.Name}); err != nil {
			return fmt.Errorf("runtime: marshal request body part {%s}%s: %w", p.Name.Space, p.Name.Local, err)
		}
	}
	return enc.Flush()
}

// decodeBodyParts reads the children of a response Body from first, its
// first child, through the Body's end.
func decodeBodyParts(d *xml.Decoder, first *xml.StartElement, body impl.MultiPartBody, op *impl.Operation) error {
	parts := body.SOAPBodyParts()
	done := make([]bool, len(parts))
	for se := first; se != nil; {
		i := 0
		for ; i < len(parts); i++ {
			if !done[i] && nameMatches(se.Name, parts[i].Name) {
				break
			}
		}
		if i < len(parts) {
			if err := d.DecodeElement(parts[i].Value, se); err != nil {
				return fmt.Errorf("runtime: decode %s response body part {%s}%s: %w", op.Name, se.Name.Space, se.Name.Local, err)
			}
			done[i] = true
		} else if err := d.Skip(); err != nil {
			return fmt.Errorf("runtime: decode %s response body: %w", op.Name, err)
		}
		var err error
		if se, err = nextChild(d); err != nil {
			return fmt.Errorf("runtime: decode %s response body: %w", op.Name, err)
		}
	}
	return nil
}
