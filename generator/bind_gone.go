package generator

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// A gone rule that can never match fails silently: the session is lost
// and nothing notices. The runtime matches (runtime/fault.go):
//
//   - fault-code: the fault's code, or any SOAP 1.2 subcode, with its
//     prefix removed, equal to or ending with the rule; or the code as
//     sent ending with it. A code is a QName a SOAP stack writes: Client,
//     Server (SOAP 1.1; dotted forms like Client.Auth), Sender, Receiver
//     (SOAP 1.2), MustUnderstand, VersionMismatch, DataEncodingUnknown,
//     or a vendor's (sf:INVALID_SESSION_ID). The name of a wsdl:fault or
//     of its detail element never travels there.
//   - detail: text contained in the fault detail, read as the local names
//     of its elements (any depth), its attribute values (a QName's prefix
//     removed, so xsi:type="vim:NotAuthenticated" reads NotAuthenticated)
//     and its character data.
//
// checkGone warns about rules that look like they name something else.

// soapCodes are the fault codes of SOAP 1.1 and 1.2.
var soapCodes = []string{"Client", "DataEncodingUnknown", "MustUnderstand", "Receiver", "Sender", "Server", "VersionMismatch"}

var (
	faultCodeRE  = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9._-]*:)?[A-Za-z_][A-Za-z0-9._-]*$`)
	vendorCodeRE = regexp.MustCompile(`^[A-Z0-9_.-]*[A-Z][A-Z0-9_.-]*$`)
)

// declaredFaults collects what the WSDL declares about the faults of the
// bound ports' operations: wsdl:fault and message names, and the words a
// detail can hold (element and type names of the details, derived ones
// included).
func declaredFaults(m *model) (names, details []string) {
	seenN, seenD := map[string]bool{}, map[string]bool{}
	add := func(list *[]string, seen map[string]bool, s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	for _, pt := range m.ports {
		for _, op := range pt.binding.ops {
			for _, n := range op.faultNames {
				add(&names, seenN, n)
			}
			for _, t := range slices.Concat(op.faults, m.derived.more[op]) {
				if t.xmlName != nil {
					add(&details, seenD, t.xmlName.Local)
				}
				add(&details, seenD, t.qname.Local)
				if t.copyOf != nil {
					add(&details, seenD, t.copyOf.qname.Local)
				}
				for _, b := range t.bases {
					add(&details, seenD, b.qname.Local)
				}
				detailFields(t, 0, map[*goType]bool{}, func(w string) { add(&details, seenD, w) })
			}
		}
	}
	sort.Strings(details)
	return names, details
}

// detailFields reports the element names inside a detail type, a few
// levels deep: the runtime matches them too (ApiFault's exceptionCode).
func detailFields(t *goType, depth int, seen map[*goType]bool, add func(string)) {
	if t == nil || depth > 3 || seen[t] {
		return
	}
	seen[t] = true
	for _, f := range fieldsOf(t) {
		if (f.kind == fElem || f.kind == fAttr) && f.xmlName.Local != "" {
			add(f.xmlName.Local)
		}
		detailFields(f.typ.t, depth+1, seen, add)
	}
}

// checkGone warns about fault-code rules that are no fault code and
// detail rules that name no declared fault detail.
func checkGone(m *model, p *profile.Profile, warn func(string)) {
	for _, pr := range goneProblems(m, p) {
		file, pos := p.Where(pr.key)
		warn(fmt.Sprintf("%s:%d: %s: %s", file, pos.Line, pr.key, pr.msg))
	}
}

// goneProblem is a doubt about one key of a gone rule.
type goneProblem struct {
	rule     int
	key, msg string
}

func goneProblems(m *model, p *profile.Profile) []goneProblem {
	names, details := declaredFaults(m)
	var out []goneProblem
	for i, g := range p.Gone {
		if c := g.FaultCode; c != "" {
			if msg := faultCodeProblem(c, names, details); msg != "" {
				out = append(out, goneProblem{i, fmt.Sprintf("gone[%d].fault-code", i), msg})
			}
		}
		if d := g.Detail; d != "" && len(d) >= 5 {
			if !slices.ContainsFunc(details, func(w string) bool { return strings.Contains(w, d) }) {
				decl := "the WSDL declares no fault detail for these operations"
				if len(details) > 0 {
					decl = "the WSDL declares these fault details: " + shortList(details)
				}
				out = append(out, goneProblem{i, fmt.Sprintf("gone[%d].detail", i), fmt.Sprintf("%q names no fault detail element or type the WSDL declares (%s); it matches only if a detail's text or an attribute value contains it, so check it against a real fault", d, decl)})
			}
		}
	}
	return out
}

// describeGone writes the profile's gone rules for inspect, each with its
// doubts, and the fault details the WSDL declares to compare them with.
func describeGone(b *strings.Builder, m *model, p *profile.Profile) {
	if len(p.Gone) == 0 {
		return
	}
	problems := goneProblems(m, p)
	b.WriteString("      Gone when (any rule; every key of a rule must match):\n")
	for i, g := range p.Gone {
		var keys []string
		if g.FaultCode != "" {
			keys = append(keys, "fault-code "+g.FaultCode)
		}
		if g.FaultString != "" {
			keys = append(keys, fmt.Sprintf("fault-string %q", g.FaultString))
		}
		if g.Detail != "" {
			keys = append(keys, "detail "+g.Detail)
		}
		if g.HTTPStatus != 0 {
			keys = append(keys, fmt.Sprintf("http-status %d", g.HTTPStatus))
		}
		fmt.Fprintf(b, "        %s\n", strings.Join(keys, ", "))
		for _, pr := range problems {
			if pr.rule == i {
				fmt.Fprintf(b, "          warning: %s: %s\n", pr.key, pr.msg)
			}
		}
	}
	if _, details := declaredFaults(m); len(details) > 0 {
		fmt.Fprintf(b, "      Fault details declared: %s\n", strings.Join(details, ", "))
	} else {
		b.WriteString("      Fault details declared: none\n")
	}
}

// faultCodeProblem says why code is unlikely to be a fault code a server
// sends, or "" when it looks like one.
func faultCodeProblem(code string, names, details []string) string {
	if !faultCodeRE.MatchString(code) {
		return fmt.Sprintf("%q is not a fault code (a QName such as Client or sf:INVALID_SESSION_ID), so it never matches; to match the fault's message use fault-string", code)
	}
	prefix, local, ok := strings.Cut(code, ":")
	if !ok {
		prefix, local = "", code
	}
	if slices.Contains(names, local) || slices.Contains(details, local) {
		return fmt.Sprintf("%q is the name of a wsdl:fault or of its detail in the WSDL, which never travels as a fault code (faultcode holds a code such as Client or sf:INVALID_SESSION_ID); to match that fault, use detail: %s", code, local)
	}
	head, _, _ := strings.Cut(local, ".")
	if slices.Contains(soapCodes, head) {
		return ""
	}
	for _, c := range soapCodes {
		if strings.EqualFold(head, c) {
			return fmt.Sprintf("%q never matches: fault codes are case-sensitive, the SOAP code is %s", code, c)
		}
	}
	if prefix != "" || vendorCodeRE.MatchString(local) {
		return "" // a vendor's code: sf:INVALID_SESSION_ID, INVALID_SESSION_ID
	}
	for _, d := range details {
		if strings.Contains(d, local) {
			return fmt.Sprintf("%q is no fault code a SOAP stack sends, but part of the fault detail %s the WSDL declares; to match that fault, use detail: %s", code, d, d)
		}
	}
	return fmt.Sprintf("%q is neither a SOAP fault code (%s, or a dotted form like Client.Auth) nor a vendor code (prefixed like sf:INVALID_SESSION_ID, or upper-case like INVALID_SESSION_ID); check it against the faultcode (or SOAP 1.2 Subcode) of a real fault", code, strings.Join(soapCodes, ", "))
}

// shortList joins up to six words, else five and a count.
func shortList(ws []string) string {
	if len(ws) <= 6 {
		return strings.Join(ws, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ws[:5], ", "), len(ws)-5)
}
