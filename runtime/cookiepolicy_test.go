package runtime

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A server that, like a load balancer in front of an application server,
// sets an affinity cookie the profile never names beside the session
// cookie on the opening call. CookiesAll (the default) keeps and returns
// both; CookiesNamed keeps only the session cookie the profile's Tokens
// name, on later calls and in the Store alike.
func TestCookiePolicy(t *testing.T) {
	for _, c := range []struct {
		policy impl.CookiePolicy
		want   string
	}{
		{impl.CookiesAll, "JSESSIONID,LB_AFFINITY"},
		{impl.CookiesNamed, "JSESSIONID"},
	} {
		t.Run(map[impl.CookiePolicy]string{impl.CookiesAll: "all", impl.CookiesNamed: "named"}[c.policy], func(t *testing.T) {
			var mu sync.Mutex
			var sent []string
			srv := server(t, func(w http.ResponseWriter, q *soapReq) {
				var names []string
				for _, ck := range q.r.Cookies() {
					names = append(names, ck.Name)
				}
				sort.Strings(names)
				mu.Lock()
				sent = append(sent, strings.Join(names, ","))
				mu.Unlock()
				if _, err := q.r.Cookie("JSESSIONID"); err != nil {
					if _, _, ok := q.r.BasicAuth(); !ok {
						w.WriteHeader(401)
						return
					}
					http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "S1", Path: "/"})
					http.SetCookie(w, &http.Cookie{Name: "LB_AFFINITY", Value: "node-7", Path: "/"})
				}
				writeSOAP(w, 200, "", echoBody(q.body.find([]string{"Text"}).Text, "u"))
			})
			p := ckTestProfile(impl.ScopeShared)
			p.Cookies = c.policy
			store := NewMemoryStore()
			cl := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc", Profile: p},
				WithCredentials(Password("carol", "pw")), WithStore(store))
			for i := range 2 {
				if _, err := echo(cl, t.Context(), "x"); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			mu.Lock()
			got := append([]string(nil), sent...)
			mu.Unlock()
			if len(got) != 2 || got[0] != "" || got[1] != c.want {
				t.Errorf("cookies sent per request = %q, want [\"\" %q]", got, c.want)
			}
			var stored []string
			for _, st := range storedStates(t, store) {
				for _, ck := range st.Cookies {
					stored = append(stored, ck.Name)
				}
			}
			sort.Strings(stored)
			if strings.Join(stored, ",") != c.want {
				t.Errorf("cookies in the Store = %q, want %q", stored, c.want)
			}
		})
	}
}

// storedStates returns every session state in a memory store.
func storedStates(t *testing.T, s Store) []SessionState {
	t.Helper()
	m := s.(*memoryStore)
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []SessionState
	for _, e := range m.entries {
		out = append(out, clone(&e.s))
	}
	return out
}
