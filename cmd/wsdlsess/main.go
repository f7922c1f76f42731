// Command wsdlsess generates typed Go SOAP clients from a WSDL and a session
// profile, inspects WSDLs and lists session profiles.
//
//	wsdlsess generate -wsdl PATH -profile NAME|FILE -pkg NAME -out DIR [-allow-remote]
//	wsdlsess inspect  -wsdl PATH [-profile NAME|FILE] [-allow-remote]
//	wsdlsess profiles [NAME | -schema]
//
// Exit status: 0 success, 1 bad input, 2 bad usage.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
