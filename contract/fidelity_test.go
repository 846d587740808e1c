package contract_test

import (
	"bytes"
	"compress/gzip"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
)

// What the real service sends and the gate must judge right (issue 10). Every behaviour
// comes with the negative case that proves the check is still there.

const (
	okResult     = `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":"Success"}`
	wrongResult  = `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":7}`
	orderLinkURL = "https://api.partnercenter.microsoft.com/v1/customers/8c5b65fd-c725-4f50-8d9c-97ec9169fdd0/orders/"
)

func bom(s string) string { return "\xEF\xBB\xBF" + s }

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

// findingsOf lists "severity pointer: reason" of the findings.
func findingsOf(fs []contract.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+f.Pointer+": "+f.Reason)
	}
	return out
}

var _ = Describe("Fidelity to the real service", func() {
	validator, _ := contract.NewDefault(contract.Options{})
	strict, _ := contract.NewDefault(contract.Options{Strict: true})
	judge := func(ex contract.Exchange) []string { return findingsOf(validator.Validate(ex, "x", 0)) }

	DescribeTable("media types and bodies",
		func(status int, contentType, body string, want ...string) {
			got := judge(activateExchange(status, contentType, body))
			if len(want) == 0 {
				Expect(got).To(BeEmpty())
				return
			}
			Expect(got).To(HaveLen(len(want)))
			for i, w := range want {
				Expect(got[i]).To(HavePrefix(w))
			}
		},
		Entry("a BOM before JSON is accepted, as drift", 200, "application/json; charset=utf-8", bom(okResult),
			"drift /response/body: starts with a UTF-8 byte-order mark"),
		Entry("a BOM before invalid JSON fails, with the reason", 200, "application/json; charset=utf-8", bom(`{"subscriptionId":`),
			"drift /response/body: starts with a UTF-8 byte-order mark", "violation /response/body: cannot be parsed: not valid JSON: the body ends inside"),
		Entry("a BOM before a body of the wrong shape fails", 200, "application/json; charset=utf-8", bom(wrongResult),
			"drift /response/body: starts with", "violation /response/body/status"),
		Entry("text/json is JSON", 200, "text/json; charset=utf-8", okResult),
		Entry("a text/json body of the wrong type fails", 200, "text/json", wrongResult, "violation /response/body/status"),
		Entry("media types are case-insensitive", 200, "Application/JSON; Charset=UTF-8", okResult),
		Entry("... and the body is still judged", 200, "application/JSON", wrongResult, "violation /response/body/status"),
		Entry("a +json type is judged as JSON, as drift", 200, "application/vnd.partnercenter+json", okResult,
			`drift /response/header/Content-Type: media type "application/vnd.partnercenter+json" is not documented; its body is judged by the application/json schema`),
		Entry("... and a +json body of the wrong type fails", 200, "application/problem+json", wrongResult,
			"drift /response/header/Content-Type", "violation /response/body/status"),
		Entry("an undocumented media type fails", 200, "text/plain", okResult, `violation /response/header/Content-Type: media type "text/plain" is not documented`),
		Entry("trailing garbage fails", 200, "application/json", okResult+"garbage",
			"violation /response/body: cannot be parsed: not valid JSON: 7 bytes of trailing data after the JSON value"),
		Entry("two JSON values fail", 200, "application/json", okResult+okResult, "violation /response/body: cannot be parsed: not valid JSON:"),
		Entry("trailing white space is fine", 200, "application/json", okResult+"\r\n"),
		Entry("a syntax error names its offset", 200, "application/json", `{"subscriptionId" "x"}`,
			"violation /response/body: cannot be parsed: not valid JSON: syntax error at byte 19"),
		Entry("an empty JSON body fails", 200, "application/json", "", "violation /response/body: cannot be parsed: not valid JSON: the body is empty"),
		Entry("the 417 of code 800036 is documented", 417, "application/json", `{"code":800036,"description":"Pre-condition failed","data":[],"source":"PartnerFD"}`),
		Entry("... with the error body", 417, "application/json", `{"code":800036}`, "violation /response/body/description"),
		Entry("405, 406, 412 and 501 are documented", 501, "application/json", `{"code":0,"description":"Exception not defined"}`),
		Entry("an undocumented status still fails", 418, "application/json", `{"code":0,"description":"x"}`, "violation /response/status"),
	)

	Describe("a Link without uri (the service omits null members)", func() {
		links := func(link string) contract.Exchange {
			ex := activateExchange(200, "application/json", `{"totalCount":1,"items":[{"lineItemNumber":0,"link":`+link+`}]}`)
			ex.Method, ex.URL = "GET", orderLinkURL+"Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1/activationlinks"
			return ex
		}
		It("conforms, as GetPartnerOffer.json's learnMore link", func() {
			Expect(findingsOf(strict.Validate(links(`{"method":"GET","headers":[]}`), "x", 0))).To(BeEmpty())
		})
		It("still needs method and headers", func() {
			Expect(judge(links(`{"uri":"https://x.example"}`))).To(ConsistOf(
				HavePrefix("violation /response/body/items/0/link/method"), HavePrefix("violation /response/body/items/0/link/headers")))
		})
	})

	Describe("an error answer with an empty body and no Content-Type", func() {
		It("is drift, and a violation in strict mode", func() {
			ex := activateExchange(404, "", "")
			ex.ResponseHeader = http.Header{}
			Expect(judge(ex)).To(ConsistOf(HavePrefix("drift /response/body: is empty, with no Content-Type")))
			Expect(findingsOf(strict.Validate(ex, "x", 0))).To(ConsistOf(HavePrefix("violation /response/body: is empty")))
		})
		It("is a violation on a 200, which documents a body", func() {
			ex := activateExchange(200, "", "")
			ex.ResponseHeader = http.Header{}
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /response/body: is empty")))
		})
		It("a body without Content-Type is a violation", func() {
			ex := activateExchange(400, "", `{"code":1,"description":"d"}`)
			ex.ResponseHeader = http.Header{}
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /response/header/Content-Type: is missing for a non-empty body")))
		})
	})

	Describe("header names in any case", func() {
		It("judges a request header under a non-canonical key", func() {
			for _, key := range []string{"MS-RequestId", "Ms-Requestid", "ms-requestid"} {
				ex := activateExchange(200, "application/json", okResult)
				ex.RequestHeader = http.Header{key: {"not-a-guid"}}
				Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /request/header/MS-RequestId:")), key)
				ex.RequestHeader = http.Header{key: {"5d7f1c2e-8a3b-4c6d-9e0f-1a2b3c4d5e01"}}
				Expect(judge(ex)).To(BeEmpty(), key)
			}
		})
		It("finds a lower-case content-type and judges the body", func() {
			ex := activateExchange(200, "", "")
			ex.ResponseHeader, ex.ResponseBody = http.Header{"content-type": {"application/json"}}, []byte(okResult)
			Expect(judge(ex)).To(BeEmpty())
			ex.ResponseBody = []byte(wrongResult)
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /response/body/status")))
		})
		It("refuses two Content-Type keys", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.ResponseHeader["content-type"] = []string{"text/xml"}
			Expect(judge(ex)).To(ConsistOf("violation /response/header/Content-Type: is sent 2 times: a response has one media type"))
		})
		It("refuses two request Content-Types", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.RequestHeader = http.Header{"Content-Type": {"application/json"}, "content-type": {"text/json"}}
			ex.RequestBody = []byte("null")
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /request/header/Content-Type: is sent 2 times")))
		})
		It("reads a request media type in any case, and judges the body", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.RequestHeader = http.Header{"content-type": {"Application/JSON; charset=utf-8"}}
			ex.RequestBody = []byte("null")
			Expect(judge(ex)).To(BeEmpty())
			ex.RequestBody = []byte(`{"activate":true}`)
			Expect(judge(ex)).To(ContainElement(HavePrefix("violation /request/body")))
		})
		It("accepts the MS-CV request header", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.RequestHeader.Set("MS-CV", "xqqtn+OEVE2ridoS.0")
			Expect(judge(ex)).To(BeEmpty())
		})
	})

	It("decodes an exchange's body once, for other tools (Exchange.DecodeResponseBody)", func() {
		ex := activateExchange(200, "", bom(okResult))
		ex.ResponseHeader = http.Header{"content-type": {"text/json"}}
		body, fs := ex.DecodeResponseBody(nil)
		Expect(body.Decoded).To(BeTrue())
		Expect(body.MediaType).To(Equal("text/json"))
		Expect(body.Value).To(HaveKeyWithValue("status", "Success"))
		Expect(findingsOf(fs)).To(ConsistOf(HavePrefix("drift /response/body: starts with a UTF-8 byte-order mark")))
		ex.ResponseBody = []byte(okResult + "}")
		body, fs = ex.DecodeResponseBody(nil)
		Expect(body.Decoded).To(BeFalse())
		Expect(findingsOf(fs)).To(ConsistOf(HavePrefix("violation /response/body: cannot be parsed: not valid JSON: 1 bytes of trailing data")))
	})

	Describe("Content-Encoding", func() {
		gz := func(body string) contract.Exchange {
			ex := activateExchange(200, "application/json; charset=utf-8", gzipped(body))
			ex.ResponseHeader.Set("Content-Encoding", "gzip")
			return ex
		}
		It("decodes a gzip body before judging it, BOM included", func() {
			Expect(judge(gz(okResult))).To(BeEmpty())
			Expect(judge(gz(bom(okResult)))).To(ConsistOf(HavePrefix("drift /response/body: starts with a UTF-8 byte-order mark")))
		})
		It("judges the decoded body", func() {
			Expect(judge(gz(wrongResult))).To(ConsistOf(HavePrefix("violation /response/body/status")))
		})
		It("names a body that is not gzip", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.ResponseHeader.Set("Content-Encoding", "gzip")
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /response/body: cannot be parsed: gzip body (Content-Encoding: gzip) is not gzip data")))
		})
		It("names a truncated gzip body", func() {
			ex := gz(okResult)
			ex.ResponseBody = ex.ResponseBody[:len(ex.ResponseBody)-6]
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /response/body: cannot be parsed: gzip body (Content-Encoding: gzip) is corrupt")))
		})
		It("names a coding it cannot undo", func() {
			ex := activateExchange(200, "application/json", okResult)
			ex.ResponseHeader.Set("Content-Encoding", "br")
			Expect(judge(ex)).To(ConsistOf(`violation /response/body: cannot be judged: Content-Encoding "br" is not one the gate decodes (gzip, identity)`))
		})
	})

	Describe("order ids with escaped slashes", func() {
		It("routes a%2Fb as one segment, as the client sends it", func() {
			ex := activateExchange(404, "application/json", `{"code":20000,"description":"Order ID not found"}`)
			ex.Method, ex.URL = "GET", orderLinkURL+"a%2Fb/activationlinks"
			Expect(judge(ex)).To(BeEmpty())
			op, params, err := validator.Route("GET", ex.URL)
			Expect(err).NotTo(HaveOccurred())
			Expect(op).To(Equal("GetOrderActivationLinks"))
			Expect(params["orderId"]).To(Equal("a/b"))
		})
		It("does not route an unescaped slash, which is another path", func() {
			ex := activateExchange(404, "application/json", `{"code":20000,"description":"Order ID not found"}`)
			ex.Method, ex.URL = "GET", orderLinkURL+"a/b/activationlinks"
			// The path is not printed (it may hold anything): the finding says the request routes nowhere.
			Expect(judge(ex)).To(ConsistOf(HavePrefix("violation /request/method: GET request: its path routes to no operation")))
		})
	})
})
