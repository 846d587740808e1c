package partnercenter

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// DefaultMaxResponseBodyBytes is the default of ClientOptions.MaxResponseBodyBytes. The API's
// largest answers (activation-link collections) are a few KiB; 4 MiB leaves room for growth
// while a hostile or broken server can no longer make the process hold hundreds of MB.
const DefaultMaxResponseBodyBytes = 4 << 20

// ErrRedirectRefused is what an *Error for a 3xx answer unwraps to. The Partner Center API
// does not redirect: a redirect means a proxy or an attacker answered, and following it would
// send the bearer token (and an activation) somewhere else, perhaps in clear text.
var ErrRedirectRefused = errors.New("redirect refused: the Partner Center API does not redirect, so a proxy or an attacker answered")

// ErrResponseTooLarge is what an *Error for a body larger than
// ClientOptions.MaxResponseBodyBytes unwraps to.
var ErrResponseTooLarge = errors.New("response body too large")

// redirectError names where a refused redirect pointed: scheme and host only (a Location's
// path or query could carry anything).
type redirectError struct{ target string }

func (e *redirectError) Error() string {
	if e.target == "" {
		return "redirect without a Location refused (the Partner Center API does not redirect, so a proxy or an attacker answered)"
	}
	return "redirect to " + redact.Bounded(e.target, maxPrintedHost) + " refused (the Partner Center API does not redirect, so a proxy or an attacker answered)"
}

func (e *redirectError) Is(target error) bool { return target == ErrRedirectRefused }

// NonRetriable tells azcore's retry policy not to try again (errorinfo.NonRetriable).
func (e *redirectError) NonRetriable() {}

// redirectTarget is the scheme://host of a Location, resolved against the request's URL; ""
// when there is no Location.
func redirectTarget(base *url.URL, location string) string {
	if location == "" {
		return ""
	}
	u, err := url.Parse(location)
	if err != nil {
		return "an unparsable Location"
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.Scheme + "://" + u.Host
}

// tooLargeError is a body past the bound. It keeps the response and the body's first 64 KiB,
// so that the call can report them as an *Error.
type tooLargeError struct {
	limit  int64
	resp   *http.Response
	prefix []byte
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("response body larger than %d bytes (ClientOptions.MaxResponseBodyBytes): not read further; RawBody holds its first %d bytes",
		e.limit, len(e.prefix))
}

func (e *tooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// NonRetriable: the same request would get the same body.
func (e *tooLargeError) NonRetriable() {}

// refuseRedirects is an http.Client's CheckRedirect that hands back the 3xx itself.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns a copy of hc that never follows a redirect. (Go keeps the
// Authorization header on a redirect to the same host name, whatever the scheme or port, and
// turns a 302 after a POST into a GET.)
func withoutRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = refuseRedirects
	return &c
}

// defaultHTTPClient replaces azcore's shared default client, which follows redirects: the same
// transport settings (azcore's sdk/internal/transport), without redirects. One per process, so
// that clients share connections as they would with azcore's.
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		// azcore's health check of idle HTTP/2 connections.
		HTTP2: &http.HTTP2Config{SendPingTimeout: 10 * time.Second, PingTimeout: 5 * time.Second},
	}
	return &http.Client{Transport: t, CheckRedirect: refuseRedirects}
})

// senderWithoutRedirects is the Transport the client sends with: an *http.Client (azcore's
// default included) is copied with redirects refused. Any other policy.Transporter is used as
// it is; responseGuard refuses the answer if it followed a redirect, but cannot unsend it.
func senderWithoutRedirects(t policy.Transporter) policy.Transporter {
	switch hc := t.(type) {
	case nil:
		return defaultHTTPClient()
	case *http.Client:
		if hc == nil {
			return defaultHTTPClient()
		}
		return withoutRedirects(hc)
	}
	return t
}
