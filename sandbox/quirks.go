package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// The sandbox plays the real service, quirks included, so that the client, the command and
// the contract gate's live mode meet them in every test run:
//   - JSON answers start with a UTF-8 byte-order mark and say "application/json;
//     charset=utf-8" (Azure/msrest-for-python issue 144: "Unexpected UTF-8 BOM" on every
//     Partner Center answer; microsoft/PartnerCenterPowerShellModule strips the first
//     character of every response; the Content-Type of Partner-Center-PowerShell's
//     SessionRecords);
//   - every answer carries MS-CV and MS-ServerId (SessionRecords: "MS-CV":
//     "xqqtn+OEVE2ridoS.0", "MS-ServerId": "0000112D"). A caller's MS-CV is echoed: the REST
//     reference says the server generates one only when none is provided;
//   - a 401 carries WWW-Authenticate, as RFC 6750 section 3 requires of a bearer-token
//     resource server.
//
// Null members are omitted and errors use Microsoft's wording all the time (api.go): that is
// how the service answers, not a quirk to turn off. Options.PlainJSON turns off the
// byte-order mark and the charset parameter for teams that want plain JSON; the headers stay.

// utf8BOM is what the service puts in front of its JSON.
const utf8BOM = "\xEF\xBB\xBF"

// quirks wraps the API handler: it is the outermost layer, so replayed (idempotent) answers
// and injected faults get the quirks too.
type quirks struct {
	next      http.Handler
	plainJSON bool
	serverID  string
}

func newQuirks(next http.Handler, plainJSON bool) *quirks {
	var b [2]byte
	rand.Read(b[:])
	return &quirks{next: next, plainJSON: plainJSON, serverID: fmt.Sprintf("0000%02X%02X", b[0], b[1])}
}

func (q *quirks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q.next.ServeHTTP(&quirkyWriter{ResponseWriter: w, q: q, req: r}, r)
}

// quirkyWriter applies the quirks when the answer's header is written.
type quirkyWriter struct {
	http.ResponseWriter
	q           *quirks
	req         *http.Request
	wroteHeader bool
	pendingBOM  bool // the BOM goes before the first byte of a JSON body
}

func (w *quirkyWriter) WriteHeader(status int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	h := w.Header()
	if cv := w.req.Header.Get("MS-CV"); isCorrelationVector(cv) {
		h.Set("MS-CV", cv)
	} else {
		h.Set("MS-CV", newCorrelationVector())
	}
	h.Set("MS-ServerId", w.q.serverID)
	if status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
		challenge := "Bearer"
		if w.req.Header.Get("Authorization") != "" {
			challenge = `Bearer error="invalid_token"` // RFC 6750 3.1: a token was sent and refused
		}
		h.Set("WWW-Authenticate", challenge)
	}
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && mt == "application/json" && !w.q.plainJSON {
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.pendingBOM = true
		if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n > 0 {
			h.Set("Content-Length", strconv.Itoa(n+len(utf8BOM)))
		}
	} else if w.q.plainJSON && mt == "application/json" {
		h.Set("Content-Type", "application/json")
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *quirkyWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.pendingBOM && len(b) > 0 {
		w.pendingBOM = false
		if _, err := w.ResponseWriter.Write([]byte(utf8BOM)); err != nil {
			return 0, err
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *quirkyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// isCorrelationVector accepts what is worth echoing: a base of base64 characters and
// dot-separated numbers ("xqqtn+OEVE2ridoS.0"), at most 128 bytes. Anything else a caller sends
// is replaced, not reflected.
func isCorrelationVector(cv string) bool {
	base, rest, ok := strings.Cut(cv, ".")
	if !ok || len(cv) > 128 || len(base) < 8 || rest == "" {
		return false
	}
	for i := 0; i < len(base); i++ {
		c := base[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	for _, n := range strings.Split(rest, ".") {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return false
		}
	}
	return true
}

// newCorrelationVector makes an MS-CV in the service's shape: 16 base64 characters of
// random base, then ".0".
func newCorrelationVector() string {
	var b [12]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:]) + ".0"
}
