package main

import "runtime/debug"

// version is the release version. Releases set it at link time:
//
//	go build -ldflags "-X main.version=v1.2.0" ./app
//
// Otherwise buildVersion describes the build from its VCS stamp.
var version = ""

// buildVersion returns version or, for a development build, "devel" with the
// commit it was built from ("devel 1a2b3c4d5e6f+dirty").
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "+dirty"
	}
	return "devel " + rev
}
