package sandbox

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// statusPath is the admin endpoint: the sandbox's state for operators
// (`partnercenter sandbox status`). It answers loopback callers that present the admin token
// (Options.AdminToken, printed by the banner) as a bearer token, and nobody else.
const statusPath = "GET /sandbox/status"

// Status is what the admin endpoint reports, and what `sandbox serve` prints when it stops.
type Status struct {
	URL    string `json:"url"`
	Uptime string `json:"uptime"`
	Stats  Stats  `json:"stats"`
	// Subscriptions are every seeded subscription, by tenant, customer and id.
	Subscriptions []SubscriptionStatus `json:"subscriptions"`
}

// SubscriptionStatus is one subscription's state.
type SubscriptionStatus struct {
	Tenant       string `json:"tenant"`
	Customer     string `json:"customer"`
	Subscription string `json:"subscription"`
	SaaS         bool   `json:"saas"`
	Active       bool   `json:"active"`
	// Activations is how many times an activation took effect: 1 for an activated
	// subscription, however often clients retried, when they kept their MS-RequestId.
	Activations int `json:"activations"`
	// StoredAnswers is how many answers of its activate call the idempotency store holds:
	// one per MS-RequestId used to activate it.
	StoredAnswers int `json:"storedAnswers"`
}

// Status is the sandbox's state now.
func (sb *Sandbox) Status() Status {
	subs := sb.State.subscriptions()
	stored := sb.api.idem.countByRequest()
	for i, s := range subs {
		subs[i].StoredAnswers = stored[requestFingerprint(http.MethodPost, "/v1/customers/"+s.Customer+"/subscriptions/"+s.Subscription+"/activate")]
	}
	return Status{URL: sb.URL, Uptime: time.Since(sb.started).Round(time.Second).String(), Stats: sb.Stats(), Subscriptions: subs}
}

// AdminToken is the bearer token of the admin endpoint.
func (sb *Sandbox) AdminToken() string { return sb.adminToken }

func (sb *Sandbox) serveStatus(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "the admin endpoint answers loopback callers only"})
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(tok), []byte(sb.adminToken)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "the admin endpoint needs the admin token the sandbox printed (PARTNER_CENTER_SANDBOX_TOKEN) as a bearer token"})
		return
	}
	writeJSON(w, http.StatusOK, sb.Status())
}

// FetchStatus reads a running sandbox's admin endpoint at baseURL (its URL, without /v1).
// It refuses a baseURL that is not a loopback address: the admin token goes nowhere else.
func FetchStatus(ctx context.Context, hc *http.Client, baseURL, adminToken string) (*Status, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("sandbox URL %q is not an absolute URL", baseURL)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("sandbox URL %q is not a loopback address: the sandbox's admin endpoint is local only", baseURL)
	}
	if adminToken == "" {
		return nil, errors.New("no admin token: set PARTNER_CENTER_SANDBOX_TOKEN to the token the sandbox printed")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(baseURL, "/")+"/sandbox/status", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("sandbox status: %d: %s", resp.StatusCode, e.Error)
		}
		return nil, fmt.Errorf("sandbox status: %d (is %s a partnercenter sandbox?)", resp.StatusCode, baseURL)
	}
	var st Status
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("sandbox status: %w", err)
	}
	return &st, nil
}

// WriteText writes the status for a person, within 80 columns: the counters, a summary of
// the SaaS subscriptions, and their table, under each customer.
func (s Status) WriteText(w io.Writer) error {
	st := s.Stats
	fmt.Fprintf(w, "sandbox %s, up %s\n", s.URL, s.Uptime)
	fmt.Fprintf(w, "requests %d; faults injected: %d throttled (429), %d answered 500,\n", st.Requests, st.Throttled, st.Errors500)
	fmt.Fprintf(w, "  %d answered 503, %d reset after the effect\n", st.Errors503, st.Resets)
	fmt.Fprintf(w, "refused: %d invalid, %d unauthorized, %d for a reused MS-RequestId\n", st.Invalid, st.Unauthorized, st.Reused)
	fmt.Fprintf(w, "idempotency store: %d answers, %d replayed\n", st.Stored, st.Replayed)
	var saas, once, more, pending int
	for _, sub := range s.Subscriptions {
		if !sub.SaaS {
			continue
		}
		saas++
		switch {
		case sub.Activations == 1:
			once++
		case sub.Activations > 1:
			more++
		case !sub.Active:
			pending++
		}
	}
	fmt.Fprintf(w, "SaaS subscriptions %d: %d activated exactly once, %d more than once, %d pending\n", saas, once, more, pending)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	customer := ""
	for _, sub := range s.Subscriptions {
		if sub.Customer != customer {
			customer = sub.Customer
			fmt.Fprintf(tw, "customer %s\n", customer) // no tab: not a column
			fmt.Fprintln(tw, "  SUBSCRIPTION\tSAAS\tACTIVE\tACTIVATIONS\tANSWERS")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%d\n", sub.Subscription, yesNo(sub.SaaS), yesNo(sub.Active), sub.Activations, sub.StoredAnswers)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(ANSWERS: the activation answers stored, one per MS-RequestId)")
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// subscriptions lists every subscription of the state, sorted.
func (st *State) subscriptions() []SubscriptionStatus {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []SubscriptionStatus
	for _, p := range st.partners {
		for _, c := range p.customers {
			for id, s := range c.subscriptions {
				out = append(out, SubscriptionStatus{Tenant: p.tenantID, Customer: c.id, Subscription: id, SaaS: s.SaaS, Active: s.Active, Activations: s.activations})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Tenant != b.Tenant {
			return a.Tenant < b.Tenant
		}
		if a.Customer != b.Customer {
			return a.Customer < b.Customer
		}
		return a.Subscription < b.Subscription
	})
	return out
}
