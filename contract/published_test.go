package contract_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Cassettes under testdata/cassettes/published/<source>/ are built from material Microsoft and
// its users published (SDK source, docs, SessionRecords, issues). The gate judges them with
// every other cassette; these specs keep them honest.
const publishedDir = ownCassettes + "/published"

var _ = Describe("Published material", func() {
	if !cfg.ownDir {
		return
	}
	cassettes, err := contract.LoadCassettes(publishedDir)
	validator, _ := contract.NewDefault(contract.Options{})

	It("is loaded from "+publishedDir, func() {
		Expect(err).NotTo(HaveOccurred())
		Expect(len(cassettes)).To(BeNumerically(">=", 5))
	})

	It("names its source, in each cassette's header and folder", func() {
		for _, c := range cassettes {
			data, err := os.ReadFile(c.Path)
			Expect(err).NotTo(HaveOccurred())
			header := string(data[:bytes.Index(data, []byte("\nversion:"))])
			Expect(header).To(HavePrefix("# Provenance: published material"), c.Path)
			Expect(header).To(ContainSubstring("Source"), c.Path)
			Expect(filepath.Dir(filepath.Dir(c.Path))).To(Equal(publishedDir), "one folder per source: %s", c.Path)
		}
	})

	It("keeps the BOM bytes the service sends, which the gate reports as drift", func() {
		var seen int
		for _, c := range cassettes {
			for i, in := range c.Interactions {
				if !strings.HasPrefix(in.Response.Body, "\xEF\xBB\xBF") {
					continue
				}
				seen++
				fs := validator.Validate(contract.ExchangeOf(in), c.Path, i)
				Expect(findingsOf(fs)).To(ConsistOf(HavePrefix("drift /response/body: starts with a UTF-8 byte-order mark")), "%s #%d", c.Path, i)
			}
		}
		Expect(seen).To(BeNumerically(">", 0), "no published body starts with a BOM")
	})
})
