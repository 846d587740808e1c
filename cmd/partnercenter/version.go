package main

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
)

// buildVersion describes this binary from the build information the Go toolchain embeds in
// it, never from a string kept by hand: the module version (the release tag, when it was built
// from one), the commit and its time, and whether the tree had uncommitted changes.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return describeBuild(info)
}

// pseudoVersion matches the versions Go makes up for an untagged commit
// (v0.0.0-20261203082338-352698011264, v1.2.4-0.20261203082338-352698011264).
var pseudoVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+-(?:[0-9A-Za-z.]+\.)?(?:0\.)?\d{14}-[0-9a-f]{12}(?:\+dirty)?$`)

// describeBuild is buildVersion's text for info (nil when the binary has none), lines that fit
// 80 columns: the version (with Go's pseudo-version when no tag names the commit), the commit,
// the toolchain.
func describeBuild(info *debug.BuildInfo) string {
	if info == nil {
		return "(devel): not a release, no Go build information\n"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	var b strings.Builder
	switch v := info.Main.Version; {
	case v == "" || v == "(devel)":
		b.WriteString("(devel): not a release, built from a checkout\n")
	case pseudoVersion.MatchString(v):
		fmt.Fprintf(&b, "(devel): not a release, no tag at this commit\nmodule version %s\n", v)
	default:
		b.WriteString(v + "\n")
	}
	switch rev := settings["vcs.revision"]; {
	case rev != "":
		line := "commit " + rev
		if t := settings["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			line += ", modified"
		}
		b.WriteString(line + "\n")
	case info.Main.Version != "" && info.Main.Version != "(devel)":
		b.WriteString("commit not recorded: the module version names the source\n")
	default:
		b.WriteString("commit unknown: not built in a git clone with -buildvcs=true\n")
	}
	fmt.Fprintf(&b, "%s %s/%s\n", info.GoVersion, settings["GOOS"], settings["GOARCH"])
	return b.String()
}
