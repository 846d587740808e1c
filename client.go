// Package partnercenter is a typed client for Microsoft Partner Center's commercial-marketplace
// activation APIs: activation links per order line item, order or subscription, and the
// activation of SaaS subscriptions bought from integration sandbox accounts.
//
// It follows the Azure SDK for Go conventions: credentials are azcore.TokenCredential values
// (any azidentity credential, or NewRefreshTokenCredential for App+User), and requests run
// through an azcore pipeline with per-call ids, retries that respect throttling, bearer tokens
// and redacted logging. Every non-2xx answer is an *Error.
//
// The operations have the Azure SDK for Go's call shape: options last (nil for the defaults),
// and a response struct that embeds the model and carries the call's RequestID and
// CorrelationID, the MS-RequestId and MS-CorrelationId that Partner Center support asks for.
package partnercenter

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Version is this module's version, sent in the User-Agent: the release being prepared, as the
// Azure SDK for Go's modules keep theirs (the release workflow fails a tag it does not equal;
// docs/releasing.md). No version has been tagged yet: the first will be v0.1.0.
const Version = "v0.1.0"

// moduleName names this module in the User-Agent: "azsdk-go-partnercenter/<Version> (...)".
const moduleName = "partnercenter"

// DefaultTotalTimeout bounds one call across all its attempts and waits when neither the
// context nor ClientOptions.TotalTimeout sets a bound.
const DefaultTotalTimeout = 2 * time.Minute

// ClientOptions configures a Client. The zero value talks to the global cloud.
type ClientOptions struct {
	// Cloud selects the Partner Center cloud: CloudGlobal (default), CloudUSGovernment,
	// CloudChina. It sets the endpoint and the token scope.
	Cloud Cloud

	// Endpoint overrides the cloud's {baseURL}, e.g. a local sandbox; without /v1. It must be
	// https://, or http:// on a loopback host (the token is never sent in clear text elsewhere).
	Endpoint string

	// ApplicationName is sent as MS-PartnerCenter-Application.
	ApplicationName string

	// Locale is sent as X-Locale; the service defaults to en-US.
	Locale string

	// Retry tunes azcore's retry policy. Defaults: 3 retries (4 tries), 800 ms exponential
	// backoff with jitter, 60 s cap; a Retry-After longer than MaxRetryDelay, or longer than
	// the time the context has left, is not waited for. StatusCodes and ShouldRetry are set by
	// the client (408, 429, 500, 502, 503, 504 and connection errors) unless given.
	Retry policy.RetryOptions

	// TotalTimeout bounds one call across all attempts and waits (default DefaultTotalTimeout;
	// negative: no bound beyond the context's). The context's deadline always wins.
	TotalTimeout time.Duration

	// Transport is the innermost HTTP sender under the pipeline: an *http.Client (a test
	// server's TLS client, a caller's proxy settings, a go-vcr recorder's client) or any
	// policy.Transporter, such as the go-vcr recorder that contract.NewRecorder returns. An
	// *http.Client is used through a copy that never follows a redirect (its CheckRedirect is
	// replaced); another Transporter that follows one itself has its answer refused, but the
	// client cannot stop it from sending the request. Default: a shared client with azcore's
	// default transport settings, without redirects.
	Transport policy.Transporter

	// Telemetry configures the User-Agent, as azcore.ClientOptions.Telemetry does:
	// ApplicationID prefixes it ("contoso-billing azsdk-go-partnercenter/v0.1.0 ..."), Disabled
	// leaves the SDK's part out.
	Telemetry policy.TelemetryOptions

	// Logging configures azcore logging (azcore/log). The Authorization header is always
	// redacted, and a credential inside any other header (a token quoted in WWW-Authenticate)
	// is masked, the challenge's realm and error staying readable; with
	// IncludeBody, credentials inside bodies are masked too, and a body is logged only up to
	// MaxResponseBodyBytes. MS-RequestId and MS-CorrelationId are logged.
	Logging policy.LogOptions

	// MaxResponseBodyBytes bounds how much of a response body the client reads (default
	// DefaultMaxResponseBodyBytes, 4 MiB; negative values are refused). A longer body is an
	// *Error that unwraps to ErrResponseTooLarge, with the body's first 64 KiB in RawBody.
	MaxResponseBodyBytes int64

	// PerCallPolicies run once per call, before the retry policy.
	PerCallPolicies []policy.Policy
	// PerRetryPolicies run for every attempt, after the bearer-token policy.
	PerRetryPolicies []policy.Policy
}

// Client calls the Partner Center activation APIs. It is safe for concurrent use.
type Client struct {
	pl       runtime.Pipeline
	endpoint string
	// server is the endpoint with one trailing slash: the generated request builders resolve
	// "./v1/..." against it, so that an endpoint's own path is kept.
	server string
}

// NewClient returns a client that authenticates with cred: any azcore.TokenCredential, such as
// an azidentity credential (App-only) or NewRefreshTokenCredential (App+User). The scope asked
// for is the cloud's audience + "/.default". cred may be nil only for a loopback endpoint (a
// local server without authentication).
func NewClient(cred azcore.TokenCredential, opts *ClientOptions) (*Client, error) {
	var o ClientOptions
	if opts != nil {
		o = *opts
	}
	cloud := o.Cloud.orDefault()
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = cloud.Endpoint
	}
	loopbackHTTP, err := checkEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if cred == nil && !loopbackHTTP && !isLoopbackURL(endpoint) {
		return nil, errors.New("partnercenter: NewClient: cred is nil: a credential is required for a non-loopback endpoint")
	}

	retry := o.Retry
	if retry.StatusCodes == nil {
		retry.StatusCodes = retryStatusCodes
	}
	if retry.ShouldRetry == nil {
		retry.ShouldRetry = shouldRetry(retry.StatusCodes)
	}
	total := o.TotalTimeout
	if total == 0 {
		total = DefaultTotalTimeout
	}
	maxBody := o.MaxResponseBodyBytes
	switch {
	case maxBody == 0:
		maxBody = DefaultMaxResponseBodyBytes
	case maxBody < 0:
		return nil, fmt.Errorf("partnercenter: ClientOptions.MaxResponseBodyBytes %d: must not be negative (0 means the default, %d)", maxBody, DefaultMaxResponseBodyBytes)
	}

	perRetry := []policy.Policy{}
	if cred != nil {
		perRetry = append(perRetry,
			// Outside the bearer policy, so that its second attempt gets a fresh token.
			retryUnauthorizedOncePolicy{},
			runtime.NewBearerTokenPolicy(cred, []string{cloud.Scope()}, &policy.BearerTokenOptions{
				InsecureAllowCredentialWithHTTP: loopbackHTTP,
			}))
	}
	pl := runtime.NewPipeline(moduleName, Version, runtime.PipelineOptions{
		PerCall:        []policy.Policy{callPolicy(o.ApplicationName, o.Locale, total)},
		PerRetry:       perRetry,
		AllowedHeaders: []string{headerRequestID, headerCorrelationID, "MS-CV", "MS-ServerId", "X-Locale", "MS-PartnerCenter-Application", "Retry-After"},
	}, &policy.ClientOptions{
		Retry:            retry,
		Telemetry:        o.Telemetry,
		Transport:        responseGuard{next: senderWithoutRedirects(o.Transport), maxBody: maxBody, logBodies: o.Logging.IncludeBody},
		Logging:          o.Logging,
		PerCallPolicies:  o.PerCallPolicies,
		PerRetryPolicies: append(slices.Clip(o.PerRetryPolicies), inMemoryBodyPolicy{}, hideFromLogPolicy{}),
	})

	return &Client{pl: pl, endpoint: endpoint, server: strings.TrimSuffix(endpoint, "/") + "/"}, nil
}

// Endpoint is the base URL the client calls, without /v1.
func (c *Client) Endpoint() string { return c.endpoint }

// checkEndpoint accepts https:// URLs, and http:// URLs on loopback hosts only (reported by
// loopbackHTTP). Anything else would send the bearer token in clear text.
func checkEndpoint(endpoint string) (loopbackHTTP bool, err error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false, fmt.Errorf("partnercenter: ClientOptions.Endpoint %q is not an absolute URL", endpoint)
	}
	if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/v1") {
		return false, fmt.Errorf("partnercenter: ClientOptions.Endpoint %q must not end in /v1: the client adds it", endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return false, fmt.Errorf("partnercenter: ClientOptions.Endpoint %q must have no user info, query or fragment", endpoint)
	}
	switch u.Scheme {
	case "https":
		return false, nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return true, nil
		}
		return false, fmt.Errorf("partnercenter: ClientOptions.Endpoint %q: http:// is allowed for loopback hosts only; the bearer token is sent over HTTPS", endpoint)
	default:
		return false, fmt.Errorf("partnercenter: ClientOptions.Endpoint %q: scheme must be https", endpoint)
	}
}

func isLoopbackURL(endpoint string) bool {
	u, err := url.Parse(endpoint)
	return err == nil && isLoopbackHost(u.Hostname())
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
