package contract_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Markers planted by the mutations: a finding that printed one would leak payload values.
const (
	markerNumber = 987654321
	markerString = "S3CR3T-PAYLOAD"
	markerPath   = "S3CR3T-PATH"
)

// mutation breaks one interaction in one way; ok is false when it does not apply.
type mutation struct {
	name  string
	apply func(in *cassette.Interaction) (ok bool)
}

var mutations = []mutation{
	{"change a field's type", func(in *cassette.Interaction) bool {
		return mutateBody(in, func(obj map[string]any) bool {
			for _, k := range sortedKeys(obj) {
				if k == "code" {
					continue // a number or a string: changing one to the other is still valid
				}
				switch obj[k].(type) {
				case string:
					obj[k] = markerNumber
					return true
				case float64:
					obj[k] = markerString
					return true
				}
			}
			return false
		})
	}},
	{"drop a required field", func(in *cassette.Interaction) bool {
		return mutateBody(in, func(obj map[string]any) bool {
			for _, k := range []string{"status", "subscriptionId", "totalCount", "items", "code", "description", "statusCode", "message"} {
				if _, ok := obj[k]; ok {
					delete(obj, k)
					return true
				}
			}
			return false
		})
	}},
	{"answer with an undocumented status", func(in *cassette.Interaction) bool {
		in.Response.Code, in.Response.Status = 418, "418 I'm a teapot"
		return true
	}},
	{"change the media type", func(in *cassette.Interaction) bool {
		in.Response.Headers.Set("Content-Type", "text/html")
		return true
	}},
	{"use a method the path does not have", func(in *cassette.Interaction) bool {
		in.Request.Method = map[string]string{"GET": "DELETE", "POST": "GET"}[in.Request.Method]
		return in.Request.Method != ""
	}},
	{"break a path parameter's shape", func(in *cassette.Interaction) bool {
		u, err := url.Parse(in.Request.URL)
		if err != nil {
			return false
		}
		segs := strings.Split(u.Path, "/") // "", "v1", "customers", "{customerId}", ...
		if len(segs) < 4 || segs[2] != "customers" {
			return false
		}
		segs[3] = markerPath
		u.Path = strings.Join(segs, "/")
		in.Request.URL = u.String()
		return true
	}},
}

func mutateBody(in *cassette.Interaction, f func(map[string]any) bool) bool {
	var obj map[string]any
	if json.Unmarshal([]byte(in.Response.Body), &obj) != nil || !f(obj) {
		return false
	}
	b, _ := json.Marshal(obj)
	in.Response.Body = string(b)
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func cloneInteraction(in *cassette.Interaction) *cassette.Interaction {
	c := *in
	c.Request.Headers = in.Request.Headers.Clone()
	c.Response.Headers = in.Response.Headers.Clone()
	return &c
}

// A gate that passes everything is worthless: every mutant of the project's valid cassettes
// must be caught, and no finding may print a planted value.
var _ = Describe("Negative controls", func() {
	if !cfg.ownDir {
		return
	}
	It("catches every mutant of the project's cassettes", func() {
		validator, err := contract.NewDefault(cfg.options)
		Expect(err).NotTo(HaveOccurred())
		cassettes := loadOwnCassettes()

		total, caught := 0, 0
		perMutation := map[string][2]int{}
		var missed, leaks []string
		for _, c := range cassettes {
			for i, in := range c.interactions {
				// Drift (a BOM, an empty error body: published material) is allowed; a violation is not.
				Expect(hasViolation(validator.Validate(exchangeOf(in), c.path, i))).To(BeFalse(), "the original must conform")
				for _, m := range mutations {
					mutant := cloneInteraction(in)
					if !m.apply(mutant) {
						continue
					}
					total++
					findings := validator.Validate(exchangeOf(mutant), c.path, i)
					n := perMutation[m.name]
					n[0]++
					if hasViolation(findings) {
						caught++
						n[1]++
					} else {
						missed = append(missed, fmt.Sprintf("%s #%d: %s", c.path, i, m.name))
					}
					perMutation[m.name] = n
					for _, f := range findings {
						s := f.String()
						if strings.Contains(s, fmt.Sprint(markerNumber)) || strings.Contains(s, markerString) || strings.Contains(s, markerPath) {
							leaks = append(leaks, s)
						}
					}
				}
			}
		}
		var lines []string
		for _, m := range mutations {
			n := perMutation[m.name]
			lines = append(lines, fmt.Sprintf("  %-38s %d/%d", m.name, n[1], n[0]))
			Expect(n[0]).To(BeNumerically(">", 0), "mutation %q applied to no interaction", m.name)
		}
		summary := fmt.Sprintf("mutants caught: %d/%d (%.0f%%)\n%s", caught, total, 100*float64(caught)/float64(total), strings.Join(lines, "\n"))
		AddReportEntry("negative controls", summary, ReportEntryVisibilityAlways)
		fmt.Println(summary)
		Expect(missed).To(BeEmpty(), "mutants the gate let through")
		Expect(leaks).To(BeEmpty(), "findings that print payload values")
		Expect(caught).To(Equal(total))
	})
})

func hasViolation(fs []contract.Finding) bool {
	for _, f := range fs {
		if f.Severity == contract.Violation {
			return true
		}
	}
	return false
}
