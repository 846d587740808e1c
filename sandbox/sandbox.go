// Package sandbox is a local, stateful Partner Center: the four activation operations of
// openapi.yaml (implemented on the server interface generated from it), an Entra token
// endpoint, MS-RequestId idempotency, spec validation of every request, and deterministic
// fault injection. A test starts one, and a client of it, in three lines:
//
//	sb := sandbox.Start(t, sandbox.Options{})
//	client, err := partnercenter.NewClient(sb.MustCredential(t), sb.ClientOptions())
//	if err != nil { t.Fatal(err) }
package sandbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	gen "github.com/partnercenter-go/partnercenter/generated"
)

// Options configures a sandbox. The zero value serves the default seed over HTTPS on a free
// loopback port, with no faults.
type Options struct {
	// Addr is the listen address; it must be a loopback address (default "127.0.0.1:0").
	Addr string
	// Seed is the initial state (default DefaultSeed()).
	Seed *Seed
	// PlainHTTP serves http:// instead of https://.
	PlainHTTP bool
	// Faults to inject.
	Faults Faults
	// TokenLifetime of issued access tokens (default one hour).
	TokenLifetime time.Duration
	// IdempotencyWindow and IdempotencyRecords bound the MS-RequestId store: a request id is
	// answered from it for at least IdempotencyWindow (default 24 hours), unless
	// IdempotencyRecords (default 100,000) newer ids came since. At most twice
	// IdempotencyRecords answers are held, so a long-running sandbox does not grow.
	IdempotencyWindow  time.Duration
	IdempotencyRecords int
	// PlainJSON answers plain JSON: no UTF-8 byte-order mark and no charset parameter, which
	// the real service sends (quirks.go). Off by default: the sandbox plays the service.
	PlainJSON bool
	// RequireMFA refuses App+User tokens whose sign-in was not MFA-verified (a refresh token
	// of the seed without `mfa: true`) with 401 code 900421, as Partner Center does from
	// 2026-04-01 (https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa).
	// App-only tokens are not affected.
	RequireMFA bool
	// ReadTimeout bounds reading a whole request, body included (default 30 s), so that slow
	// bodies sent to the unauthenticated token endpoint cannot hold connections open;
	// WriteTimeout bounds a request from its headers to the end of its answer (default 60 s
	// plus Faults.Latency); IdleTimeout closes kept-alive connections left unused (default 2 min).
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// AdminToken protects the admin endpoint (GET /sandbox/status, see Status); default: a
	// random token, printed by the banner.
	AdminToken string
}

// maxHeaderBytes bounds a request's headers: ids and tokens are short; a megabyte of
// MS-RequestId is an attack, answered 431 before any handler runs.
const maxHeaderBytes = 64 << 10

// Sandbox is a running local Partner Center.
type Sandbox struct {
	// URL is the base URL, without /v1: the client's Endpoint, and the authority host of
	// the token endpoint ({URL}/{tenant}/oauth2/v2.0/token).
	URL string
	// CertPool trusts the sandbox's self-signed certificate (nil with PlainHTTP).
	CertPool *x509.CertPool
	// CertPEM is that certificate, PEM-encoded (for PARTNER_CENTER_CA_FILE).
	CertPEM []byte
	// State is the live state: activation counts and statuses.
	State *State

	seed       *Seed
	api        *apiHandler
	server     *http.Server
	stats      *stats
	adminToken string
	started    time.Time
	done       chan error
}

// New starts a sandbox and returns once it accepts connections.
func New(opts Options) (*Sandbox, error) {
	if opts.Seed == nil {
		opts.Seed = DefaultSeed()
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = time.Hour
	}
	if opts.IdempotencyWindow <= 0 {
		opts.IdempotencyWindow = 24 * time.Hour
	}
	if opts.IdempotencyRecords <= 0 {
		opts.IdempotencyRecords = 100_000
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = 30 * time.Second
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = time.Minute + opts.Faults.Latency
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 2 * time.Minute
	}
	if opts.AdminToken == "" {
		opts.AdminToken = randomToken("sbx-admin.")
	}
	if err := checkLoopback(opts.Addr); err != nil {
		return nil, err
	}
	if err := opts.Seed.validate(); err != nil {
		return nil, fmt.Errorf("sandbox: seed: %w", err)
	}
	validator, err := contract.NewDefault(contract.Options{})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", opts.Addr, err)
	}
	sb := &Sandbox{State: newState(opts.Seed), seed: opts.Seed, stats: &stats{}, adminToken: opts.AdminToken, started: time.Now(), done: make(chan error, 1)}
	scheme := "https"
	if opts.PlainHTTP {
		scheme = "http"
	}
	sb.URL = scheme + "://" + ln.Addr().String()

	toks := newTokens(opts.Seed, opts.TokenLifetime, func() string { return sb.URL })
	toks.requireMFA = opts.RequireMFA
	handler := &apiHandler{
		next:      gen.Handler(gen.NewStrictHandler(&api{st: sb.State}, nil)),
		tokens:    toks,
		validator: validator,
		faults:    opts.Faults,
		stats:     sb.stats,
		idem:      newIdempotency(opts.IdempotencyWindow, opts.IdempotencyRecords),
		scenarios: newScenarios(opts.Seed),
		attempts:  newRecent[int](opts.IdempotencyWindow, opts.IdempotencyRecords),
		buckets:   map[string]*bucket{},
	}
	sb.api = handler
	// The API lives under /v1/; everything else is the Entra stand-in.
	entra := http.NewServeMux()
	entra.HandleFunc("POST /{tenant}/oauth2/v2.0/token", toks.token)
	entra.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", toks.openIDConfiguration)
	mux := http.NewServeMux()
	mux.HandleFunc(statusPath, sb.serveStatus)
	mux.Handle("/", entra)
	sb.server = &http.Server{Handler: apiFirst(newQuirks(handler, opts.PlainJSON), mux), ErrorLog: discardLog, MaxHeaderBytes: maxHeaderBytes,
		ReadHeaderTimeout: min(10*time.Second, opts.ReadTimeout), ReadTimeout: opts.ReadTimeout,
		WriteTimeout: opts.WriteTimeout, IdleTimeout: opts.IdleTimeout}

	if !opts.PlainHTTP {
		cert, pemBytes, err := selfSignedCert()
		if err != nil {
			ln.Close()
			return nil, err
		}
		sb.CertPEM = pemBytes
		sb.CertPool = x509.NewCertPool()
		sb.CertPool.AppendCertsFromPEM(pemBytes)
		sb.server.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, sb.server.TLSConfig)
	}
	go func() { sb.done <- sb.server.Serve(ln) }()
	return sb, nil
}

// apiFirst sends /v1/ requests to api as they came and the rest to mux. ServeMux would clean
// an API path first, answering /v1/customers/C/orders//activationlinks (an empty order id)
// with a 307 to another path, which the service never does: the API judges the path itself.
func apiFirst(api, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			api.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// Close stops the sandbox and its connections.
func (sb *Sandbox) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := sb.server.Shutdown(ctx)
	if err != nil {
		sb.server.Close()
	}
	if serveErr := <-sb.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

// Stats counts the requests the sandbox served and the faults it injected.
func (sb *Sandbox) Stats() Stats {
	s := sb.stats
	return Stats{Requests: s.requests.Load(), Throttled: s.throttled.Load(), Errors500: s.errors500.Load(), Errors503: s.errors503.Load(),
		Resets: s.resets.Load(), Replayed: s.replayed.Load(), Invalid: s.invalid.Load(), Unauthorized: s.unauthorized.Load(),
		Reused: s.reused.Load(), Stored: int64(sb.api.idem.len())}
}

// HTTPClient trusts the sandbox's certificate. Its transport is new: close its idle
// connections (CloseIdleConnections) when done.
func (sb *Sandbox) HTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if sb.CertPool != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: sb.CertPool, MinVersion: tls.VersionTLS12}
	}
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

// TenantID is the first integration sandbox partner's tenant ("" when the seed has none).
func (sb *Sandbox) TenantID() string {
	p, _ := sb.sandboxPartner()
	return p.TenantID
}

// sandboxPartner is the first integration sandbox partner with an app: the one the banner
// and Credential speak for.
func (sb *Sandbox) sandboxPartner() (PartnerSeed, bool) {
	for _, p := range sb.seed.Partners {
		if p.IntegrationSandbox && len(p.Apps) > 0 {
			return p, true
		}
	}
	return PartnerSeed{}, false
}

// Credential is an azidentity client-secret credential for the first integration sandbox
// partner's first app, pointed at the sandbox's token endpoint: the App-only path that real
// code uses, unchanged. It fails on a plain-HTTP sandbox (azidentity refuses an http://
// authority) and when the seed has no integration sandbox partner with an app.
func (sb *Sandbox) Credential() (azcore.TokenCredential, error) {
	p, ok := sb.sandboxPartner()
	if !ok {
		return nil, errors.New("sandbox: Credential: the seed has no integration sandbox partner with an app")
	}
	if sb.CertPool == nil {
		return nil, fmt.Errorf("sandbox: Credential: %s is plain HTTP, and azidentity refuses an http:// authority: "+
			"start the sandbox with HTTPS, or get tokens with a form post to its token endpoint", sb.URL)
	}
	cred, err := sb.ClientSecretCredential(p.TenantID, p.Apps[0].ClientID, p.Apps[0].ClientSecret)
	if err != nil {
		return nil, fmt.Errorf("sandbox: Credential: %w", err)
	}
	return cred, nil
}

// ClientSecretCredential returns an azidentity credential for any app of the seed. Instance
// discovery is disabled: it would ask login.microsoftonline.com about the sandbox's host.
func (sb *Sandbox) ClientSecretCredential(tenantID, clientID, secret string) (*azidentity.ClientSecretCredential, error) {
	return azidentity.NewClientSecretCredential(tenantID, clientID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: sb.URL + "/"}, Transport: sb.HTTPClient()},
		DisableInstanceDiscovery: true,
	})
}

// RefreshTokenCredential returns this module's App+User credential for a refresh token of the
// seed, pointed at the sandbox's token endpoint.
func (sb *Sandbox) RefreshTokenCredential(tenantID, clientID, refreshToken string, onRotated func(context.Context, string) error) (*partnercenter.RefreshTokenCredential, error) {
	return partnercenter.NewRefreshTokenCredential(tenantID, clientID, refreshToken, &partnercenter.RefreshTokenCredentialOptions{
		AuthorityHost: sb.URL + "/", HTTPClient: sb.HTTPClient(), OnRefreshTokenRotated: onRotated,
	})
}

// ClientOptions point a partnercenter.Client at the sandbox over a transport that trusts it.
func (sb *Sandbox) ClientOptions() *partnercenter.ClientOptions {
	return &partnercenter.ClientOptions{Endpoint: sb.URL, Transport: sb.HTTPClient()}
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: Addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("sandbox: Addr %q: the sandbox listens on loopback addresses only", addr)
	}
	return nil
}

// selfSignedCert makes a fresh ECDSA certificate for the loopback names, valid for a day.
func selfSignedCert() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "partnercenter-go sandbox"},
		NotBefore:    time.Now().Add(-time.Minute), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:        true, BasicConstraintsValid: true,
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes, nil
}

// discardLog keeps the aborted connections of injected resets out of the test output.
var discardLog = log.New(io.Discard, "", 0)

// TB is the part of testing.TB that Start uses (so that this package need not import testing).
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start starts a sandbox for a test, failing the test if it cannot, and closes it when the
// test ends:
//
//	sb := sandbox.Start(t, sandbox.Options{})
//	client, err := partnercenter.NewClient(sb.MustCredential(t), sb.ClientOptions())
func Start(t TB, opts Options) *Sandbox {
	t.Helper()
	sb, err := New(opts)
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// MustCredential is Credential for a test: it fails the test instead of returning an error.
func (sb *Sandbox) MustCredential(t TB) azcore.TokenCredential {
	t.Helper()
	cred, err := sb.Credential()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return cred
}
