package roundtrip

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	xc "github.com/wsdlsess/wsdlsess/golden/xsd-constructs"
)

// TestRepeatedChoiceKeepsOrder: the items of <choice maxOccurs="unbounded">
// (email | phone) come back in document order, and go out in it.
func TestRepeatedChoiceKeepsOrder(t *testing.T) {
	in := `<Record xmlns="urn:example:xsd:main"><first>A</first><last>B</last>` +
		`<email>a@x</email><phone>1</phone><email>b@x</email><phone>2</phone><phone>3</phone></Record>`
	var r xc.Record
	if err := xml.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range r.EmailOrPhone {
		switch {
		case it.Email != nil:
			got = append(got, "email:"+*it.Email)
		case it.Phone != nil:
			got = append(got, "phone:"+*it.Phone)
		}
	}
	if strings.Join(got, " ") != "email:a@x phone:1 email:b@x phone:2 phone:3" {
		t.Fatalf("decoded order %q", got)
	}
	out, err := xml.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	seq := regexp.MustCompile(`<(email|phone)[^>]*>([^<]*)<`).FindAllStringSubmatch(string(out), -1)
	var back []string
	for _, m := range seq {
		back = append(back, m[1]+":"+m[2])
	}
	if strings.Join(back, " ") != strings.Join(got, " ") {
		t.Errorf("re-encoded order %q from %s", back, out)
	}
}

// TestRepeatedChoiceKeepsUnknownElement: an element of none of the
// alternatives (a newer server's <fax>) is kept in Other, in its place,
// and written back there; before, it became an item with no field set
// and vanished on the way out.
func TestRepeatedChoiceKeepsUnknownElement(t *testing.T) {
	in := `<Record xmlns="urn:example:xsd:main"><first>A</first><last>B</last>` +
		`<email>a@x</email><fax kind="g3">9</fax><phone>1</phone></Record>`
	var r xc.Record
	if err := xml.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.EmailOrPhone) != 3 || r.EmailOrPhone[1].Other == nil || r.EmailOrPhone[1].Other.XMLName.Local != "fax" || string(r.EmailOrPhone[1].Other.Inner) != "9" {
		t.Fatalf("items = %+v", r.EmailOrPhone)
	}
	out, err := xml.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	seq := regexp.MustCompile(`<(email|phone|fax)[^>]*>([^<]*)<`).FindAllStringSubmatch(string(out), -1)
	var back []string
	for _, m := range seq {
		back = append(back, m[1]+":"+m[2])
	}
	if strings.Join(back, " ") != "email:a@x fax:9 phone:1" || !strings.Contains(string(out), `kind="g3"`) {
		t.Errorf("re-encoded %q from %s", back, out)
	}
	var again xc.Record
	if err := xml.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if again.EmailOrPhone[1].Other == nil || again.EmailOrPhone[1].Other.XMLName != r.EmailOrPhone[1].Other.XMLName {
		t.Errorf("fax did not come back in its namespace: %s", out)
	}
}

// TestRepeatedChoiceOfRepeatedAlternatives: when the alternatives repeat
// too (maxOccurs="unbounded" on run and br), each occurrence is an item,
// so consecutive runs and the breaks between them keep their order both
// ways. Before, the choice split into Run []string and Br []string and a
// paragraph came back with all its breaks at the end.
func TestRepeatedChoiceOfRepeatedAlternatives(t *testing.T) {
	in := `<Paragraph xmlns="urn:example:xsd:main"><run>a</run><run>b</run><br/><run>c</run><br/><br/></Paragraph>`
	var p xc.Paragraph
	if err := xml.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range p.RunOrBr {
		switch {
		case it.Run != nil:
			got = append(got, "run:"+*it.Run)
		case it.Br != nil:
			got = append(got, "br")
		default:
			got = append(got, "?")
		}
	}
	if want := "run:a run:b br run:c br br"; strings.Join(got, " ") != want {
		t.Fatalf("decoded %q, want %q", strings.Join(got, " "), want)
	}
	out, err := xml.Marshal(&p)
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`<(run|br)[ >]`).FindAllStringSubmatch(string(out), -1)
	var back []string
	for _, m := range names {
		back = append(back, m[1])
	}
	if want := "run run br run br br"; strings.Join(back, " ") != want {
		t.Errorf("re-encoded %q, want %q, from %s", strings.Join(back, " "), want, out)
	}
}
