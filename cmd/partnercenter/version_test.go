package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestDescribeBuild: --version's text for each kind of build information Go embeds. The build
// of a real clone is tested in internal/releasetest (TestVersionFromBuildInfo).
func TestDescribeBuild(t *testing.T) {
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "352698011264e0a6c993547beb827602f3f08c49"},
			{Key: "vcs.time", Value: "2026-12-03T08:23:38Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const commit = "commit 352698011264e0a6c993547beb827602f3f08c49 (2026-12-03T08:23:38Z)"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build information", nil, "(devel): not a release, no Go build information\n"},
		{"tagged release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}, Settings: vcs("false")},
			"v0.3.0\n" + commit + "\ngo1.26.8 linux/arm64\n"},
		{"untagged commit", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261203082338-352698011264"}, Settings: vcs("false")},
			"(devel): not a release, no tag at this commit\nmodule version v0.0.0-20261203082338-352698011264\n" + commit + "\ngo1.26.8 linux/arm64\n"},
		{"commit after a tag, edited", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.1-0.20261203082338-352698011264+dirty"}, Settings: vcs("true")},
			"(devel): not a release, no tag at this commit\nmodule version v0.3.1-0.20261203082338-352698011264+dirty\n" + commit + ", modified\ngo1.26.8 linux/arm64\n"},
		{"tag, edited", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0+dirty"}, Settings: vcs("true")},
			"v0.3.0+dirty\n" + commit + ", modified\ngo1.26.8 linux/arm64\n"},
		{"go run or -buildvcs=false", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("")[:2]},
			"(devel): not a release, built from a checkout\ncommit unknown: not built in a git clone with -buildvcs=true\ngo1.26.8 linux/arm64\n"},
		{"go install module@version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}, Settings: vcs("")[:2]},
			"v0.3.0\ncommit not recorded: the module version names the source\ngo1.26.8 linux/arm64\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describeBuild(tt.info)
			if got != tt.want {
				t.Errorf("describeBuild:\n got %q\nwant %q", got, tt.want)
			}
			for _, line := range strings.Split("partnercenter "+got, "\n") {
				if len(line) > 80 {
					t.Errorf("wider than 80 columns: %q", line)
				}
			}
		})
	}
}

// TestVersionFlag: --version prints the build's description, exit status 0.
func TestVersionFlag(t *testing.T) {
	r := runCLI(t, nil, "--version")
	info, _ := debug.ReadBuildInfo()
	if r.code != 0 || !strings.HasPrefix(r.stdout, "partnercenter ") || !strings.Contains(r.stdout, info.GoVersion) {
		t.Fatalf("--version: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
