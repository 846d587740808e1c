package releasetest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// goreleaserConfig is what the test reads of .goreleaser.yaml.
type goreleaserConfig struct {
	Builds []struct {
		Main   string   `yaml:"main"`
		Flags  []string `yaml:"flags"`
		Goos   []string `yaml:"goos"`
		Goarch []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

// TestGoreleaserMatchesMakeDist: a tagged release (GoReleaser) and `make dist` ship the same
// platforms under the same names, with the same checksums file, and both build with
// -buildvcs=true, so that --version and the action's download agree with either. (The
// configuration's schema is checked by `make goreleaser-check`, which needs GoReleaser.)
func TestGoreleaserMatchesMakeDist(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^PLATFORMS\s*\?=\s*(.+)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("Makefile: no PLATFORMS ?= line")
	}
	makePlatforms := strings.Fields(string(m[1]))
	slices.Sort(makePlatforms)

	if len(c.Builds) != 1 || c.Builds[0].Main != "./cmd/partnercenter" {
		t.Fatalf(".goreleaser.yaml: want one build of ./cmd/partnercenter, got %+v", c.Builds)
	}
	var platforms []string
	for _, os := range c.Builds[0].Goos {
		for _, arch := range c.Builds[0].Goarch {
			platforms = append(platforms, os+"/"+arch)
		}
	}
	slices.Sort(platforms)
	if !slices.Equal(platforms, makePlatforms) || len(platforms) != 6 {
		t.Errorf("GoReleaser builds %v, make dist %v: want the same six", platforms, makePlatforms)
	}
	if !slices.Contains(c.Builds[0].Flags, "-buildvcs=true") {
		t.Errorf(".goreleaser.yaml: the build's flags %v lack -buildvcs=true", c.Builds[0].Flags)
	}
	if len(c.Archives) != 1 || !slices.Equal(c.Archives[0].Formats, []string{"binary"}) || c.Archives[0].NameTemplate != "{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}" {
		t.Errorf(".goreleaser.yaml: want raw binaries named as make dist names them (partnercenter_<os>_<arch>), got %+v", c.Archives)
	}
	if c.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf(".goreleaser.yaml: the checksums file is %q, want checksums.txt (what make dist and the action use)", c.Checksum.NameTemplate)
	}
}
