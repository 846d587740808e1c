package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// patchedSpec is openapi.yaml with line item numbers from 5: the cassettes that ask for line
// items 0 and 1 violate it (an overlay a team applied, as far as the gate can tell).
func patchedSpec(t *testing.T) string {
	data, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	patched := strings.Replace(string(data), "\n        minimum: 0\n", "\n        minimum: 5\n", 1)
	if patched == string(data) {
		t.Fatal("openapi.yaml no longer has LineItemNumber's minimum: 0; update this test")
	}
	path := filepath.Join(t.TempDir(), "patched.yaml")
	os.WriteFile(path, []byte(patched), 0o644)
	return path
}

// --spec and PARTNER_CENTER_SPEC judge with the file given (the flag first), without a
// rebuild; the embedded spec stays the default. A spec file that cannot be judged with is a
// usage error naming where it was given and what is wrong, before anything is judged.
func TestSpecFlag(t *testing.T) {
	cassettes := "../../contract/testdata/cassettes"
	patched := patchedSpec(t)
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	withEnv := append(base[:2:2], "PARTNER_CENTER_SPEC="+patched)
	if r := runCLI(t, base, "contract", "validate", cassettes); r.code != 0 {
		t.Fatalf("the embedded spec passes the cassettes: %+v", r)
	}
	for name, r := range map[string]ran{
		"--spec":              runCLI(t, base, "contract", "validate", "--spec", patched, cassettes),
		"PARTNER_CENTER_SPEC": runCLI(t, withEnv, "contract", "validate", cassettes),
	} {
		if r.code != 1 || !strings.Contains(r.stdout, "violation: ") || !strings.Contains(r.stdout, "GetLineItemActivationLinks") {
			t.Errorf("%s names the patched spec: want its violations, exit 1, got %+v", name, r)
		}
	}
	if r := runCLI(t, withEnv, "contract", "validate", "--spec", "../../openapi.yaml", cassettes); r.code != 0 {
		t.Errorf("--spec wins over PARTNER_CENTER_SPEC: %+v", r)
	}
	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	os.WriteFile(overlay, []byte("overlay: 1.0.0\nactions: []\n"), 0o644)
	bad := append(base[:2:2], "PARTNER_CENTER_SPEC="+overlay)
	for _, tc := range []struct {
		env           []string
		args          []string
		mention, help string
	}{
		{base, []string{"contract", "validate", "--spec", overlay, cassettes}, `--spec "` + overlay + `": an OpenAPI Overlay`, "partnercenter contract validate"},
		{bad, []string{"contract", "validate", cassettes}, `PARTNER_CENTER_SPEC "` + overlay + `": an OpenAPI Overlay`, "partnercenter contract validate"},
		{base, []string{"contract", "validate", "--spec", overlay + ".missing", cassettes}, "no such file", "partnercenter contract validate"},
		{base, []string{"contract", "proxy", "--target", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "--spec", overlay}, `--spec "` + overlay + `": an OpenAPI Overlay`, "partnercenter contract proxy"},
		{base, []string{"contract", "proxy", "--target", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "--record", filepath.Join(overlay+".d", "rec")}, `the folder "` + overlay + `.d" does not exist, e.g. --record recordings`, "partnercenter contract proxy"},
	} {
		usageRefused(t, runCLI(t, tc.env, tc.args...), tc.args, tc.mention, tc.help)
	}
	// Nothing written: a bad spec is found before the report file is created.
	report := filepath.Join(t.TempDir(), "junit.xml")
	args := []string{"contract", "validate", "--spec", overlay, "--report", "junit=" + report, cassettes}
	usageRefused(t, runCLI(t, base, args...), args, "an OpenAPI Overlay", "partnercenter contract validate")
	if _, err := os.Stat(report); err == nil {
		t.Error("the report file was created for a run refused as bad usage")
	}
	args = []string{"contract", "validate", "--report", "junit=" + filepath.Join(t.TempDir(), "no", "junit.xml"), cassettes}
	usageRefused(t, runCLI(t, base, args...), args, "does not exist", "partnercenter contract validate")
}
