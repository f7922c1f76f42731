package generator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoneRuleWarnings: generating warns, at the rule's file and line,
// about each fault-code that no SOAP stack sends and each detail that
// names no declared fault detail, and about nothing else.
func TestGoneRuleWarnings(t *testing.T) {
	prof := filepath.Join("testdata", "gone-rules.yaml")
	var got []string
	_, err := Generate(Options{
		WSDL: filepath.Join("..", "testdata", "wsdl", "salesforce-partner", "partner.wsdl"), Package: "p", Profile: prof,
		Warn: func(s string) { got = append(got, strings.ReplaceAll(s, prof, "gone-rules.yaml")) },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`gone-rules.yaml:10: gone[4].fault-code: "InvalidIdFault" is the name of a wsdl:fault or of its detail in the WSDL, which never travels as a fault code (faultcode holds a code such as Client or sf:INVALID_SESSION_ID); to match that fault, use detail: InvalidIdFault`,
		`gone-rules.yaml:11: gone[5].fault-code: "Session expired" is not a fault code (a QName such as Client or sf:INVALID_SESSION_ID), so it never matches; to match the fault's message use fault-string`,
		`gone-rules.yaml:12: gone[6].fault-code: "soap:client" never matches: fault codes are case-sensitive, the SOAP code is Client`,
		`gone-rules.yaml:13: gone[7].fault-code: "InvalidSession" is no fault code a SOAP stack sends, but part of the fault detail InvalidSessionIdFault the WSDL declares; to match that fault, use detail: InvalidSessionIdFault`,
		`gone-rules.yaml:14: gone[8].fault-code: "TokenExpired" is neither a SOAP fault code (Client, DataEncodingUnknown, MustUnderstand, Receiver, Sender, Server, VersionMismatch, or a dotted form like Client.Auth) nor a vendor code (prefixed like sf:INVALID_SESSION_ID, or upper-case like INVALID_SESSION_ID); check it against the faultcode (or SOAP 1.2 Subcode) of a real fault`,
		`gone-rules.yaml:17: gone[11].detail: "SessionTimedOut" names no fault detail element or type the WSDL declares (the WSDL declares these fault details: InvalidFieldFault, InvalidIdFault, InvalidQueryLocatorFault, InvalidSObjectFault, InvalidSessionIdFault and 7 more); it matches only if a detail's text or an attribute value contains it, so check it against a real fault`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// TestInspectShowsGoneRules: inspect -profile lists each gone rule with
// its doubts, beside the fault details the WSDL declares.
func TestInspectShowsGoneRules(t *testing.T) {
	out, err := Inspect(Options{WSDL: filepath.Join("..", "testdata", "wsdl", "salesforce-partner", "partner.wsdl"), Package: "p", Profile: filepath.Join("testdata", "gone-rules.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"      Gone when (any rule; every key of a rule must match):\n        fault-code INVALID_SESSION_ID\n        fault-code sf:INVALID_SESSION_ID\n",
		"        fault-code InvalidIdFault\n          warning: gone[4].fault-code: \"InvalidIdFault\" is the name of a wsdl:fault",
		"        detail exceptionCode\n      Fault details declared: InvalidFieldFault, InvalidIdFault, InvalidQueryLocatorFault, InvalidSObjectFault, InvalidSessionIdFault, LoginFault, MalformedQueryFault, UnexpectedErrorFault, column, exceptionCode, exceptionMessage, row\n      Operations:\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks\n%s\n--- output:\n%s", want, out)
		}
	}
}
