package generator

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// onvifWSDLs are the real ONVIF service WSDLs under testdata/onvif (copied
// unmodified from github.com/onvif/specs, notice kept; see its README).
var onvifWSDLs = []string{
	"ver10/device/wsdl/devicemgmt.wsdl",
	"ver10/media/wsdl/media.wsdl",
	"ver20/ptz/wsdl/ptz.wsdl",
	"ver10/events/wsdl/event.wsdl",
}

// offline is an HTTP client that fails every request, so a test proves
// that nothing was fetched even if AllowRemote were on.
var offline = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
	return nil, errors.New("test is offline: " + r.URL.String())
})}

// TestONVIFOffline: the ONVIF device, media, PTZ and event WSDLs import the
// OASIS WS-Notification, WS-Topics, WS-BaseFaults and WS-Resource files,
// WS-Addressing, xmlmime, XOP and the SOAP 1.2 envelope by URL; all resolve
// to embedded copies, so each generates offline without a warning, and the
// packages compile and vet.
func TestONVIFOffline(t *testing.T) {
	out, err := os.MkdirTemp("testdata", "onvif-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })
	for _, w := range onvifWSDLs {
		name := strings.TrimSuffix(filepath.Base(w), ".wsdl")
		opts := Options{WSDL: filepath.Join("testdata", "onvif", filepath.FromSlash(w)), Package: name, HTTPClient: offline, Strict: true}
		var warned []string
		opts.Warn = func(s string) { warned = append(warned, s) }
		files, err := Generate(opts)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		if len(warned) > 0 {
			t.Errorf("%s: warnings %q", w, warned)
		}
		writePkg(t, filepath.Join(out, name), files)

		text, err := Inspect(opts)
		if err != nil {
			t.Fatalf("inspect %s: %v", w, err)
		}
		_, remotes, _ := strings.Cut(text, "Remote locations:\n")
		for _, line := range strings.Split(strings.TrimSpace(remotes), "\n") {
			if !strings.HasSuffix(line, ": embedded") {
				t.Errorf("%s: remote location %q", w, line)
			}
		}
		if name == "event" {
			for _, u := range []string{"http://docs.oasis-open.org/wsn/bw-2.wsdl", "http://docs.oasis-open.org/wsrf/rw-2.wsdl", "http://docs.oasis-open.org/wsn/b-2.xsd", "http://docs.oasis-open.org/wsn/t-1.xsd", "http://docs.oasis-open.org/wsrf/bf-2.xsd", "http://docs.oasis-open.org/wsrf/r-2.xsd"} {
				if !strings.Contains(remotes, "  "+u+": embedded\n") {
					t.Errorf("event.wsdl: inspect does not list %s as embedded:\n%s", u, remotes)
				}
			}
			for _, op := range []string{"PullMessages(", "Subscribe(", "GetMessages(", "Renew(", "Unsubscribe(", "CreatePullPointSubscription("} {
				if !strings.Contains(text, op) {
					t.Errorf("event.wsdl: no operation %s", op)
				}
			}
		}
	}
	vet(t, out)
}
