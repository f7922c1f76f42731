package generator

import "fmt"

// guard runs f and turns a panic in it into an error, so a generator bug
// on an input nobody foresaw ends the run with one message instead of a
// stack trace, and (in emit's goroutines) never takes the process down
// with it. what names the step for the message.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error %s: %v (please report it with the WSDL and profile)", what, r)
		}
	}()
	return f()
}
