package contract

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// routePath is the path the router matches for u: the path as sent, escapes kept, so that a
// segment with an escaped slash stays one segment. The client path-escapes an order id
// ("a/b" is sent as a%2Fb: order ids are any non-empty string) and the service routes it as
// one segment; kin-openapi's router matches the decoded URL.Path, where the same request
// has one segment too many and routed to no operation.
func routePath(u *url.URL) string { return u.EscapedPath() }

// unescapeParams decodes the path parameters matched on routePath.
func unescapeParams(raw map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if !strings.Contains(v, "%") {
			out[k] = v
			continue
		}
		d, err := url.PathUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("path parameter %s is not validly escaped", k)
		}
		out[k] = d
	}
	return out, nil
}

// findRoute routes method and u on the escaped path, whatever the scheme and host, and
// returns the path parameters decoded.
func (v *Validator) findRoute(method string, u *url.URL) (*routers.Route, map[string]string, error) {
	routed := &url.URL{Scheme: "http", Host: "gate.invalid", Path: routePath(u)}
	// The legacy router reads only the method and the URL's path.
	route, params, err := v.router.FindRoute(&http.Request{Method: method, URL: routed})
	if err != nil {
		return nil, nil, err
	}
	params, err = unescapeParams(params)
	if err != nil {
		return nil, nil, err
	}
	return route, params, nil
}
