package contract

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// HAR input: an HTTP Archive 1.2 file (http://www.softwareishard.com/blog/har-12-spec/), as
// Chrome and Edge DevTools, Firefox, Fiddler and mitmproxy export it, is judged like a go-vcr
// cassette: entry i is interaction i. The parser turns each entry into the cassette.Interaction
// the gate already judges (the HAR Format in har_format.go is its loader), so the validator,
// the secret scan and the ignored-traffic rule read a HAR entry exactly as they read a
// recorded interaction.
//
// How an entry is read (decisions the HAR spec leaves open):
//   - Headers are request.headers and response.headers, in order, repeated names kept as
//     repeated values. HTTP/2 pseudo-headers (":authority", ":path"), which Chrome and Firefox
//     list among the request headers, are not headers and are dropped.
//   - request.cookies and response.cookies, when the headers lack Cookie / Set-Cookie (Firefox
//     and mitmproxy list both, some tools only the arrays), become those headers, so the
//     secret scan sees them.
//   - The response body is content.text, base64-decoded when content.encoding is "base64"
//     (Chrome, Firefox and mitmproxy all do that for bodies that are not text). The text is
//     the body as decoded by the browser: Content-Encoding (gzip, br) no longer applies, so
//     that header is dropped, and Content-Length with it.
//   - When the response has no Content-Type header, content.mimeType stands in for it; the
//     request's postData.mimeType likewise for the request's. A header, when present, wins:
//     Chrome's mimeType drops the charset parameter the header carried.
//   - The request body is postData.text; without text, postData.params are form-encoded.
//   - An entry without a response (status 0: the request failed, was blocked or cancelled
//     in the browser, or mitmproxy saw no answer) has nothing to judge: it is a finding.
//
// HAR files are JSON and may be large; a HAR file is parsed whole, as a cassette is.

// HAREntry is one entry of a HAR file: its interaction, or, when the entry cannot be read,
// the findings that say why (Interaction is then nil).
type HAREntry struct {
	Index       int
	Interaction *Interaction
	Problems    []Finding
}

// ErrNotHAR is returned (wrapped) when a file is not a HAR document at all.
var ErrNotHAR = errors.New("is not a HAR 1.2 document")

type harFile struct {
	Log *struct {
		Version string            `json:"version"`
		Entries []json.RawMessage `json:"entries"`
	} `json:"log"`
}

type harEntry struct {
	Request  *harRequest  `json:"request"`
	Response *harResponse `json:"response"`
}

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method   string         `json:"method"`
	URL      string         `json:"url"`
	Headers  []harNameValue `json:"headers"`
	Cookies  []harNameValue `json:"cookies"`
	PostData *struct {
		MimeType string         `json:"mimeType"`
		Text     string         `json:"text"`
		Params   []harNameValue `json:"params"`
	} `json:"postData"`
}

type harResponse struct {
	Status     int            `json:"status"`
	StatusText string         `json:"statusText"`
	Headers    []harNameValue `json:"headers"`
	Cookies    []harNameValue `json:"cookies"`
	Content    struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		Encoding string `json:"encoding"`
	} `json:"content"`
}

// ParseHAR reads a HAR 1.2 document. name labels the findings (the file's path). The error
// is for a document that is not HAR at all (not JSON, no log.entries); a malformed entry is a
// HAREntry with Problems, so that one bad entry never hides the others.
func ParseHAR(name string, data []byte) ([]HAREntry, error) {
	entries, err := parseHAR(data)
	if err != nil {
		return nil, fmt.Errorf("contract: %s %w", name, err)
	}
	for i := range entries {
		for j := range entries[i].Problems {
			entries[i].Problems[j].Cassette = name
		}
	}
	return entries, nil
}

// parseHAR is ParseHAR without the file's name: its error reads "is not a HAR 1.2 document: ...".
func parseHAR(data []byte) ([]HAREntry, error) {
	// A UTF-8 byte-order mark in front of the document: Windows tools (Fiddler) write one.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var doc harFile
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotHAR, jsonErrorReason(err))
	}
	if doc.Log == nil {
		return nil, fmt.Errorf("%w: no \"log\" object", ErrNotHAR)
	}
	if doc.Log.Entries == nil {
		return nil, fmt.Errorf("%w: no \"log.entries\" array", ErrNotHAR)
	}
	out := make([]HAREntry, 0, len(doc.Log.Entries))
	for i, raw := range doc.Log.Entries {
		in, problems := harInteraction(raw)
		e := HAREntry{Index: i, Interaction: in}
		for _, p := range problems {
			e.Problems = append(e.Problems, Finding{Severity: Violation, Interaction: i,
				Pointer: fmt.Sprintf("/log/entries/%d%s", i, p.pointer), Reason: p.reason})
		}
		if len(e.Problems) > 0 {
			e.Interaction = nil
		}
		out = append(out, e)
	}
	return out, nil
}

type harProblem struct{ pointer, reason string }

// harInteraction converts one entry; problems name the entry's field that is wrong.
func harInteraction(raw json.RawMessage) (*Interaction, []harProblem) {
	var e harEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, []harProblem{{"", "is not a HAR entry: " + jsonErrorReason(err)}}
	}
	var problems []harProblem
	if e.Request == nil {
		problems = append(problems, harProblem{"/request", "is missing"})
	}
	if e.Response == nil {
		problems = append(problems, harProblem{"/response", "is missing"})
	}
	if problems != nil {
		return nil, problems
	}
	req, resp := e.Request, e.Response
	if req.Method == "" {
		problems = append(problems, harProblem{"/request/method", "is empty"})
	}
	if u, err := url.Parse(req.URL); err != nil || !u.IsAbs() {
		problems = append(problems, harProblem{"/request/url", "is not an absolute URL"})
	}
	if resp.Status == 0 {
		problems = append(problems, harProblem{"/response/status", "is 0: no response was recorded (the request failed, was blocked or cancelled)"})
	} else if resp.Status < 100 || resp.Status > 999 {
		problems = append(problems, harProblem{"/response/status", fmt.Sprintf("%d is not an HTTP status", resp.Status)})
	}
	body := []byte(resp.Content.Text)
	switch strings.ToLower(resp.Content.Encoding) {
	case "":
	case "base64":
		decoded, err := base64.StdEncoding.DecodeString(resp.Content.Text)
		if err != nil {
			problems = append(problems, harProblem{"/response/content/text", "is not valid base64 (content.encoding is \"base64\")"})
		}
		body = decoded
	default:
		problems = append(problems, harProblem{"/response/content/encoding", "is not an encoding this gate reads (only base64, or none for text)"})
	}
	if problems != nil {
		return nil, problems
	}

	ex := Exchange{Method: req.Method, URL: req.URL, RequestHeader: harHeaders(req.Headers, req.Cookies, "Cookie")}
	if pd := req.PostData; pd != nil {
		body := pd.Text
		if body == "" && len(pd.Params) > 0 {
			form := url.Values{}
			for _, p := range pd.Params {
				form.Add(p.Name, p.Value)
			}
			body = form.Encode()
		}
		ex.RequestBody = []byte(body)
		if ex.RequestHeader.Get("Content-Type") == "" && pd.MimeType != "" && body != "" {
			ex.RequestHeader.Set("Content-Type", pd.MimeType)
		}
	}
	ex.Status = resp.Status
	ex.ResponseHeader = harHeaders(resp.Headers, resp.Cookies, "Set-Cookie")
	ex.ResponseHeader.Del("Content-Encoding")
	ex.ResponseHeader.Del("Content-Length")
	if ex.ResponseHeader.Get("Content-Type") == "" && resp.Content.MimeType != "" {
		ex.ResponseHeader.Set("Content-Type", resp.Content.MimeType)
	}
	ex.ResponseBody = body
	return &Interaction{Exchange: ex}, nil
}

// harHeaders turns a HAR header list into an http.Header (names canonicalized, as go-vcr
// writes them), dropping HTTP/2 pseudo-headers; cookies become cookieHeader when the list
// has none.
func harHeaders(list, cookies []harNameValue, cookieHeader string) http.Header {
	h := http.Header{}
	for _, nv := range list {
		name := strings.TrimSpace(nv.Name)
		if name == "" || strings.HasPrefix(name, ":") {
			continue
		}
		h.Add(name, nv.Value)
	}
	if len(cookies) > 0 && len(h.Values(cookieHeader)) == 0 {
		if cookieHeader == "Cookie" {
			parts := make([]string, 0, len(cookies))
			for _, c := range cookies {
				parts = append(parts, c.Name+"="+c.Value)
			}
			h.Set("Cookie", strings.Join(parts, "; "))
		} else {
			for _, c := range cookies {
				h.Add(cookieHeader, c.Name+"="+c.Value)
			}
		}
	}
	return h
}

// jsonErrorReason describes a JSON error without quoting the input: a *json.SyntaxError
// names the offset, a *json.UnmarshalTypeError the field and the type found.
func jsonErrorReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		// Value reads "number 5" for numbers: keep the kind, never the value.
		kind, _, _ := strings.Cut(typ.Value, " ")
		if typ.Field != "" {
			return fmt.Sprintf("%s is a JSON %s, not the expected %s", typ.Field, kind, typ.Type)
		}
		return fmt.Sprintf("a JSON %s where %s was expected", kind, typ.Type)
	}
	return "invalid JSON"
}
