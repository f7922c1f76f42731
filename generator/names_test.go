package generator

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"sObject":             "SObject",
		"get_user-name":       "GetUserName",
		"PersonAccount__x":    "PersonAccountX",
		"_-Bapi_-SalesChange": "BapiSalesChange",
		"123abc":              "X123abc",
		"type":                "Type",
		"func":                "Func",
		"größe":               "Größe",
		"日本":                  "X日本",
		"":                    "X",
		"...":                 "X",
		"Account Query Page":  "AccountQueryPage",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameSet(t *testing.T) {
	ns := nameSet{"Client": true}
	if got := ns.take("Client", "ClientElement"); got != "ClientElement" {
		t.Errorf("got %s", got)
	}
	if got := ns.take("Client", "ClientElement"); got != "ClientElement2" {
		t.Errorf("got %s", got)
	}
	if got := ns.take("Item"); got != "Item" {
		t.Errorf("got %s", got)
	}
}

func TestNsTag(t *testing.T) {
	for in, want := range map[string]string{
		"urn:sobject.partner.soap.sforce.com": "Sobject",
		"http://example.com/v2/orders":        "Orders",
		"http://example.com/":                 "Example",
		"urn:ex:other":                        "Other",
		"":                                    "Ns",
	} {
		if got := nsTag(in); got != want {
			t.Errorf("nsTag(%q) = %q, want %q", in, got, want)
		}
	}
}
