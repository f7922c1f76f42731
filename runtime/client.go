package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// label names the service in errors: service/port, or the port (binding)
// alone when the WSDL names no service.
func serviceLabel(s *impl.Service) string {
	if s.Name == "" {
		return s.Port
	}
	return s.Name + "/" + s.Port
}

// Client carries the calls of one generated client, which wraps it, to one
// endpoint under one session profile. It is safe for concurrent use.
// Programs get one from a generated constructor.
//
// A Client shares its sessions between all its calls (and, through its
// Store, with other clients) when the profile's scope is
// impl.ScopeShared. Exchange returns a view of the same client with a
// session of its own (impl.ScopeExchange) or the shared one
// (impl.ScopeShared).
type Client struct {
	e *engine
	// pool is where this view's calls take their session: the client-wide
	// pool, an exchange's own, or nil (impl.ScopeExchange root: a session
	// per call; impl.ScopeCall: none).
	pool *pool
	root *Client

	mu     sync.Mutex
	closed bool
	// users counts the root and its open shared-scope exchanges: a shared
	// session is logged out only when its last user closes.
	users int
}

// Option configures a Client.
type Option func(*config) error

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	headers  []any
	response []any
}

// NewClient builds a client for svc, a generated package's port
// descriptor; generated constructors call it. It does not log in: the
// first call that needs a session does.
func NewClient(svc *impl.Service, opts ...Option) (*Client, error) {
	if svc == nil {
		return nil, errors.New("runtime.NewClient: nil *Service")
	}
	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	e, err := newEngine(svc, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{e: e, users: 1}
	c.root = c
	switch {
	case e.lender != nil:
		// Calls take the lender's session: one login serves both clients.
		c.pool = e.lender.pool
	case e.sessions() && e.p.Scope == impl.ScopeShared:
		c.pool = newPool(e, e.key, e.p.Rotate, e.poolSize, false)
	}
	return c, nil
}

// sessions reports whether the profile keeps sessions at all.
func (e *engine) sessions() bool {
	return e.p.Login.Kind != impl.LoginNone && e.p.Scope != impl.ScopeCall
}

// Invoke sends in as the body of op and decodes the response body into out
// (nil for one-way operations). A SOAP fault is returned as *Fault; a
// session the server no longer knows is replaced and the call resent once
// when the profile allows relogin, else the error wraps ErrSessionLost.
// Generated methods call it with their operation's descriptor.
func (c *Client) Invoke(ctx context.Context, op *impl.Operation, in, out any, opts ...CallOption) error {
	if op == nil {
		return errors.New("runtime: Invoke with a nil *Operation")
	}
	if c.isClosed() {
		return fmt.Errorf("runtime: %s: client is closed", op.Name)
	}
	// User code the call runs without getting an error back from it (an
	// event, a log line, a Store write that only warns) may panic: the
	// call reports that as its error.
	ctx, pan := withPanics(ctx)
	err := c.invoke(ctx, op, in, out, opts)
	if perr := pan.err(); perr != nil && !errors.Is(err, perr) {
		if err == nil {
			return fmt.Errorf("runtime: %s: %w", op.Name, perr)
		}
		return errors.Join(err, fmt.Errorf("runtime: %s: %w", op.Name, perr))
	}
	return err
}

func (c *Client) invoke(ctx context.Context, op *impl.Operation, in, out any, opts []CallOption) error {
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	e := c.e
	if !e.sessions() {
		build := func() *exchange { return e.newExchange(op, in, out, &cc) }
		if e.p.Login.Kind == impl.LoginNone {
			rep, err := e.roundTrip(ctx, build())
			return finishCall(rep, err, &cc)
		}
		r, err := e.sendCredentialed(ctx, build)
		if err != nil {
			return err
		}
		return finishCall(r.rep, r.err, &cc)
	}
	p := c.pool
	if p == nil {
		// impl.ScopeExchange outside an Exchange: a session of its own for this
		// one call, ended (logged out if the profile says so) after it.
		p = newPool(e, "", false, 1, e.p.Relogin == impl.ReloginNever)
		defer func() {
			// The logout must run even if the call's ctx ended, but not
			// hang on a server that does not answer.
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.loginTimeout)
			defer cancel()
			_ = p.end(lctx)
		}()
	}
	sl, err := p.take(ctx)
	if err != nil {
		return fmt.Errorf("runtime: %s: waiting for a free session: %w", op.Name, err)
	}
	defer p.give(sl)
	return e.callOn(ctx, sl, op, in, out, &cc)
}

func (e *engine) newExchange(op *impl.Operation, in, out any, cc *callConfig) *exchange {
	x := &exchange{url: e.endpoint, op: op, out: out, keepHeaders: e.keepHeaders || len(cc.response) > 0}
	x.env.version = op.SOAP
	x.env.body = in
	x.env.typed = cc.headers
	x.env.profile = e.constants(nil)
	return x
}

func (c *Client) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Exchange returns a client whose calls share one dedicated session until
// Close (impl.ScopeExchange: concurrent calls started before the session exists
// still open exactly one). Under impl.ScopeShared the exchange uses the
// client-wide session and counts as one of its users; under impl.ScopeCall it is
// the same as the client.
func (c *Client) Exchange() *Client {
	e := c.e
	ex := &Client{e: e, root: c.root}
	if c.isClosed() || c.root.isClosed() {
		// An exchange of a closed client is closed: it never opens a
		// session.
		ex.closed = true
		return ex
	}
	switch {
	case !e.sessions():
	case e.p.Scope == impl.ScopeExchange:
		ex.pool = newPool(e, "", e.p.Rotate, 1, e.p.Relogin == impl.ReloginNever)
	default:
		ex.pool = c.root.pool
	}
	if ex.pool == c.root.pool && ex.pool != nil {
		c.root.mu.Lock()
		c.root.users++
		c.root.mu.Unlock()
	}
	return ex
}

// Close ends the client (or exchange). An exchange's own session is logged
// out if the profile says impl.LogoutOnClose; the client-wide session only when
// its last user (the client and every shared exchange) has closed. With the
// default impl.LogoutNever nothing is sent: the server expires idle sessions.
// A client-wide session shared through a Store given with WithStore is never
// logged out on Close either: other clients or processes may still use it.
// Closing twice is a no-op.
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	ctx, pan := withPanics(ctx)
	err := c.close(ctx)
	if perr := pan.err(); perr != nil && !errors.Is(err, perr) {
		err = errors.Join(err, fmt.Errorf("runtime: close: %w", perr))
	}
	return err
}

func (c *Client) close(ctx context.Context) error {
	e := c.e
	if c.pool != nil && c.pool != c.root.pool {
		return c.pool.end(ctx) // an exchange's own session
	}
	if c != c.root && c.pool == nil {
		return nil // an exchange of a client without shared sessions
	}
	r := c.root
	r.mu.Lock()
	r.users--
	last := r.users == 0
	r.mu.Unlock()
	if !last {
		return nil
	}
	var err error
	if r.pool != nil && e.lender == nil {
		// A borrowed session is the lender's to end.
		err = r.pool.end(ctx)
	}
	if e.ownTransport != nil {
		e.ownTransport.CloseIdleConnections()
	}
	return err
}

// WithRequestHeaders adds SOAP header elements (values of generated header
// types, marshalled with encoding/xml) to one call.
func WithRequestHeaders(h ...any) CallOption {
	return func(cc *callConfig) { cc.headers = append(cc.headers, h...) }
}

// WithResponseHeader decodes the response SOAP header element that matches
// ptr's XML name (its XMLName tag, else its type name) into ptr. A missing
// header leaves ptr untouched.
func WithResponseHeader(ptr any) CallOption {
	return func(cc *callConfig) { cc.response = append(cc.response, ptr) }
}
