package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// app holds the global flags and the process's streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	args           []string // the command line, without the program name (for resume hints)

	cloud, endpoint, application string
	verbose                      bool
	maxRetries                   int32         // 0: the client's default (3)
	maxRetryDelay                time.Duration // 0: the client's default (60 s)

	untrusted atomic.Pointer[untrustedCertificate] // the first certificate failure, for the error message
}

// newClient builds the client from the global flags and the environment's credentials.
// perRetry policies (the batch's pacer) run for every attempt.
func (a *app) newClient(perRetry ...policy.Policy) (*partnercenter.Client, error) {
	cloud, ok := partnercenter.CloudByName(a.cloud)
	if !ok {
		return nil, usagef("--cloud %q: want global, usgov or china", a.cloud)
	}
	hc, err := a.httpClient()
	if err != nil {
		return nil, err
	}
	cred, err := a.credential(cloud, hc)
	if err != nil {
		return nil, err
	}
	endpoint, source := a.endpointAndSource()
	opts := &partnercenter.ClientOptions{
		Cloud: cloud, Endpoint: endpoint, ApplicationName: a.application, Transport: hc, PerRetryPolicies: perRetry,
	}
	opts.Retry.MaxRetries = a.maxRetries
	opts.Retry.MaxRetryDelay = a.maxRetryDelay
	if a.verbose {
		a.traceRequests()
		opts.Logging.IncludeBody = false
	}
	client, err := partnercenter.NewClient(cred, opts)
	if err != nil && endpoint != "" && strings.Contains(err.Error(), "ClientOptions.Endpoint") {
		// The client names its option; the operator set a flag or a variable.
		return nil, usageError{errors.New(strings.Replace(trimPrefix(err.Error()), "ClientOptions.Endpoint", source, 1))}
	}
	return client, err
}

// endpointAndSource is the API base URL and where it came from, for error messages.
func (a *app) endpointAndSource() (endpoint, source string) {
	if a.endpoint != "" {
		return a.endpoint, "--endpoint"
	}
	return a.getenv("PARTNER_CENTER_ENDPOINT"), "PARTNER_CENTER_ENDPOINT"
}

func (a *app) httpClient() (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	if file := a.getenv("PARTNER_CENTER_CA_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("PARTNER_CENTER_CA_FILE: %w (a local sandbox writes it at start: see its banner, or --ca-out)", err)
		}
		pool, _ := x509.SystemCertPool()
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("PARTNER_CENTER_CA_FILE %s holds no PEM certificate", file)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	// Never follow a redirect: the Partner Center API and the token endpoints do not redirect,
	// and Go would resend the Authorization header (or the token request's form, with its
	// secrets) to the same host name over http:// or another port.
	return &http.Client{Transport: failFastOnCertificates{next: t, seen: &a.untrusted}, CheckRedirect: refuseRedirects}, nil
}

// refuseRedirects hands back a 3xx as the answer instead of following it: the client reports
// it as an error naming where it pointed.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (a *app) credential(cloud partnercenter.Cloud, hc *http.Client) (azcore.TokenCredential, error) {
	tenant, clientID, authority := a.getenv("AZURE_TENANT_ID"), a.getenv("AZURE_CLIENT_ID"), a.getenv("AZURE_AUTHORITY_HOST")
	rt, rtFile := a.getenv("PARTNER_CENTER_REFRESH_TOKEN"), a.getenv("PARTNER_CENTER_REFRESH_TOKEN_FILE")
	if rtFile != "" {
		data, err := os.ReadFile(rtFile)
		if err != nil {
			return nil, fmt.Errorf("PARTNER_CENTER_REFRESH_TOKEN_FILE: %w", err)
		}
		rt = strings.TrimSpace(string(data))
	}
	if rt != "" {
		if missing := unset(a.getenv, "AZURE_TENANT_ID", "AZURE_CLIENT_ID"); missing != "" {
			return nil, fmt.Errorf("%s not set: App+User credentials need AZURE_TENANT_ID and AZURE_CLIENT_ID besides the refresh token", missing)
		}
		var mu sync.Mutex
		return partnercenter.NewRefreshTokenCredential(tenant, clientID, rt, &partnercenter.RefreshTokenCredentialOptions{
			Cloud: cloud, AuthorityHost: authority, ClientSecret: a.getenv("AZURE_CLIENT_SECRET"), HTTPClient: hc,
			OnRefreshTokenRotated: func(_ context.Context, next string) error {
				if rtFile == "" {
					return nil // nowhere to keep it: the next run starts from the same token
				}
				mu.Lock()
				defer mu.Unlock()
				return os.WriteFile(rtFile, []byte(next+"\n"), 0o600)
			},
		})
	}
	if tenant == "" && clientID == "" && a.getenv("AZURE_CLIENT_SECRET") == "" {
		return nil, fmt.Errorf("no credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (App-only), or PARTNER_CENTER_REFRESH_TOKEN with AZURE_TENANT_ID and AZURE_CLIENT_ID (App+User); see partnercenter --help")
	}
	if missing := unset(a.getenv, "AZURE_TENANT_ID", "AZURE_CLIENT_ID"); missing != "" {
		return nil, fmt.Errorf("%s not set: App-only credentials need AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", missing)
	}
	if a.getenv("AZURE_CLIENT_SECRET") == "" && a.getenv("AZURE_CLIENT_CERTIFICATE_PATH") == "" && a.getenv("AZURE_FEDERATED_TOKEN_FILE") == "" {
		return nil, fmt.Errorf("AZURE_CLIENT_SECRET not set: App-only credentials need it besides AZURE_TENANT_ID and AZURE_CLIENT_ID " +
			"(or AZURE_CLIENT_CERTIFICATE_PATH; for App+User, PARTNER_CENTER_REFRESH_TOKEN)")
	}
	cfg := cloud.AzureCloud()
	if authority != "" {
		cfg.ActiveDirectoryAuthorityHost = authority
	}
	clientOpts := azcore.ClientOptions{Cloud: cfg, Transport: hc}
	noDiscovery := authority != "" // discovery would ask login.microsoftonline.com about it
	if secret := a.getenv("AZURE_CLIENT_SECRET"); secret != "" {
		return azidentity.NewClientSecretCredential(tenant, clientID, secret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: clientOpts, DisableInstanceDiscovery: noDiscovery,
		})
	}
	// Certificates, workload identity files...: azidentity reads its own variables.
	return azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{ClientOptions: clientOpts, DisableInstanceDiscovery: noDiscovery})
}

// unset names the variables of names that are empty, joined with "and" ("" when all are set).
func unset(getenv func(string) string, names ...string) string {
	var missing []string
	for _, n := range names {
		if getenv(n) == "" {
			missing = append(missing, n)
		}
	}
	return strings.Join(missing, " and ")
}

// traceRequests prints azcore's request, response and retry events on stderr. azcore already
// redacts the Authorization header; anything token-like that remains is masked too.
func (a *app) traceRequests() {
	var mu sync.Mutex
	azlog.SetEvents(azlog.EventRequest, azlog.EventResponse, azlog.EventRetryPolicy)
	azlog.SetListener(func(ev azlog.Event, msg string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(a.stderr, "[%s] %s\n", ev, redact.String(msg))
	})
}
