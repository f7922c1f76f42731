package roundtrip_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// vSphere declares only RuntimeFault on CurrentTime but answers with an
// element of a derived type (NoPermissionFault, NotAuthenticatedFault).
// The generated fault list admits those, so the detail arrives typed
// instead of only as DetailXML.
func TestDerivedFaultDetailIsTyped(t *testing.T) {
	login := readSample(t, "login-response.xml")
	notAuth := readSample(t, "not-authenticated-fault.xml")
	noPerm := strings.NewReplacer("NotAuthenticatedFault", "NoPermissionFault", `"NotAuthenticated"`, `"NoPermission"`, "The session is not authenticated.", "Permission to perform this operation was denied.").Replace(notAuth)
	for _, tc := range []struct {
		name, fault string
		check       func(t *testing.T, d any)
	}{
		{"NoPermission", noPerm, func(t *testing.T, d any) {
			f, ok := d.(*vim.NoPermissionFault)
			if !ok || f.Object == nil || f.Object.Value != "group-d1" || f.PrivilegeId == nil || *f.PrivilegeId != "System.View" {
				t.Fatalf("detail = %#v, want *NoPermissionFault{Object: group-d1, PrivilegeId: System.View}", d)
			}
		}},
		// The session profile logs in again once, then the caller gets
		// the second fault, typed.
		{"NotAuthenticated", notAuth, func(t *testing.T, d any) {
			f, ok := d.(*vim.NotAuthenticatedFault)
			if !ok || f.Object == nil || f.Object.Type != "Folder" || f.PrivilegeId == nil || *f.PrivilegeId != "System.View" {
				t.Fatalf("detail = %#v, want *NotAuthenticatedFault{Object: Folder group-d1, PrivilegeId: System.View}", d)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				w.Header().Set("Content-Type", "text/xml; charset=utf-8")
				if strings.Contains(string(b), "Login") {
					http.SetCookie(w, &http.Cookie{Name: "vmware_soap_session", Value: "52b5f4f1", Path: "/"})
					io.WriteString(w, login)
					return
				}
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, tc.fault)
			}))
			defer srv.Close()
			c, err := vim.NewClient(runtime.WithEndpoint(srv.URL), runtime.WithCredentials(runtime.Password("u", "p")))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CurrentTime(context.Background(), &vim.CurrentTime{This: &vim.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}})
			var f *runtime.Fault
			if !errors.As(err, &f) {
				t.Fatalf("error %v is not a *runtime.Fault", err)
			}
			tc.check(t, f.Detail)
		})
	}
}

func readSample(t *testing.T, name string) string {
	t.Helper()
	return readFile(t, "../../../testdata/wsdl/vsphere/samples/"+name)
}
