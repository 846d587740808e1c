package contract_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
)

// Probe mode (MODE=probe) runs `partnercenter contract probe`'s cases against
// PARTNER_CENTER_ENDPOINT, one It per case, with the live mode's environment (live_test.go).
// The activation scenario runs with PROBE_WRITES=1 only: it activates
// PARTNER_CENTER_SUBSCRIPTION_ID. PROBE_RATE caps requests a second (default 5, 0: none);
// PROBE_SEED repeats a run. REPORT= gets the probe's JUnit report (a testcase per case).
var _ = Describe("Probe", Ordered, Label("probe"), func() {
	if cfg.mode != "probe" {
		return
	}
	env, missing := readLiveEnv()
	if len(missing) > 0 {
		It("needs the live environment", func() {
			msg := "probe specs skipped: probe mode needs these environment variables: " + strings.Join(missing, ", ")
			fmt.Println(msg)
			Skip(msg)
		})
		return
	}
	writes := os.Getenv("PROBE_WRITES") == "1"
	seed := uint64(time.Now().UnixNano()) >> 1
	if s := os.Getenv("PROBE_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		if err != nil {
			panic("PROBE_SEED " + strconv.Quote(s) + ": want a number")
		}
	}
	rate := 5.0
	if s := os.Getenv("PROBE_RATE"); s != "" {
		var err error
		if rate, err = strconv.ParseFloat(s, 64); err != nil || rate < 0 {
			panic("PROBE_RATE " + strconv.Quote(s) + ": want a number of requests a second, 0 for no limit")
		}
	}
	validator, err := contract.NewDefault(contract.Options{})
	if err != nil {
		panic(err)
	}
	ids := map[string]string{"customerId": env.customer, "orderId": env.order, "lineItemNumber": strconv.Itoa(env.lineItem), "subscriptionId": env.subscription}
	plan, err := probe.Generate(validator, probe.Config{IDs: ids, Seed: seed})
	if err != nil {
		panic("probe mode: " + err.Error())
	}
	var res *probe.Result
	ran := map[string]probe.CaseRun{}

	BeforeAll(func() {
		hc := &http.Client{}
		if env.caFile != "" {
			pem, err := os.ReadFile(env.caFile)
			Expect(err).NotTo(HaveOccurred(), "PARTNER_CENTER_CA_FILE")
			pool, _ := x509.SystemCertPool()
			if pool == nil {
				pool = x509.NewCertPool()
			}
			Expect(pool.AppendCertsFromPEM(pem)).To(BeTrue(), "PARTNER_CENTER_CA_FILE holds no PEM certificate")
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
			hc.Transport = t
		}
		cred := credential(env, hc)
		endpoint := env.endpoint
		if endpoint == "" {
			endpoint = env.cloud.Endpoint
		}
		for _, line := range probe.PlanLines(plan.Count(writes), writes, len(plan.Scenario)) {
			fmt.Println(line)
		}
		fmt.Printf("seed %d (repeat the run with PROBE_SEED=%d)\n", seed, seed)
		res, err = probe.Run(context.Background(), validator, plan, probe.Options{
			Endpoint: endpoint, HTTPClient: hc, Rate: rate, AllowWrites: writes, CAFile: env.caFile != "",
			Token: func(ctx context.Context) (string, error) {
				tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{env.cloud.Scope()}})
				return tok.Token, err
			},
		})
		Expect(err).NotTo(HaveOccurred())
		for _, r := range res.Ran {
			ran[r.Case.Name] = r
		}
	})
	AfterAll(func() {
		if res == nil {
			return
		}
		Expect(probe.WriteText(os.Stdout, res)).To(Succeed())
		if cfg.report != "" {
			// REPORT="junit=FILE html=FILE", as for the gate (contract/reportfile).
			specs, err := reportfile.ParseAll(strings.Fields(cfg.report), cfg.root)
			Expect(err).NotTo(HaveOccurred(), "REPORT=")
			files, err := reportfile.CreateAll(specs)
			Expect(err).NotTo(HaveOccurred(), "REPORT=")
			defer reportfile.CloseAll(files)
			Expect(reportfile.Write(files, func(w io.Writer) error { return probe.WriteJUnit(w, res) },
				func() *htmlreport.Model {
					return htmlreport.ProbeModel(res, validator, htmlreport.RunOf(validator, "make contract MODE=probe", gateCommandLine()))
				})).To(Succeed(), "REPORT=")
			Expect(reportfile.CloseAll(files)).To(Succeed(), "REPORT=")
		}
	})

	its := func(cases []probe.Case, needWrites bool) {
		for _, c := range cases {
			It(c.Name, func() {
				if needWrites && !writes {
					Skip("the activation scenario needs PROBE_WRITES=1")
				}
				r, ok := ran[c.Name]
				if !ok {
					Skip("not sent (see the skipped cases in the summary)")
				}
				var failures []string
				for _, f := range r.Findings {
					failures = append(failures, fmt.Sprintf("%s: %s\n  %s", f.Check, f.Reason, f.Curl))
				}
				Expect(failures).To(BeEmpty(), "%s (%s)", c.Why, c.Kind)
			})
		}
	}
	its(plan.Cases, false)
	its(plan.Scenario, true)
})
