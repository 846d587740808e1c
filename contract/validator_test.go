package contract_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
)

const activateURL = "https://partner.partnercenterapi.microsoftonline.cn/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/87363db7-39ab-dd25-d371-94340aaa2f97/activate"

func activateExchange(status int, contentType, body string) contract.Exchange {
	return contract.Exchange{
		Method: "POST", URL: activateURL,
		RequestHeader: http.Header{"Accept": {"application/json"}}, Status: status,
		ResponseHeader: http.Header{"Content-Type": {contentType}}, ResponseBody: []byte(body),
	}
}

func pointers(fs []contract.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+f.Pointer)
	}
	return out
}

var _ = Describe("Validator", func() {
	validator, _ := contract.NewDefault(contract.Options{})
	strict, _ := contract.NewDefault(contract.Options{Strict: true})

	DescribeTable("XML bodies are judged by the same schemas",
		func(status int, contentType, body string, want []string) {
			Expect(pointers(validator.Validate(activateExchange(status, contentType, body), "x", 0))).To(Equal(want))
		},
		Entry("a conforming activation result", 200, "text/xml",
			`<SubscriptionActivationResult><SubscriptionId>87363db7-39ab-dd25-d371-94340aaa2f97</SubscriptionId><Status>Success</Status></SubscriptionActivationResult>`, nil),
		Entry("a result without its status", 200, "application/xml",
			`<SubscriptionActivationResult><SubscriptionId>x</SubscriptionId></SubscriptionActivationResult>`, []string{"violation /response/body/status"}),
		Entry("an error body with a numeric code", 400, "application/xml",
			`<Error><Code>800041</Code><Description>Already activated.</Description><Data/></Error>`, nil),
		Entry("an error body whose description is empty", 400, "text/xml",
			`<Error><Code>800041</Code><Description></Description></Error>`, []string{"violation /response/body/description"}),
		Entry("XML that is not well formed", 200, "text/xml", `<SubscriptionActivationResult>`, []string{"violation /response/body"}),
	)

	It("refuses a request method that is not an HTTP token, naming it", func() {
		ex := activateExchange(200, "application/json", `{"subscriptionId":"x","status":"Success"}`)
		ex.Method = "PO ST"
		fs := validator.Validate(ex, "x", 0)
		Expect(pointers(fs)).To(Equal([]string{"violation /request/method"}))
		Expect(fs[0].Reason).To(ContainSubstring(`"PO ST" is not an HTTP method`))
	})

	It("validates a request body that is sent, and accepts none", func() {
		ex := activateExchange(200, "application/json", `{"subscriptionId":"x","status":"Success"}`)
		ex.RequestHeader.Set("Content-Type", "application/json")
		ex.RequestBody = []byte("null")
		Expect(validator.Validate(ex, "x", 0)).To(BeEmpty())
		ex.RequestBody = []byte(`{"activate":true}`)
		Expect(pointers(validator.Validate(ex, "x", 0))).To(ContainElement(HavePrefix("violation /request/body")))
	})

	It("routes any host by its /v1 path (here the 21Vianet cloud)", func() {
		Expect(validator.Validate(activateExchange(200, "application/json", `{"subscriptionId":"x","status":"Success"}`), "x", 0)).To(BeEmpty())
	})

	It("reports undeclared fields as drift, and as violations in strict mode", func() {
		ex := activateExchange(200, "application/json", `{"subscriptionId":"x","status":"Success","activatedOn":"2026-01-01","extra":{"a":1}}`)
		Expect(pointers(validator.Validate(ex, "x", 0))).To(ConsistOf("drift /response/body/activatedOn", "drift /response/body/extra"))
		Expect(pointers(strict.Validate(ex, "x", 0))).To(ConsistOf("violation /response/body/activatedOn", "violation /response/body/extra"))
	})

	It("does not call free-form members drift (Error.data items, Error.parameters)", func() {
		ex := activateExchange(400, "application/json", `{"code":1,"description":"d","data":[{"any":"thing"},"text"],"parameters":{"p":1}}`)
		Expect(strict.Validate(ex, "x", 0)).To(BeEmpty())
	})

	It("accepts both 429 shapes and a Retry-After date", func() {
		ex := activateExchange(429, "application/json", `{"statusCode":429,"message":"Rate limit is exceeded."}`)
		ex.ResponseHeader.Set("Retry-After", "Fri, 20 Nov 2026 01:08:23 GMT")
		Expect(strict.Validate(ex, "x", 0)).To(BeEmpty())
		Expect(strict.Validate(activateExchange(429, "application/json", `{"code":"429","description":"Too many requests."}`), "x", 0)).To(BeEmpty())
	})

	It("judges request headers: a malformed MS-RequestId is a violation", func() {
		ex := activateExchange(200, "application/json", `{"subscriptionId":"x","status":"Success"}`)
		ex.RequestHeader.Set("MS-RequestId", "retry-1")
		Expect(pointers(validator.Validate(ex, "x", 0))).To(Equal([]string{"violation /request/header/MS-RequestId"}))
	})

	It("reports a request that routes to no operation, never skips it", func() {
		ex := activateExchange(200, "application/json", `{}`)
		ex.URL = "https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/invoices"
		Expect(pointers(validator.Validate(ex, "x", 0))).To(Equal([]string{"violation /request/method"}))
	})
})
