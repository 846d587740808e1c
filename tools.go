package partnercenter

// Code generation. `go generate ./...` and `make generate` run the same directives below, with
// the tools at the versions go.mod pins in its `tool` block (`go tool` builds them), so a fresh
// machine needs Go and nothing else. Nothing here is compiled into the client: directives are
// comments, and `go test` and `go build` never run them. The output is committed;
// `make check-generated` runs these directives in a scratch copy of their inputs and fails when
// generated/ differs.
//
// The client, the models and the sandbox's server interface, from openapi.yaml as
// oapi-codegen.overlay.yaml presents it to the generator (see oapi-codegen.yaml):
//
//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o generated/partnercenter.gen.go openapi.yaml
//
// The embedded spec, from the untouched openapi.yaml (the contract gate validates all four
// documented media types), in a package of its own: it links kin-openapi, which only the
// contract gate and the sandbox import, never the client.
//
//go:generate go tool oapi-codegen -generate spec -package spec -o generated/spec/spec.gen.go openapi.yaml
