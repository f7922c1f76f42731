package runtime

import "fmt"

// InvalidateError is the server's reason for not ending one session of a
// bulk invalidation (Client.InvalidateSessions): its error code and
// message. It never holds the session id, which is a secret.
type InvalidateError struct {
	Code    string
	Message string
}

func (e *InvalidateError) Error() string {
	switch {
	case e.Code != "" && e.Message != "":
		return fmt.Sprintf("session not invalidated: %s: %s", e.Code, e.Message)
	case e.Code != "":
		return "session not invalidated: " + e.Code
	case e.Message != "":
		return "session not invalidated: " + e.Message
	}
	return "session not invalidated (the server gave no reason)"
}
