package runtime

import (
	"context"
	"errors"
)

// Service describes one generated client: a WSDL service port and the
// session profile compiled for it.
type Service struct {
	// Name is the WSDL service name, Port the port name.
	Name string
	Port string
	// Endpoint is the port's soap:address location, the default endpoint.
	Endpoint string
	// Profile is the compiled session profile; nil means no session.
	Profile *Profile
}

// Client carries calls of one generated client to one endpoint under one
// session profile. It is safe for concurrent use.
type Client struct {
	svc *Service
}

// Option configures a Client.
type Option func(*config) error

type config struct{}

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct{}

// NewClient builds a client for svc.
//
// SCAFFOLD: the runtime issue replaces this file's bodies.
func NewClient(svc *Service, opts ...Option) (*Client, error) {
	return &Client{svc: svc}, nil
}

// Invoke sends in as the body of op and decodes the response body into out
// (nil for one-way operations).
func (c *Client) Invoke(ctx context.Context, op *Operation, in, out any, opts ...CallOption) error {
	return errors.New("runtime: not implemented")
}

// Exchange returns a client whose calls share one dedicated session until
// Close.
func (c *Client) Exchange() *Client { return c }

// Close releases the client's session (logging out if the profile says so).
func (c *Client) Close(ctx context.Context) error { return nil }

// WithRequestHeaders adds SOAP header elements (generated header types) to
// one call.
func WithRequestHeaders(h ...any) CallOption { return func(*callConfig) {} }

// WithResponseHeader decodes the response SOAP header element that matches
// ptr's XML name into ptr.
func WithResponseHeader(ptr any) CallOption { return func(*callConfig) {} }
