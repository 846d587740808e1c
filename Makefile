# partnercenter-go: every tool runs through `go run` at the version go.mod pins (tools.go),
# so a fresh machine needs Go and nothing else.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
OAPI_CODEGEN = $(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen
GINKGO       = $(GO) run github.com/onsi/ginkgo/v2/ginkgo
# oasdiff is run at a fixed version outside go.mod: its dependency tree would otherwise pull
# the project's kin-openapi to the version oasdiff wants. v1.30.0 is the newest release the
# module proxy can build (newer ones need a module it does not serve).
OASDIFF      = $(GO) run github.com/oasdiff/oasdiff@v1.30.0
# Pinned here, not in tools.go: a linter has no place in the go.mod of teams that vendor the client.
STATICCHECK  = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Where generated code goes; check-generated points it at a temporary folder.
GEN_DIR    ?= generated
# The folder check-generated compares (a negative-control test points it at a copy).
GENERATED  ?= generated
# The spec lint-spec checks (a negative-control test points it at a mutated copy).
SPEC       ?= openapi.yaml

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: generate
generate: ## Regenerate generated/ from openapi.yaml.
	@mkdir -p $(GEN_DIR)
	$(OAPI_CODEGEN) -config oapi-codegen.yaml -o $(GEN_DIR)/partnercenter.gen.go openapi.yaml
	@# The embedded spec comes from the untouched openapi.yaml, not from oapi-codegen.yaml's
	@# overlaid view: the contract gate validates against all four documented media types.
	$(OAPI_CODEGEN) -generate spec -package generated -o $(GEN_DIR)/spec.gen.go openapi.yaml

.PHONY: check-generated
check-generated: ## Fail, naming the files, when $(GENERATED)/ is stale or hand-edited.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) -s --no-print-directory generate GEN_DIR=$$tmp >/dev/null; \
	if ! out=$$(diff -r -q "$$tmp" "$(GENERATED)" 2>&1); then \
	  echo "check-generated: $(GENERATED)/ differs from what 'make generate' writes:"; \
	  echo "$$out" | sed -e "s|$$tmp|<fresh>|g" -e 's/^/  /'; \
	  echo "Run 'make generate' and commit the result; never edit $(GENERATED)/ by hand."; \
	  exit 1; \
	fi; \
	echo "check-generated: $(GENERATED)/ is up to date"

.PHONY: lint-spec
lint-spec: ## Validate openapi.yaml (examples included); oasdiff breaking against the last v* tag.
	$(GO) run ./contract/cmd/lint-spec $(SPEC)
	@tag=$$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || true); \
	if [ -z "$$tag" ]; then echo "lint-spec: no release tag v*: breaking-change check skipped"; exit 0; fi; \
	base=$$(mktemp); trap 'rm -f "$$base"' EXIT; \
	git show "$$tag:openapi.yaml" > "$$base"; \
	echo "lint-spec: breaking changes against $$tag"; \
	$(OASDIFF) breaking "$$base" $(SPEC) --fail-on ERR

# The contract gate. CASSETTES=<dir> judges other recordings; STRICT=1 makes undeclared fields
# violations; MODE=live|record runs against PARTNER_CENTER_ENDPOINT; REPORT=<file> writes JUnit.
CASSETTES ?=
STRICT    ?=
MODE      ?=
REPORT    ?=

.PHONY: contract
contract: ## The contract gate over contract/testdata/cassettes (or CASSETTES=<dir>).
	CASSETTES="$(if $(CASSETTES),$(abspath $(CASSETTES)))" STRICT="$(STRICT)" MODE="$(MODE)" \
	  $(GINKGO) run --succinct $(if $(CI),--no-color) $(if $(REPORT),--junit-report="$(abspath $(REPORT))") ./contract

# Apply an OpenAPI Overlay 1.0 document (from `partnercenter contract validate --suggest-overlay`)
# to openapi.yaml in place; then review the diff and run `make generate`.
OVERLAY ?=

.PHONY: apply-overlay
apply-overlay: ## Apply OVERLAY=<file> (an OpenAPI Overlay 1.0 document) to openapi.yaml.
	@test -n "$(OVERLAY)" || { echo "apply-overlay: give OVERLAY=<file>"; exit 2; }
	$(GO) run ./contract/cmd/apply-overlay "$(OVERLAY)" $(SPEC)

SANDBOX_FLAGS ?=

.PHONY: sandbox
sandbox: ## Serve a local Partner Center sandbox: partnercenter sandbox serve $(SANDBOX_FLAGS) (e.g. SANDBOX_FLAGS="--ca-out ca.pem").
	$(GO) run ./cmd/partnercenter sandbox serve $(SANDBOX_FLAGS)

.PHONY: vet
vet: ## go vet, staticcheck and gofmt.
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^generated/') 2>&1); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

.PHONY: unit
unit: ## go test -race over every package.
	$(GO) test -race -count=1 ./...

.PHONY: test
test: vet check-generated lint-spec unit contract ## Everything the project checks (what CI runs).

.PHONY: bench
bench: ## Benchmarks of the performance targets.
	$(GO) test -run '^$$' -bench . -benchmem ./...
