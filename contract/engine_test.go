package contract_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

// panicky is a Format whose loader panics: the engine must turn that into a violation naming
// the file and go on with the others.
type panicky struct{}

func (panicky) Claims(name string) bool { return strings.HasSuffix(name, ".boom") }
func (panicky) Load(io.Reader) ([]contract.Interaction, error) {
	panic("a dependency's bug")
}

func TestEnginePanicIsAFindingNamingTheFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.boom"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.yaml"), []byte(gateprobes.Cassette(nil, nil)), 0o644)
	v, err := contract.NewDefault(contract.Options{Formats: []contract.Format{panicky{}, contract.Cassettes}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Check(dir)
	if err == nil || r.Files != 2 || r.Judged != 1 || len(r.Findings) != 1 {
		t.Fatalf("err %v, report %+v", err, r.Summary)
	}
	if f := r.Findings[0]; f.Cassette != filepath.Join(dir, "a.boom") || !strings.Contains(f.Reason, "internal error") || strings.Contains(f.String(), "dependency") {
		t.Errorf("finding %s", f)
	}
	// Control: without the panicking file the run passes.
	os.Remove(filepath.Join(dir, "a.boom"))
	if _, err := v.Check(dir); err != nil {
		t.Errorf("control: %v", err)
	}
}

// Run streams files in path order, whatever the number of workers, and stops on a cancelled
// context with its error.
func TestEngineOrderAndCancel(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for _, name := range []string{"a/1.yaml", "a/2.yml", "b.yaml", "c/d/e.YAML", "z.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(gateprobes.Cassette(nil, nil)), 0o644)
		want = append(want, name)
	}
	for _, workers := range []int{1, 2, 5} {
		v, _ := contract.NewDefault(contract.Options{Workers: workers})
		var got []string
		sum, err := v.Run(context.Background(), []string{dir}, func(fv *contract.FileVerdict) { got = append(got, fv.Rel) })
		if err != nil || sum.Err() != nil || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("workers %d: %v %v, order %v", workers, err, sum.Err(), got)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v, _ := contract.NewDefault(contract.Options{})
	if _, err := v.Run(ctx, []string{dir}, nil); err != context.Canceled {
		t.Errorf("cancelled run: %v", err)
	}
}
