package generator

// names holds every Go identifier of the generated package, decided once
// by assignNames and only read afterwards (emit, Inspect). They are kept
// out of the planner's values, as protogen keeps a model it builds once
// and then only reads: the types, fields, operations and ports are the
// same values before and after naming (TestStagesLeaveEarlierValuesAlone), so no
// emit step can depend on when a name was written.
type names struct {
	types  map[*goType]string
	ifaces map[*goType]string // a polymorphic holder's interface
	enums  map[*enumConst]string
	fields map[*goField]string
	// opVars are the impl.Operation descriptor variables.
	opVars map[*operation]string
	ports  map[*port]portNames
	// faultSets are the distinct lists of declared faults, in the order
	// they are written; faultSetOf is the one each operation uses (none
	// for an operation without declared faults).
	faultSets  []*faultSet
	faultSetOf map[*operation]*faultSet
	// derivedVars name the shared list of a declared fault's derived
	// details (derivedFaults.of), for the faults that have one.
	derivedVars map[*goType]string
	// headerOpts are the typed per-call header options.
	headerOpts []headerOpt
	// sessions are the names of each session's declarations.
	sessions map[*session]sessionNames
	// order is every type in emit order: by Go name.
	order []*goType
}

// portNames are the Go names of one port's client: its type, its
// constructor, its impl.Service variable and its methods.
type portNames struct {
	client, ctor, goVar string
	methods             map[*operation]string
}

// faultSet is one distinct list of declared faults, emitted once; the
// elements of types derived from theirs follow from the declared faults'
// shared lists (names.derivedVars).
type faultSet struct {
	name     string
	declared []*goType
	users    []string // the operations that declare these faults, in WSDL order
}

// typ is the Go name of type t.
func (n *names) typ(t *goType) string { return n.types[t] }

// iface is the interface name of polymorphic holder t.
func (n *names) iface(t *goType) string { return n.ifaces[t] }

// enum is the Go name of enumeration constant e.
func (n *names) enum(e *enumConst) string { return n.enums[e] }

// field is the Go name of struct field f.
func (n *names) field(f *goField) string { return n.fields[f] }

// opVar is the impl.Operation variable of op.
func (n *names) opVar(op *operation) string { return n.opVars[op] }

// port is the names of port pt's client.
func (n *names) port(pt *port) portNames { return n.ports[pt] }

// faultSet is the fault list op uses, nil when it declares no fault.
func (n *names) faultSet(op *operation) *faultSet { return n.faultSetOf[op] }

// derivedVar is the list variable of fault element ft's derived details,
// "" when it has none.
func (n *names) derivedVar(ft *goType) string { return n.derivedVars[ft] }
