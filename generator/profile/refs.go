package profile

import "fmt"

// The binder checks every operation and header element a profile names
// against the WSDL. These accessors list them with the key path that names
// each, so it can report problems with p.Errorf(ref.Key, ...) without
// knowing the profile's layout.

// OperationRole says what a profile uses an operation for.
type OperationRole string

const (
	RoleLogin      OperationRole = "login"
	RoleLogout     OperationRole = "logout"
	RoleInvalidate OperationRole = "invalidate"
)

// OperationRef is a WSDL operation named by the profile.
type OperationRef struct {
	Role OperationRole
	// Name is the WSDL operation name as written.
	Name string
	// Key is the key path naming it ("login.operation.name").
	Key string
}

// Operations lists the operations the profile names, in the order login,
// logout, invalidate.
func (p *Profile) Operations() []OperationRef {
	var out []OperationRef
	if p.Login != nil && p.Login.Operation != nil {
		out = append(out, OperationRef{RoleLogin, p.Login.Operation.Name, "login.operation.name"})
	}
	if p.Logout != nil && p.Logout.Operation != "" {
		out = append(out, OperationRef{RoleLogout, p.Logout.Operation, "logout.operation"})
	}
	if p.Invalidate != nil {
		out = append(out, OperationRef{RoleInvalidate, p.Invalidate.Operation, "invalidate.operation"})
	}
	return out
}

// HeaderUse says how a profile uses a SOAP header element.
type HeaderUse string

const (
	// UseCredential: a request header carrying a credential (login.headers).
	UseCredential HeaderUse = "credential"
	// UseTokenSource: a response header the token is read from (tokens).
	UseTokenSource HeaderUse = "token-source"
	// UseTokenTarget: a request header the token is written to (send).
	UseTokenTarget HeaderUse = "token-target"
	// UseConstant: a request header with fixed text (constant).
	UseConstant HeaderUse = "constant"
	// UseLifetime: a login response header holding the session's lifetime
	// in seconds (login.operation.lifetime-header).
	UseLifetime HeaderUse = "lifetime"
)

// Response reports whether the header is read from responses (the others
// are written to requests).
func (u HeaderUse) Response() bool { return u == UseTokenSource || u == UseLifetime }

// HeaderRef is a SOAP header element named by the profile.
type HeaderRef struct {
	Use HeaderUse
	// Namespace is "" when the profile leaves it to the WSDL's declared
	// header of that name.
	Namespace string
	Element   string
	Path      Path
	// Key is the key path of the entry ("send[0].header",
	// "constant[1]"); its children are Key+".namespace", ".element",
	// ".path".
	Key string
	// Index is the entry's position in its list (login.headers, tokens,
	// send, constant), so a consumer can keep what it learns about the
	// entry next to it without rebuilding Key.
	Index int
}

// Headers lists the SOAP header elements the profile names, in file order
// per use: credentials, the lifetime header, token sources, token targets,
// constants.
func (p *Profile) Headers() []HeaderRef {
	var out []HeaderRef
	if p.Login != nil {
		for i, h := range p.Login.Headers {
			out = append(out, HeaderRef{UseCredential, h.Namespace, h.Element, h.Path, fmt.Sprintf("login.headers[%d]", i), i})
		}
	}
	if p.Login != nil && p.Login.Operation != nil {
		if h := p.Login.Operation.LifetimeHeader; h != nil {
			out = append(out, HeaderRef{UseLifetime, h.Namespace, h.Element, h.Path, "login.operation.lifetime-header", 0})
		}
	}
	for i, t := range p.Tokens {
		if h := t.Header; h != nil {
			out = append(out, HeaderRef{UseTokenSource, h.Namespace, h.Element, h.Path, fmt.Sprintf("tokens[%d].header", i), i})
		}
	}
	for i, s := range p.Send {
		if h := s.Header; h != nil {
			out = append(out, HeaderRef{UseTokenTarget, h.Namespace, h.Element, h.Path, fmt.Sprintf("send[%d].header", i), i})
		}
	}
	for i, c := range p.Constant {
		out = append(out, HeaderRef{UseConstant, c.Namespace, c.Element, c.Path, fmt.Sprintf("constant[%d]", i), i})
	}
	return out
}
