package contract_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
	"github.com/partnercenter-go/partnercenter/generated"
)

// The gate itself: one spec that runs the engine over the folder and prints it through the
// same reporters as `partnercenter contract validate`. The engine judges and reports every
// interaction; one Ginkgo spec per interaction would make Ginkgo's tree quadratic in them.
var _ = Describe("The gate", Label("gate"), func() {
	It("judges every recording under "+cfg.dir, func() {
		validator, err := contract.NewDefault(cfg.options)
		Expect(err).NotTo(HaveOccurred())
		out, err := contract.NewReporter(cfg.format, os.Stdout, cfg.root)
		Expect(err).NotTo(HaveOccurred(), "FORMAT=")
		reporters := []contract.Reporter{out}
		if cfg.report != "" && cfg.mode != "probe" { // MODE=probe: REPORT= is the probe's (probe_mode_test.go)
			// REPORT="junit=gate.xml html=gate.html": the command's --report values, relative
			// to the repository (make runs the suite in ./contract).
			specs, err := reportfile.ParseAll(strings.Fields(cfg.report), cfg.root)
			Expect(err).NotTo(HaveOccurred(), "REPORT=")
			files, err := reportfile.Open(specs, htmlreport.RunOf(validator, "make contract", gateCommandLine()))
			Expect(err).NotTo(HaveOccurred(), "REPORT=")
			defer func() { Expect(files.Close()).To(Succeed(), "REPORT=") }()
			reporters = append(reporters, files.Reporters()...)
		}
		fmt.Println() // Ginkgo's progress dots end without a newline
		_, err = validator.Print(GinkgoT().Context(), []string{cfg.dir}, contract.Reporters(reporters...))
		Expect(err).NotTo(HaveOccurred(), "the gate fails: see the findings above")
	})
})

// gateCommandLine is the make command that ran the gate, as its HTML report names it.
func gateCommandLine() []string {
	line := []string{"make", "contract"}
	for _, v := range []string{"CASSETTES", "STRICT", "MODE", "FORMAT", "REPORT"} {
		if val := os.Getenv(v); val != "" {
			line = append(line, v+"="+val)
		}
	}
	return line
}

// The project's own cassettes must exercise what the client handles; judged by a run of its
// own, so that the spec holds in any order (ginkgo --randomize-all).
var _ = Describe("The project's cassettes", func() {
	if !cfg.ownDir {
		return
	}
	It("exercise every operation's 200 and the documented error bodies", func() {
		validator, err := contract.NewDefault(cfg.options)
		Expect(err).NotTo(HaveOccurred())
		report, err := validator.Check(ownCassettes)
		Expect(err).NotTo(HaveOccurred())
		for _, want := range []struct {
			op     string
			status int
		}{
			{"GetLineItemActivationLinks", 200}, {"GetOrderActivationLinks", 200}, {"GetSubscriptionActivationLinks", 200},
			{"ActivateSubscription", 200}, {"ActivateSubscription", 400}, {"GetLineItemActivationLinks", 400},
			{"ActivateSubscription", 404}, {"GetSubscriptionActivationLinks", 401}, {"ActivateSubscription", 429},
			{"ActivateSubscription", 500},
		} {
			Expect(report.Coverage.Exercised(want.op, want.status)).To(BeTrue(), "%s %d is not exercised by the project's cassettes", want.op, want.status)
		}
	})

	// Replay: each interaction goes through the generated client over a go-vcr recorder, so
	// the generated code is shown to send the recorded request and to decode the answer.
	It("replay through the generated client", func() {
		validator, err := contract.NewDefault(cfg.options)
		Expect(err).NotTo(HaveOccurred())
		for _, c := range loadOwnCassettes() {
			if isPublished(c.path) {
				// Published material carries what the generated client alone cannot decode (a
				// BOM, empty error bodies): published_test.go replays it through partnercenter.Client.
				continue
			}
			replayCassette(validator, c)
		}
	})
})

func replayCassette(validator *contract.Validator, c ownCassette) {
	rec, err := recorder.New(strings.TrimSuffix(c.path, ".yaml"),
		recorder.WithMode(recorder.ModeReplayOnly),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(func(r *http.Request, i cassette.Request) bool {
			return r.Method == i.Method && r.URL.String() == i.URL
		}))
	Expect(err).NotTo(HaveOccurred())
	defer rec.Stop()
	for i, in := range c.interactions {
		op, params, err := validator.Route(in.Request.Method, in.Request.URL)
		Expect(err).NotTo(HaveOccurred(), "%s interaction %d does not route", c.path, i)
		u, _ := url.Parse(in.Request.URL)
		api, err := generated.NewClientWithResponses(u.Scheme+"://"+u.Host, generated.WithHTTPClient(&http.Client{Transport: rec}))
		Expect(err).NotTo(HaveOccurred())
		status, decoded := replay(api, op, params)
		Expect(status).To(Equal(in.Response.Code), "%s interaction %d", c.path, i)
		Expect(decoded).NotTo(BeNil(), "%s interaction %d: the generated client did not decode the %d body", c.path, i, status)
		var want, got any
		Expect(json.Unmarshal([]byte(in.Response.Body), &want)).To(Succeed())
		b, _ := json.Marshal(decoded)
		Expect(json.Unmarshal(b, &got)).To(Succeed())
		Expect(got).To(Equal(want), "%s interaction %d: decoding lost or changed fields", c.path, i)
	}
}

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
