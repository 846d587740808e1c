package contract_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/generated"
)

// The gate itself: every interaction of every cassette is one spec, judged by the validator.
var _ = Describe("Recorded exchanges", func() {
	validator, err := contract.NewDefault(cfg.options)
	if err != nil {
		panic(err)
	}
	cassettes, loadErr := contract.LoadCassettes(cfg.dir)
	coverage = contract.NewCoverage(validator.Spec())

	It("loads every cassette under "+cfg.dir, func() {
		Expect(loadErr).NotTo(HaveOccurred(), "an empty directory or an unreadable cassette fails the gate")
	})

	for _, c := range cassettes {
		for i, in := range c.Interactions {
			name := fmt.Sprintf("%s #%d: %s %s -> %d", c.Path, i, in.Request.Method, pathOf(in.Request.URL), in.Response.Code)
			It("conforms to openapi.yaml: "+name, func() {
				ex := contract.ExchangeOf(in)
				findings := validator.Validate(ex, c.Path, i)
				op, _, _ := validator.Route(ex.Method, ex.URL)
				coverage.Record(op, ex)
				var violations []string
				for _, f := range findings {
					if f.Severity == contract.Violation {
						violations = append(violations, f.String())
					} else {
						AddReportEntry("spec drift", f.String(), ReportEntryVisibilityAlways)
					}
				}
				Expect(violations).To(BeEmpty(), "the service and the spec disagree:\n%s", strings.Join(violations, "\n"))
			})
		}
	}

	if !cfg.ownDir {
		return // other teams' recordings: conformance only
	}

	It("exercises every operation's 200 and the documented error bodies", func() {
		for _, want := range []struct {
			op     string
			status int
		}{
			{"GetLineItemActivationLinks", 200}, {"GetOrderActivationLinks", 200}, {"GetSubscriptionActivationLinks", 200},
			{"ActivateSubscription", 200}, {"ActivateSubscription", 400}, {"GetLineItemActivationLinks", 400},
			{"ActivateSubscription", 404}, {"GetSubscriptionActivationLinks", 401}, {"ActivateSubscription", 429},
			{"ActivateSubscription", 500},
		} {
			Expect(coverage.Exercised(want.op, want.status)).To(BeTrue(), "%s %d is not exercised by the project's cassettes", want.op, want.status)
		}
	})

	// Replay: each interaction goes through the generated client over a go-vcr recorder, so
	// the generated code is shown to send the recorded request and to decode the answer.
	for _, c := range cassettes {
		if isPublished(c.Path) {
			// Published material carries what the generated client alone cannot decode (a BOM,
			// empty error bodies): published_test.go replays it through partnercenter.Client.
			continue
		}
		It("replays through the generated client: "+c.Path, func() {
			rec, err := recorder.New(strings.TrimSuffix(c.Path, ".yaml"),
				recorder.WithMode(recorder.ModeReplayOnly),
				recorder.WithSkipRequestLatency(true),
				recorder.WithMatcher(func(r *http.Request, i cassette.Request) bool {
					return r.Method == i.Method && r.URL.String() == i.URL
				}))
			Expect(err).NotTo(HaveOccurred())
			defer rec.Stop()
			for i, in := range c.Interactions {
				op, params, err := validator.Route(in.Request.Method, in.Request.URL)
				Expect(err).NotTo(HaveOccurred(), "interaction %d does not route", i)
				u, _ := url.Parse(in.Request.URL)
				api, err := generated.NewClientWithResponses(u.Scheme+"://"+u.Host, generated.WithHTTPClient(&http.Client{Transport: rec}))
				Expect(err).NotTo(HaveOccurred())
				status, decoded := replay(api, op, params)
				Expect(status).To(Equal(in.Response.Code), "interaction %d", i)
				Expect(decoded).NotTo(BeNil(), "interaction %d: the generated client did not decode the %d body", i, status)
				var want, got any
				Expect(json.Unmarshal([]byte(in.Response.Body), &want)).To(Succeed())
				b, _ := json.Marshal(decoded)
				Expect(json.Unmarshal(b, &got)).To(Succeed())
				Expect(got).To(Equal(want), "interaction %d: decoding lost or changed fields", i)
			}
		})
	}
})

// replay calls op through the generated client and returns the status and the decoded body.
func replay(api *generated.ClientWithResponses, op string, p map[string]string) (int, any) {
	ctx := GinkgoT().Context()
	switch op {
	case "GetLineItemActivationLinks":
		n, err := strconv.Atoi(p["lineItemNumber"])
		Expect(err).NotTo(HaveOccurred())
		r, err := api.GetLineItemActivationLinksWithResponse(ctx, p["customerId"], p["orderId"], int32(n), nil)
		Expect(err).NotTo(HaveOccurred())
		return r.StatusCode(), firstNonNil(r.JSON200, r.JSON400, r.JSON401, r.JSON403, r.JSON404, r.JSON409, r.JSON429, r.JSON500)
	case "GetOrderActivationLinks":
		r, err := api.GetOrderActivationLinksWithResponse(ctx, p["customerId"], p["orderId"], nil)
		Expect(err).NotTo(HaveOccurred())
		return r.StatusCode(), firstNonNil(r.JSON200, r.JSON400, r.JSON401, r.JSON403, r.JSON404, r.JSON409, r.JSON429, r.JSON500)
	case "GetSubscriptionActivationLinks":
		r, err := api.GetSubscriptionActivationLinksWithResponse(ctx, p["customerId"], p["subscriptionId"], nil)
		Expect(err).NotTo(HaveOccurred())
		return r.StatusCode(), firstNonNil(r.JSON200, r.JSON400, r.JSON401, r.JSON403, r.JSON404, r.JSON409, r.JSON429, r.JSON500)
	case "ActivateSubscription":
		r, err := api.ActivateSubscriptionWithResponse(ctx, p["customerId"], p["subscriptionId"], nil, nil)
		Expect(err).NotTo(HaveOccurred())
		return r.StatusCode(), firstNonNil(r.JSON200, r.JSON400, r.JSON401, r.JSON403, r.JSON404, r.JSON409, r.JSON429, r.JSON500)
	}
	Fail("unknown operation " + op)
	return 0, nil
}

func firstNonNil(vs ...any) any {
	for _, v := range vs {
		if v != nil && !isNilPointer(v) {
			return v
		}
	}
	return nil
}

func isNilPointer(v any) bool {
	b, _ := json.Marshal(v)
	return string(b) == "null"
}

// isPublished: the cassette is under published/, built from Microsoft's and its users'
// published material.
func isPublished(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "/published/")
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.EscapedPath()
}
