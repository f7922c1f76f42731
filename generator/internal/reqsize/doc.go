// Package reqsize measures the bytes a request puts on the wire: the
// committed golden clients (wsdlsess's runtime) against gowsdl v0.5.0's
// SOAP client sending the same call in gowsdl's generated types, both
// POSTing to one httptest server. It has no code of its own.
//
//	go test ./generator/internal/reqsize -run '^$' -bench RequestSize
package reqsize
