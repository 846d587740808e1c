package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/partnercenter-go/partnercenter/internal/guid"
)

// Seed is the sandbox's initial state, read from YAML or JSON (see seed.yaml for an example).
type Seed struct {
	Partners []PartnerSeed `json:"partners" yaml:"partners"`
}

// PartnerSeed is a partner tenant: its app registrations, refresh tokens and customers.
type PartnerSeed struct {
	TenantID string `json:"tenantId" yaml:"tenantId"`
	// IntegrationSandbox is true for an integration sandbox account; activation works only there.
	IntegrationSandbox bool             `json:"integrationSandbox" yaml:"integrationSandbox"`
	Apps               []AppSeed        `json:"apps" yaml:"apps"`
	Customers          []CustomerSeed   `json:"customers" yaml:"customers"`
	RefreshTokens      []RefreshTokSeed `json:"refreshTokens" yaml:"refreshTokens"`
}

// AppSeed is an app registration: client credentials for App-only tokens.
type AppSeed struct {
	ClientID     string `json:"clientId" yaml:"clientId"`
	ClientSecret string `json:"clientSecret" yaml:"clientSecret"`
}

// RefreshTokSeed is a stored App+User refresh token, as the secure application model has.
type RefreshTokSeed struct {
	ClientID string `json:"clientId" yaml:"clientId"`
	Token    string `json:"token" yaml:"token"`
	// MFA says the sign-in that produced the token was verified with multi-factor
	// authentication: its access tokens carry the MFA claim (amr "mfa"). With
	// Options.RequireMFA, App+User tokens without it are refused (401, code 900421).
	MFA bool `json:"mfa,omitempty" yaml:"mfa,omitempty"`
}

// CustomerSeed is a customer of the partner, with its orders and subscriptions.
type CustomerSeed struct {
	ID            string             `json:"id" yaml:"id"`
	Orders        []OrderSeed        `json:"orders" yaml:"orders"`
	Subscriptions []SubscriptionSeed `json:"subscriptions" yaml:"subscriptions"`
}

// OrderSeed is an order; its line items point at subscriptions.
type OrderSeed struct {
	ID        string         `json:"id" yaml:"id"`
	LineItems []LineItemSeed `json:"lineItems" yaml:"lineItems"`
	// Scenario, when set, is how every call naming this order is answered (Scenarios()).
	Scenario string `json:"scenario,omitempty" yaml:"scenario,omitempty"`
}

// LineItemSeed is one line item: the subscription it created and its activation link.
type LineItemSeed struct {
	Number         int    `json:"number" yaml:"number"`
	SubscriptionID string `json:"subscriptionId" yaml:"subscriptionId"`
	ActivationLink string `json:"activationLink" yaml:"activationLink"`
}

// SubscriptionSeed is a subscription; SaaS ones can be activated once.
type SubscriptionSeed struct {
	ID     string `json:"id" yaml:"id"`
	SaaS   bool   `json:"saas" yaml:"saas"`
	Active bool   `json:"active" yaml:"active"`
	// Scenario, when set, is how every call naming this subscription is answered (Scenarios()).
	Scenario string `json:"scenario,omitempty" yaml:"scenario,omitempty"`
}

//go:embed seed.yaml
var defaultSeed []byte

// DefaultSeed is the seed that ships with the package: an integration sandbox partner and a
// production partner, with the ids of the documentation's examples.
func DefaultSeed() *Seed {
	s, err := ParseSeed(defaultSeed, "seed.yaml")
	if err != nil {
		panic("sandbox: the embedded seed.yaml is invalid: " + err.Error())
	}
	return s
}

// SeedWithSubscriptions is the default seed's integration sandbox partner (tenant, app and
// customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411) with n pending SaaS subscriptions, for soak
// tests and benchmarks. It returns the seed and the subscription ids.
func SeedWithSubscriptions(n int) (*Seed, []string) {
	p := DefaultSeed().Partners[0]
	c := CustomerSeed{ID: "42b5f772-5c5c-4bce-b9d7-bdadeecca411"}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("5a5a5a5a-0000-4000-8000-%012d", i)
		c.Subscriptions = append(c.Subscriptions, SubscriptionSeed{ID: ids[i], SaaS: true})
	}
	p.Customers = []CustomerSeed{c}
	return &Seed{Partners: []PartnerSeed{p}}, ids
}

// LoadSeed reads a seed file (.yaml, .yml or .json).
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sandbox: seed: %w", err)
	}
	return ParseSeed(data, path)
}

// ParseSeed parses a seed; name's extension picks JSON (.json) or YAML.
func ParseSeed(data []byte, name string) (*Seed, error) {
	var s Seed
	var err error
	if strings.EqualFold(filepath.Ext(name), ".json") {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		err = dec.Decode(&s)
	} else {
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		err = dec.Decode(&s)
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: seed %s: %w", name, err)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("sandbox: seed %s: %w", name, err)
	}
	return &s, nil
}

func (s *Seed) validate() error {
	subs := map[string]bool{}
	for pi, p := range s.Partners {
		if !guid.Valid(p.TenantID) {
			return fmt.Errorf("partners[%d].tenantId %q is not a GUID", pi, p.TenantID)
		}
		for ci, c := range p.Customers {
			if !guid.Valid(c.ID) {
				return fmt.Errorf("partners[%d].customers[%d].id %q is not a GUID", pi, ci, c.ID)
			}
			for si, sub := range c.Subscriptions {
				if !guid.Valid(sub.ID) {
					return fmt.Errorf("partners[%d].customers[%d].subscriptions[%d].id %q is not a GUID", pi, ci, si, sub.ID)
				}
				if err := checkScenario(fmt.Sprintf("partners[%d].customers[%d].subscriptions[%d].scenario", pi, ci, si), sub.Scenario); err != nil {
					return err
				}
				subs[sub.ID] = true
			}
			for oi, o := range c.Orders {
				if o.ID == "" {
					return fmt.Errorf("partners[%d].customers[%d].orders[%d].id is empty", pi, ci, oi)
				}
				if err := checkScenario(fmt.Sprintf("partners[%d].customers[%d].orders[%d].scenario", pi, ci, oi), o.Scenario); err != nil {
					return err
				}
				for li, l := range o.LineItems {
					if l.SubscriptionID != "" && !subs[l.SubscriptionID] {
						return fmt.Errorf("partners[%d].customers[%d].orders[%d].lineItems[%d].subscriptionId %q is not a subscription of the customer (list subscriptions first)", pi, ci, oi, li, l.SubscriptionID)
					}
				}
			}
		}
	}
	return nil
}

// State is the sandbox's live state. Its methods are safe for concurrent use.
type State struct {
	mu       sync.Mutex
	partners map[string]*partner // by tenant id
}

type partner struct {
	tenantID  string
	sandbox   bool
	customers map[string]*customer
}

type customer struct {
	id            string
	orders        map[string]*OrderSeed
	subscriptions map[string]*subscription
}

type subscription struct {
	SubscriptionSeed
	activations int // how many times an activation took effect
}

func newState(seed *Seed) *State {
	st := &State{partners: map[string]*partner{}}
	for _, p := range seed.Partners {
		pp := &partner{tenantID: strings.ToLower(p.TenantID), sandbox: p.IntegrationSandbox, customers: map[string]*customer{}}
		for _, c := range p.Customers {
			cc := &customer{id: strings.ToLower(c.ID), orders: map[string]*OrderSeed{}, subscriptions: map[string]*subscription{}}
			for _, o := range c.Orders {
				o := o
				cc.orders[o.ID] = &o
			}
			for _, s := range c.Subscriptions {
				cc.subscriptions[strings.ToLower(s.ID)] = &subscription{SubscriptionSeed: s}
			}
			pp.customers[cc.id] = cc
		}
		st.partners[pp.tenantID] = pp
	}
	return st
}

// Activations reports how many times an activation of the subscription took effect: with
// MS-RequestId idempotency it is at most 1, however often the client retried.
func (st *State) Activations(subscriptionID string) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s := st.findSubscription(subscriptionID); s != nil {
		return s.activations
	}
	return 0
}

// Active reports whether the subscription is active.
func (st *State) Active(subscriptionID string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.findSubscription(subscriptionID)
	return s != nil && s.Active
}

func (st *State) findSubscription(id string) *subscription {
	id = strings.ToLower(id)
	for _, p := range st.partners {
		for _, c := range p.customers {
			if s, ok := c.subscriptions[id]; ok {
				return s
			}
		}
	}
	return nil
}
