package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// describe turns an error into the one line the command prints. Credential failures name the
// environment variable to look at instead of azidentity's response dump (16 lines).
func (a *app) describe(err error) string {
	// A certificate failure reaches here through azidentity and MSAL, which wrap it without
	// %w and add their own text: the transport's record of it is the message.
	if uc := a.untrusted.Load(); uc != nil {
		return uc.Error()
	}
	var af *azidentity.AuthenticationFailedError
	if errors.As(err, &af) && af.RawResponse != nil {
		return describeEntraAnswer(af.RawResponse)
	}
	var ae *partnercenter.AuthenticationError
	if errors.As(err, &ae) {
		return fmt.Sprintf("%s (check %s)", trimPrefix(ae.Error()), suspectVariable(ae.ErrorCode, true))
	}
	if hint := a.serviceHint(err); hint != "" {
		return err.Error() + "; " + hint
	}
	return err.Error()
}

// describeEntraAnswer reads an Entra error answer: {"error": ..., "error_description": ...}.
func describeEntraAnswer(resp *http.Response) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	body, _ := runtime.Payload(resp)
	_ = json.Unmarshal(body, &e)
	desc, _, _ := strings.Cut(strings.ReplaceAll(e.Description, "\r", ""), "\n") // Entra appends trace ids on more lines
	msg := fmt.Sprintf("authentication failed: %d", resp.StatusCode)
	if location := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode <= 399 && location != "" {
		// The command's HTTP client never follows a redirect (refuseRedirects): say where it
		// pointed, scheme and host only.
		target := "an unparsable Location"
		if u, err := url.Parse(location); err == nil {
			if resp.Request != nil && resp.Request.URL != nil {
				u = resp.Request.URL.ResolveReference(u)
			}
			target = u.Scheme + "://" + u.Host
		}
		return msg + " " + http.StatusText(resp.StatusCode) + ": redirect to " + redact.Bounded(target, 256) +
			" refused (the authority host does not redirect, so a proxy or an attacker answered; check AZURE_AUTHORITY_HOST)"
	}
	if e.Error != "" {
		msg += " " + redact.Bounded(e.Error, 64)
	}
	if desc != "" {
		msg += ": " + redact.Bounded(strings.TrimSpace(desc), 300)
	}
	return msg + " (check " + suspectVariable(e.Error, false) + ")"
}

// suspectVariable names the variables an OAuth2 error points at.
func suspectVariable(oauthError string, refreshToken bool) string {
	switch {
	case oauthError == "invalid_tenant":
		return "AZURE_TENANT_ID"
	case oauthError == "unauthorized_client":
		return "AZURE_CLIENT_ID"
	case oauthError == "invalid_grant" && refreshToken:
		return "PARTNER_CENTER_REFRESH_TOKEN or PARTNER_CENTER_REFRESH_TOKEN_FILE: the token may be expired, used up, or another app's"
	case oauthError == "invalid_client" && refreshToken:
		return "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET"
	case oauthError == "invalid_client":
		return "AZURE_CLIENT_SECRET and AZURE_CLIENT_ID"
	}
	return "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET"
}

// untrustedCertificate is a TLS failure to verify the server's certificate: retrying cannot
// help, so it is not retried (azcore's retry policy honours NonRetriable), and its message says
// what to do.
type untrustedCertificate struct {
	host string
	err  error
}

func (e *untrustedCertificate) Error() string {
	return fmt.Sprintf("the certificate of %s is not trusted (%v): for a local sandbox, set PARTNER_CENTER_CA_FILE to the certificate "+
		"it wrote (its banner prints the export line)", e.host, e.err)
}
func (e *untrustedCertificate) Unwrap() error { return e.err }
func (e *untrustedCertificate) NonRetriable() {}

// failFastOnCertificates stops retries of certificate verification failures, and records the
// first in seen.
type failFastOnCertificates struct {
	next http.RoundTripper
	seen *atomic.Pointer[untrustedCertificate]
}

func (t failFastOnCertificates) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	if err != nil && (errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname)) {
		uc := &untrustedCertificate{host: req.URL.Host, err: err}
		t.seen.CompareAndSwap(nil, uc)
		return nil, uc
	}
	return resp, err
}
