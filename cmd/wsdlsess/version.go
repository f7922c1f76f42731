package main

import (
	"runtime/debug"
)

const modulePath = "github.com/wsdlsess/wsdlsess"

// version is the wsdlsess module version this binary was built from: the
// tagged or pseudo-version when it was installed as a dependency (go tool,
// go install …@v), "(devel)" when built inside a checkout.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	return moduleVersion(bi)
}

func moduleVersion(bi *debug.BuildInfo) string {
	m := &bi.Main
	if m.Path != modulePath {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				m = d
			}
		}
	}
	switch {
	case m == nil || m.Version == "":
		return "(devel)"
	case m.Replace != nil && m.Replace.Version == "":
		// Replaced by a directory: the required version says nothing
		// about the code that was built.
		return "(devel)"
	case m.Replace != nil:
		return m.Replace.Version
	}
	return m.Version
}

// versionLine is what `wsdlsess version` prints: the module version, and
// for a build from a checkout the VCS revision it was built at.
func versionLine() string {
	v := version()
	line := "wsdlsess " + v
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return line
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		line += " (" + rev + modified + ")"
	}
	return line + " " + bi.GoVersion
}
