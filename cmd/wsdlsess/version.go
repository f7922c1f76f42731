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
	if bi.Main.Path == modulePath && bi.Main.Version != "" {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			if d.Replace != nil {
				return "(devel)"
			}
			return d.Version
		}
	}
	return "(devel)"
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
