package contract_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
)

// Live mode (MODE=live) runs the four operations against the real service, or any
// PARTNER_CENTER_ENDPOINT such as a local sandbox, and judges every exchange. MODE=record
// does the same and saves the exchanges, redacted, as a cassette under RECORD_DIR.
//
// Environment:
//
//	PARTNER_CENTER_CUSTOMER_ID, PARTNER_CENTER_ORDER_ID, PARTNER_CENTER_SUBSCRIPTION_ID  required
//	PARTNER_CENTER_LINE_ITEM         line item number (default 0)
//	PARTNER_CENTER_CLOUD             global (default), usgov or china
//	PARTNER_CENTER_ENDPOINT          overrides the cloud's API base URL (without /v1)
//	PARTNER_CENTER_CA_FILE           PEM file of extra CAs to trust (a local sandbox's)
//	App-only:  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (azidentity's variables;
//	           AZURE_AUTHORITY_HOST overrides the cloud's authority)
//	App+User:  PARTNER_CENTER_REFRESH_TOKEN with AZURE_TENANT_ID and AZURE_CLIENT_ID
//	           (AZURE_CLIENT_SECRET optional; AZURE_AUTHORITY_HOST as above)
//	RECORD_DIR where MODE=record writes (default testdata/cassettes/recorded)
type liveEnv struct {
	customer, order, subscription string
	lineItem                      int
	cloud                         partnercenter.Cloud
	endpoint, caFile, recordDir   string
	tenant, client, secret, rt    string
	authority                     string
}

func readLiveEnv() (liveEnv, []string) {
	e := liveEnv{
		customer: os.Getenv("PARTNER_CENTER_CUSTOMER_ID"), order: os.Getenv("PARTNER_CENTER_ORDER_ID"),
		subscription: os.Getenv("PARTNER_CENTER_SUBSCRIPTION_ID"), endpoint: os.Getenv("PARTNER_CENTER_ENDPOINT"),
		caFile: os.Getenv("PARTNER_CENTER_CA_FILE"), recordDir: os.Getenv("RECORD_DIR"),
		tenant: os.Getenv("AZURE_TENANT_ID"), client: os.Getenv("AZURE_CLIENT_ID"), secret: os.Getenv("AZURE_CLIENT_SECRET"),
		rt: os.Getenv("PARTNER_CENTER_REFRESH_TOKEN"), authority: os.Getenv("AZURE_AUTHORITY_HOST"),
	}
	var missing []string
	for name, v := range map[string]string{"PARTNER_CENTER_CUSTOMER_ID": e.customer, "PARTNER_CENTER_ORDER_ID": e.order,
		"PARTNER_CENTER_SUBSCRIPTION_ID": e.subscription, "AZURE_TENANT_ID": e.tenant, "AZURE_CLIENT_ID": e.client} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if e.secret == "" && e.rt == "" {
		missing = append(missing, "AZURE_CLIENT_SECRET (App-only) or PARTNER_CENTER_REFRESH_TOKEN (App+User)")
	}
	var err error
	if s := os.Getenv("PARTNER_CENTER_LINE_ITEM"); s != "" {
		if e.lineItem, err = strconv.Atoi(s); err != nil {
			missing = append(missing, "PARTNER_CENTER_LINE_ITEM (a number; got "+strconv.Quote(s)+")")
		}
	}
	e.cloud = partnercenter.CloudGlobal
	if name := os.Getenv("PARTNER_CENTER_CLOUD"); name != "" {
		var ok bool
		if e.cloud, ok = partnercenter.CloudByName(name); !ok {
			missing = append(missing, "PARTNER_CENTER_CLOUD (global, usgov or china; got "+strconv.Quote(name)+")")
		}
	}
	if e.recordDir == "" {
		e.recordDir = filepath.Join(ownCassettes, "recorded")
	}
	sort.Strings(missing)
	return e, missing
}

// capture is the innermost transport of live mode: it keeps every exchange for the gate.
type capture struct {
	next      http.RoundTripper
	mu        sync.Mutex
	exchanges []contract.Exchange
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	// Read the body once and send a clone with a fresh reader: GetBody may hand back the
	// same stream (azcore's does), so reading through it would drain the real request.
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil || strings.Contains(req.URL.Path, "/oauth2/") {
		return resp, err
	}
	ex, err := contract.FromRequestResponse(req, body, resp)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.exchanges = append(c.exchanges, ex)
	c.mu.Unlock()
	return resp, nil
}

func (c *capture) take() []contract.Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.exchanges
	c.exchanges = nil
	return out
}

var _ = Describe("Live exchanges", Ordered, Label("live"), func() {
	var (
		env       liveEnv
		client    *partnercenter.Client
		captured  *capture
		rec       *contract.Recorder
		validator *contract.Validator
	)

	BeforeAll(func() {
		if cfg.mode != "live" && cfg.mode != "record" {
			Skip("live mode is off: MODE=live or MODE=record runs these specs")
		}
		var missing []string
		env, missing = readLiveEnv()
		if len(missing) > 0 {
			// Printed too: ginkgo's succinct output does not show skip reasons.
			msg := "live specs skipped: live mode needs these environment variables: " + strings.Join(missing, ", ")
			fmt.Println(msg)
			Skip(msg)
		}
		var err error
		validator, err = contract.NewDefault(cfg.options)
		Expect(err).NotTo(HaveOccurred())

		base := http.DefaultTransport.(*http.Transport).Clone()
		if env.caFile != "" {
			pem, err := os.ReadFile(env.caFile)
			Expect(err).NotTo(HaveOccurred(), "PARTNER_CENTER_CA_FILE")
			pool, _ := x509.SystemCertPool()
			if pool == nil {
				pool = x509.NewCertPool()
			}
			Expect(pool.AppendCertsFromPEM(pem)).To(BeTrue(), "PARTNER_CENTER_CA_FILE holds no PEM certificate")
			base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		captured = &capture{next: base}
		// The recorder is the client's Transport as it is (a policy.Transporter).
		var transport policy.Transporter = &http.Client{Transport: captured}
		if cfg.mode == "record" {
			name := filepath.Join(env.recordDir, "live-"+time.Now().UTC().Format("20060102T150405Z"))
			rec, err = contract.NewRecorder(name, recorder.ModeRecordOnly, captured)
			Expect(err).NotTo(HaveOccurred())
			transport = rec
			DeferCleanup(func() {
				Expect(rec.Stop()).To(Succeed())
				fmt.Printf("recorded %s.yaml\n", name)
			})
		}

		cred := credential(env, &http.Client{Transport: base})
		client, err = partnercenter.NewClient(cred, &partnercenter.ClientOptions{
			Cloud: env.cloud, Endpoint: env.endpoint, Transport: transport, ApplicationName: "partnercenter-go contract gate",
		})
		Expect(err).NotTo(HaveOccurred())
	})

	judge := func(call func(context.Context) error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := call(ctx)
		var pcErr *partnercenter.Error
		if err != nil && !errors.As(err, &pcErr) {
			Fail("the call did not reach the service: " + err.Error())
		}
		exchanges := captured.take()
		Expect(exchanges).NotTo(BeEmpty())
		var violations []string
		for i, ex := range exchanges {
			for _, f := range validator.Validate(ex, "live", i) {
				if f.Severity == contract.Violation {
					violations = append(violations, f.String())
				} else {
					AddReportEntry("spec drift", f.String(), ReportEntryVisibilityAlways)
				}
			}
		}
		Expect(violations).To(BeEmpty(), "the service and the spec disagree:\n%s", strings.Join(violations, "\n"))
	}

	It("GetLineItemActivationLinks conforms", func() {
		judge(func(ctx context.Context) error {
			_, err := client.GetLineItemActivationLinks(ctx, env.customer, env.order, env.lineItem, nil)
			return err
		})
	})
	It("GetOrderActivationLinks conforms", func() {
		judge(func(ctx context.Context) error {
			_, err := client.GetOrderActivationLinks(ctx, env.customer, env.order, nil)
			return err
		})
	})
	It("GetSubscriptionActivationLinks conforms", func() {
		judge(func(ctx context.Context) error {
			_, err := client.GetSubscriptionActivationLinks(ctx, env.customer, env.subscription, nil)
			return err
		})
	})
	It("ActivateSubscription conforms (a second activation answers 400 800041, also documented)", func() {
		judge(func(ctx context.Context) error {
			_, err := client.ActivateSubscription(ctx, env.customer, env.subscription, nil)
			return err
		})
	})
})

func credential(env liveEnv, hc *http.Client) azcore.TokenCredential {
	if env.rt != "" {
		cred, err := partnercenter.NewRefreshTokenCredential(env.tenant, env.client, env.rt, &partnercenter.RefreshTokenCredentialOptions{
			Cloud: env.cloud, AuthorityHost: env.authority, ClientSecret: env.secret, HTTPClient: hc,
			OnRefreshTokenRotated: func(context.Context, string) error { return nil }, // a gate run does not persist it
		})
		Expect(err).NotTo(HaveOccurred())
		return cred
	}
	cloudCfg := env.cloud.AzureCloud()
	if env.authority != "" {
		cloudCfg.ActiveDirectoryAuthorityHost = env.authority
	}
	cred, err := azidentity.NewClientSecretCredential(env.tenant, env.client, env.secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: cloudCfg, Transport: hc},
		// Instance discovery asks login.microsoftonline.com about the authority: useless, and
		// off this machine, for an overridden authority such as a local sandbox's.
		DisableInstanceDiscovery: env.authority != "",
	})
	Expect(err).NotTo(HaveOccurred())
	return cred
}
