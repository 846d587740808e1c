//go:build tools

// Package tools pins the versions of the code generator and the Ginkgo CLI in go.mod, so that
// the Makefile can run them with `go run` and a fresh machine needs nothing but Go.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/onsi/ginkgo/v2/ginkgo"
)
