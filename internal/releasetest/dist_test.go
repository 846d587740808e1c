package releasetest

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// hostBinary is the name make dist gives the build for the machine running the tests.
var hostBinary = "partnercenter_" + runtime.GOOS + "_" + runtime.GOARCH + map[bool]string{true: ".exe"}[runtime.GOOS == "windows"]

// TestDistOnAFreshClone runs `make dist` on a fresh clone, as a release does. By default it
// builds the host's platform only (a cross build of the six costs minutes on a small machine);
// RELEASETEST_PLATFORMS=all builds the six of the Makefile, as the release proof does. Each
// build must be listed in dist/checksums.txt, `sha256sum -c` must verify it, and the host's
// build must name the clone's commit; a flipped byte must fail the check.
func TestDistOnAFreshClone(t *testing.T) {
	t.Parallel()
	clone := freshClone(t)
	head := git(t, clone, "rev-parse", "HEAD")
	// GOFLAGS=-buildvcs=false, as on machines that set it: the Makefile's -buildvcs=true must win.
	env := []string{"GOFLAGS=-buildvcs=false"}
	want := []string{hostBinary}
	args := []string{"dist", "PLATFORMS=" + runtime.GOOS + "/" + runtime.GOARCH}
	if os.Getenv("RELEASETEST_PLATFORMS") == "all" {
		args = []string{"dist"}
		want = []string{"partnercenter_darwin_amd64", "partnercenter_darwin_arm64", "partnercenter_linux_amd64",
			"partnercenter_linux_arm64", "partnercenter_windows_amd64.exe", "partnercenter_windows_arm64.exe"}
	}
	t.Logf("make %s", strings.Join(args, " "))
	out := run(t, clone, env, "make", args...)
	dist := filepath.Join(clone, "dist")

	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if wantAll := append(slices.Clone(want), "checksums.txt"); !slices.Equal(got, slices.Sorted(slices.Values(wantAll))) {
		t.Fatalf("dist/ holds %v, want %v\n%s", got, slices.Sorted(slices.Values(wantAll)), out)
	}
	sums := run(t, dist, nil, "sha256sum", "-c", "checksums.txt")
	if strings.Count(sums, ": OK") != len(want) {
		t.Fatalf("sha256sum -c checksums.txt verified %d files, want %d:\n%s", strings.Count(sums, ": OK"), len(want), sums)
	}
	version := run(t, clone, nil, filepath.Join(dist, hostBinary), "--version")
	if !strings.Contains(version, "commit "+head) || strings.Contains(version, "modified") {
		t.Fatalf("the dist build's --version does not name the clone's commit %s (unmodified):\n%s", head, version)
	}
	if status := git(t, clone, "status", "--porcelain"); status != "" {
		t.Fatalf("make dist left the tree modified (dist/ must be ignored):\n%s", status)
	}

	// Control: a changed byte in a build fails the checksums file's verification.
	bin := filepath.Join(dist, hostBinary)
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := tryRun(dist, nil, "sha256sum", "-c", "checksums.txt"); err == nil || !strings.Contains(out, hostBinary+": FAILED") {
		t.Fatalf("control: sha256sum -c must fail on a changed build; got %v\n%s", err, out)
	}
}

// TestDistRefusesABuildWithoutCommit: outside a git clone (a source archive, a worktree) Go
// stamps no commit, and make dist says so and fails rather than ship a build --version cannot
// trace; a PLATFORMS entry that is not GOOS/GOARCH is refused before any build. Either way
// dist/ is left as it was.
func TestDistRefusesABuildWithoutCommit(t *testing.T) {
	t.Parallel()
	clone := freshClone(t)
	if err := os.RemoveAll(filepath.Join(clone, ".git")); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(clone, "dist")
	before := map[string]string{hostBinary: "an earlier build", "checksums.txt": "an earlier checksums file"}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range before {
		if err := os.WriteFile(filepath.Join(dist, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ platforms, want string }{
		{runtime.GOOS + "/" + runtime.GOARCH, hostBinary + " names no commit: run make dist in a git clone"},
		{runtime.GOOS + "/" + runtime.GOARCH + " linux", `dist: PLATFORMS: "linux" is not GOOS/GOARCH`},
	} {
		out, err := tryRun(clone, nil, "make", "dist", "PLATFORMS="+tc.platforms)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("make dist PLATFORMS=%q must fail with %q; got %v\n%s", tc.platforms, tc.want, err, out)
		}
		entries, err := os.ReadDir(dist)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range before {
			if got, _ := os.ReadFile(filepath.Join(dist, name)); string(got) != text || len(entries) != len(before) {
				t.Errorf("make dist PLATFORMS=%q changed dist/ (%d files; %s holds %q)", tc.platforms, len(entries), name, got)
			}
		}
	}
}
