package contract_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/contract"
)

// ownCassette is one of the project's cassettes as go-vcr itself loads it: the replay and
// mutant specs work on go-vcr's own types, independently of the gate's loader.
type ownCassette struct {
	path         string
	interactions []*cassette.Interaction
}

func loadOwnCassettes() []ownCassette {
	out, err := readOwnCassettes()
	Expect(err).NotTo(HaveOccurred())
	Expect(out).NotTo(BeEmpty())
	return out
}

func loadOwnCassettesB(b *testing.B) []ownCassette {
	out, err := readOwnCassettes()
	if err != nil || len(out) == 0 {
		b.Fatalf("the project's cassettes: %v", err)
	}
	return out
}

func readOwnCassettes() ([]ownCassette, error) { return readCassettesUnder(ownCassettes) }

func readCassettesUnder(dir string) ([]ownCassette, error) {
	var out []ownCassette
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
		if err != nil {
			return err
		}
		out = append(out, ownCassette{path, c.Interactions})
		return nil
	})
	return out, err
}

func exchangeOf(in *cassette.Interaction) contract.Exchange {
	return contract.Exchange{
		Method: in.Request.Method, URL: in.Request.URL, RequestHeader: in.Request.Headers, RequestBody: []byte(in.Request.Body),
		Status: in.Response.Code, ResponseHeader: in.Response.Headers, ResponseBody: []byte(in.Response.Body),
	}
}
