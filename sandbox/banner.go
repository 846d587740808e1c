package sandbox

import (
	"fmt"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/shell"
)

// Banner tells a person how to reach the sandbox. Every line pastes into a POSIX shell as it
// is: `export` lines with quoted values, and `#` comments for the rest. caFile is where the
// certificate was written ("" when it was not: the banner then says how to write it).
func (sb *Sandbox) Banner(caFile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Partner Center sandbox at %s (stop it with Ctrl-C)\n", sb.URL)
	p, ok := sb.sandboxPartner()
	if ok {
		fmt.Fprintf(&b, "# token endpoint %s/%s/oauth2/v2.0/token\n", sb.URL, p.TenantID)
		fmt.Fprintf(&b, "# integration sandbox tenant %s\n", p.TenantID)
		fmt.Fprintf(&b, "# app %s, secret %s\n", p.Apps[0].ClientID, p.Apps[0].ClientSecret)
		for _, rt := range p.RefreshTokens {
			fmt.Fprintf(&b, "# refresh token for %s: %s\n", rt.ClientID, rt.Token)
		}
	}
	fmt.Fprintf(&b, "# The environment of partnercenter, the walkthrough and make contract MODE=live:\n")
	export(&b, "PARTNER_CENTER_ENDPOINT", sb.URL, "AZURE_AUTHORITY_HOST", sb.URL+"/")
	switch {
	case sb.CertPEM == nil:
	case caFile == "":
		fmt.Fprintf(&b, "# The certificate was not written: restart with --ca-out FILE,\n# then export PARTNER_CENTER_CA_FILE=FILE\n")
	default:
		export(&b, "PARTNER_CENTER_CA_FILE", caFile)
	}
	if ok {
		export(&b, "AZURE_TENANT_ID", p.TenantID, "AZURE_CLIENT_ID", p.Apps[0].ClientID, "AZURE_CLIENT_SECRET", p.Apps[0].ClientSecret)
	}
	export(&b, "PARTNER_CENTER_SANDBOX_TOKEN", sb.adminToken)
	if c, o, li, found := firstLineItem(p); ok && found {
		export(&b, "PARTNER_CENTER_CUSTOMER_ID", c, "PARTNER_CENTER_ORDER_ID", o, "PARTNER_CENTER_LINE_ITEM", fmt.Sprint(li.Number),
			"PARTNER_CENTER_SUBSCRIPTION_ID", li.SubscriptionID)
	}
	fmt.Fprintf(&b, "# Its state (activations, stored answers, faults): partnercenter sandbox status\n")
	return b.String()
}

func firstLineItem(p PartnerSeed) (customer, order string, li LineItemSeed, ok bool) {
	for _, c := range p.Customers {
		for _, o := range c.Orders {
			for _, li := range o.LineItems {
				return c.ID, o.ID, li, true
			}
		}
	}
	return "", "", LineItemSeed{}, false
}

// export writes an export line per name/value pair (one line of them all ran to 226
// columns).
func export(b *strings.Builder, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("export " + pairs[i] + "=" + shell.Quote(pairs[i+1]) + "\n")
	}
}
