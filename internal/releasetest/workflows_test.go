package releasetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Steps []struct {
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestWorkflowsUseTheActionAsDeclared: every workflow parses; each step that uses this
// repository's action (uses: ./) passes only inputs action.yml declares, all the required
// ones, and paths that exist; the release workflow runs on v* tags and runs GoReleaser.
func TestWorkflowsUseTheActionAsDeclared(t *testing.T) {
	t.Parallel()
	action := readAction(t)
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("workflows: %v %v", files, err)
	}
	usesAction := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for name, job := range w.Jobs {
			for _, step := range job.Steps {
				if step.Uses != "./" {
					continue
				}
				usesAction++
				for in := range step.With {
					if _, ok := action.Inputs[in]; !ok {
						t.Errorf("%s: job %s passes %q, which action.yml does not declare", file, name, in)
					}
				}
				for in, def := range action.Inputs {
					if _, ok := step.With[in]; def.Required && !ok {
						t.Errorf("%s: job %s lacks the required input %q", file, name, in)
					}
				}
				for _, p := range strings.Fields(step.With["paths"]) {
					if _, err := os.Stat(filepath.Join(root, p)); err != nil {
						t.Errorf("%s: job %s judges %s: %v", file, name, p, err)
					}
				}
			}
		}
		if filepath.Base(file) == "release.yml" {
			push, _ := w.On["push"].(map[string]any)
			if tags, _ := push["tags"].([]any); len(tags) != 1 || tags[0] != "v*" || !strings.Contains(string(data), "goreleaser/goreleaser-action") {
				t.Errorf("%s: want a workflow on push of tags v* that runs GoReleaser; on: %v", file, w.On)
			}
		}
	}
	if usesAction == 0 {
		t.Error("no workflow uses the action (uses: ./) on the project's recordings")
	}
}
