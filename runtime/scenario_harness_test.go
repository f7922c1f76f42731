package runtime_test

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// The scenario harness lives in internal/scenario, shared with the
// end-to-end tests of generated clients (e2e/); these names keep the
// runtime scenarios short.

type harness struct{ *scenario.Harness }

func newHarness(t *testing.T) *harness { return &harness{scenario.New(t)} }

var (
	parallel    = scenario.Parallel
	firstErrors = scenario.FirstErrors
)

func (h *harness) options() []runtime.Option              { return h.Options() }
func (h *harness) err(err error) error                    { return h.Err(err) }
func (h *harness) countEvents(kind runtime.EventKind) int { return h.CountEvents(kind) }
func (h *harness) noSecrets(secrets ...[]string)          { h.Helper(); h.NoSecrets(secrets...) }
func (h *harness) newClient(svc *impl.Service, opts ...runtime.Option) *runtime.Client {
	h.Helper()
	return h.NewClient(svc, opts...)
}
