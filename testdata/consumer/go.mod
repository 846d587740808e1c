// A module of a team that vendors the client: it imports only the root package. The footprint
// test (footprint_test.go) copies it, points the replace at the checkout, and fails when
// `go list -deps` reaches a library that belongs to the tooling, not to the client.
module example.com/consumer

go 1.26.0

require github.com/partnercenter-go/partnercenter v0.0.0

replace github.com/partnercenter-go/partnercenter => ../..
