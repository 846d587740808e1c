package contract

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
)

// HAR is the HTTP Archive 1.2 format (*.har, in any case): each entry is an interaction, read
// as har.go describes. A malformed entry is an interaction with a Problem naming its field;
// a file that is not HAR at all is a problem with the file.
var HAR Format = harFormat{}

type harFormat struct{}

func (harFormat) Claims(name string) bool { return strings.EqualFold(filepath.Ext(name), ".har") }

func (harFormat) Load(r io.Reader) ([]Interaction, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, errors.New("cannot be read: " + err.Error())
	}
	entries, err := parseHAR(data)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errors.New("has no entries: the HAR export recorded nothing")
	}
	out := make([]Interaction, len(entries))
	for i, e := range entries {
		if e.Interaction == nil {
			reasons := make([]string, len(e.Problems))
			for j, p := range e.Problems {
				reasons[j] = strings.TrimPrefix(p.Pointer, "/") + " " + p.Reason
			}
			out[i].Problem = strings.Join(reasons, "; ")
			continue
		}
		out[i] = *e.Interaction
		out[i].SecretAdvice = harSecretAdvice
	}
	return out, nil
}

// harSecretAdvice is what a HAR secret finding adds to the usual fix: how the tools that
// write HAR leave credentials out. Browser captures hold the sign-in too: a sanitized export
// leaves out cookies and Authorization headers, not the token endpoint's answer.
const harSecretAdvice = "; in a HAR capture: export it with Chrome's or Edge's \"Export HAR (sanitized)\", or delete the Authorization and Cookie headers, the cookies and the sign-in (token endpoint) entries from the file, or record through `partnercenter contract proxy --record` instead"
