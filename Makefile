# partnercenter-go: the code generator and the Ginkgo CLI run through `go tool` at the versions
# go.mod's `tool` block pins; the linters through `go run pkg@version`, outside go.mod. A fresh
# machine needs Go and nothing else. `make contract` runs the Ginkgo suite through `go test`,
# so the gate never waits for the Ginkgo CLI to build (it stays available: `go tool ginkgo`).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
# oasdiff is run at a fixed version outside go.mod: its dependency tree would otherwise pull
# the project's kin-openapi to the version oasdiff wants. v1.30.0 is the newest release the
# module proxy can build (newer ones need a module it does not serve).
OASDIFF      = $(GO) run github.com/oasdiff/oasdiff@v1.30.0
# Pinned here, not in go.mod's tool block: a linter has no place in the go.mod of teams that vendor the client.
STATICCHECK  = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

# What the directives of tools.go read: check-generated copies these into a scratch module.
GEN_INPUTS  = go.mod go.sum tools.go openapi.yaml oapi-codegen.yaml oapi-codegen.overlay.yaml
# The folder check-generated compares (a negative-control test points it at a copy).
GENERATED  ?= generated
# The spec lint-spec checks (a negative-control test points it at a mutated copy).
SPEC       ?= openapi.yaml

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: generate
generate: ## Regenerate generated/ from openapi.yaml (the go:generate directives of tools.go).
	$(GO) generate ./...

.PHONY: check-generated
check-generated: ## Fail, naming the files, when generated/ is stale or hand-edited.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp $(GEN_INPUTS) "$$tmp"; \
	(cd "$$tmp" && $(GO) generate .) >/dev/null; \
	if ! out=$$(diff -r -q "$$tmp/generated" "$(GENERATED)" 2>&1); then \
	  echo "check-generated: $(GENERATED)/ differs from what 'make generate' writes:"; \
	  echo "$$out" | sed -e "s|$$tmp/generated|<fresh>|g" -e 's/^/  /'; \
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

# The contract gate. CASSETTES=<dir or file> judges other recordings (and nothing else runs);
# STRICT=1 makes undeclared fields violations; SPEC=<file> judges with another spec; FORMAT=text|json|github prints as the command's
# --format; REPORT=<file> writes a JUnit report (one testcase per interaction), REPORT=html=<file>
# an HTML report (docs/html-report.md); several: REPORT="junit=gate.xml html=gate.html";
# MODE=live|record runs against PARTNER_CENTER_ENDPOINT. The specs run in random order.
# MODE=probe runs `partnercenter contract probe`'s cases there, one spec per case (REPORT= gets
# the probe's JUnit report); PROBE_WRITES=1 adds the activation scenario, which activates
# PARTNER_CENTER_SUBSCRIPTION_ID.
CASSETTES ?=
STRICT    ?=
MODE      ?=
REPORT    ?=
FORMAT    ?=
PROBE_WRITES ?=

# SPEC=<file> judges with that OpenAPI document (openapi.yaml with an overlay applied, say);
# by default the gate judges with the spec built from openapi.yaml. SPEC has a default for
# lint-spec, so only a SPEC given on the command line or in the environment counts here.
GATE_SPEC = $(if $(filter-out file,$(origin SPEC)),$(abspath $(SPEC)))

# Colour only on a terminal, and not under NO_COLOR (no-color.org) or CI: escape codes in a
# log file or a CI log are noise. Decided by the recipe's shell, whose stdout is make's
# (not inside $$(...), whose stdout is a pipe).
COLOR_DECISION = { [ -t 1 ] && [ -z "$${NO_COLOR:-}" ] && [ -z "$(CI)" ] && nocolor=; } || nocolor=--no-color

.PHONY: contract
# The suite runs through `go test` (no Ginkgo CLI to build), Ginkgo's flags after -args; -C
# runs it in local directory mode, so its output streams even when it passes. -run keeps the
# package's plain Go tests out (`make test` runs them); with CASSETTES=, the label filter also
# skips the suite's self-tests and only the gate runs.
contract: ## The contract gate over contract/testdata/cassettes (or CASSETTES=<dir>).
	$(COLOR_DECISION); \
	CASSETTES="$(if $(CASSETTES),$(abspath $(CASSETTES)))" STRICT="$(STRICT)" MODE="$(MODE)" GATE_SPEC="$(GATE_SPEC)" PROBE_WRITES="$(PROBE_WRITES)" \
	  REPORT="$(REPORT)" FORMAT="$(FORMAT)" GATE_ROOT="$(CURDIR)" \
	  $(GO) test -C contract -run '^TestContract$$' -count=1 \
	  -args -ginkgo.succinct -ginkgo.randomize-all $${nocolor:+-ginkgo.no-color} $(if $(CASSETTES),-ginkgo.label-filter=gate)

# Apply an OpenAPI Overlay 1.0 document (from `partnercenter contract validate --suggest-overlay`)
# to openapi.yaml in place; then review the diff and run `make generate`.
OVERLAY ?=

.PHONY: apply-overlay
apply-overlay: ## Apply OVERLAY=<file> (an OpenAPI Overlay 1.0 document) to openapi.yaml.
	@test -n "$(OVERLAY)" || { echo "apply-overlay: give OVERLAY=<file>"; exit 2; }
	$(GO) run ./contract/cmd/apply-overlay "$(OVERLAY)" $(SPEC)

SANDBOX_FLAGS ?=

.PHONY: sandbox
# Built, then run, rather than `go run`: on Ctrl-C, go run exits 1 even when the sandbox
# stops cleanly (exit 0), and make then reports "Error 1". GNU make still ends by the SIGINT
# it received itself (the shell's status 130), printing nothing.
sandbox: ## Serve a local Partner Center sandbox: partnercenter sandbox serve, with SANDBOX_FLAGS (e.g. SANDBOX_FLAGS="--ca-out ca.pem").
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) build -o "$$tmp/partnercenter" ./cmd/partnercenter; \
	"$$tmp/partnercenter" sandbox serve $(SANDBOX_FLAGS)

# Builds of the command. --version reads the commit from Go's build information, so every build
# passes -buildvcs=true (machines may set GOFLAGS=-buildvcs=false, which the flag overrides).
# Go reads a .git folder: a clone is stamped, a `git worktree` (a .git file) is not.
BUILDFLAGS  = -buildvcs=true -trimpath
# What `make dist` builds (GOOS/GOARCH pairs) and where.
PLATFORMS  ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
DIST       ?= dist

.PHONY: build
build: ## The command into bin/ (--version names the commit).
	$(GO) build $(BUILDFLAGS) -o bin/partnercenter ./cmd/partnercenter

.PHONY: dist
dist: ## Release builds and checksums.txt into dist/ (PLATFORMS=).
# Built in a scratch folder and moved into $(DIST) only when every build names its commit: a failed
# run leaves $(DIST) as it was.
	@for p in $(PLATFORMS); do case $$p in ?*/?*) ;; *) \
	  echo "dist: PLATFORMS: \"$$p\" is not GOOS/GOARCH (e.g. PLATFORMS=linux/amd64)"; exit 2;; esac; done
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; if [ "$$os" = windows ]; then ext=.exe; fi; \
	  name=partnercenter_$${os}_$${arch}$$ext; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(BUILDFLAGS) -ldflags='-s -w' -o "$$tmp/$$name" ./cmd/partnercenter; \
	  info=$$($(GO) version -m "$$tmp/$$name"); \
	  if ! grep -q 'vcs.revision=' <<<"$$info"; then \
	    echo "dist: $$name names no commit: run make dist in a git clone (Go reads a .git folder); $(DIST)/ left as it was"; exit 1; \
	  fi; \
	  if grep -q 'vcs.modified=true' <<<"$$info"; then echo "dist: $$name: the tree has uncommitted changes (--version says modified)"; fi; \
	  echo "dist: $(DIST)/$$name"; \
	done; \
	(cd "$$tmp" && sha256sum partnercenter_* > checksums.txt); \
	mkdir -p $(DIST); rm -f $(DIST)/partnercenter_* $(DIST)/checksums.txt; mv "$$tmp"/* $(DIST)/
	@echo "dist: $(DIST)/checksums.txt (check: cd $(DIST) && sha256sum -c checksums.txt)"

# GoReleaser, for its configuration check; v2.17.0 is the newest release the Go of go.mod builds
# (v2.18 needs Go 1.27). The first run builds it: minutes; later runs take seconds.
GORELEASER  = $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0

.PHONY: goreleaser-check
goreleaser-check: ## Check .goreleaser.yaml with GoReleaser.
	$(GORELEASER) check

.PHONY: vet
vet: ## go vet, staticcheck and gofmt.
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^generated/') 2>&1); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The plain Go tests once, without the race detector; the Ginkgo suite (TestContract) is left
# to `make contract`, which `make test` runs after. TESTFLAGS adds flags (e.g. -short, -v).
TESTFLAGS ?=
.PHONY: unit-once
unit-once: ## go test once over every package, without the race detector (what `make test` runs).
	$(GO) test -count=1 -skip '^TestContract$$' $(TESTFLAGS) ./...

.PHONY: unit
unit: ## go test -race over every package, twice (state that leaks between runs fails).
	$(GO) test -race -count=2 ./...

.PHONY: test
test: vet check-generated lint-spec unit-once contract ## What a contributor runs: checks, tests once, the gate.

.PHONY: test-race
test-race: unit ## The race detector and repeated runs (CI runs it after `make test`).

.PHONY: quick
quick: vet ## vet and the unit tests in -short mode: no built binaries, make runs or sandboxes.
	$(GO) test -short -count=1 -skip '^TestContract$$' $(TESTFLAGS) ./...

# The module of a team that vendors the client (testdata/consumer), measured as README reports
# it, beside the same module with azidentity added and a module of azcore + azidentity alone.
# (The check that keeps the tooling out of it is TestConsumerFootprint, in `make unit`.)
.PHONY: footprint
footprint: ## go.mod requires and `go mod vendor` size of a consumer, beside azcore + azidentity's.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	measure() { \
	  (cd "$$1" && GOFLAGS=-mod=mod $(GO) mod tidy && $(GO) mod vendor) >/dev/null 2>&1; \
	  printf '  %-28s %3d requires  %3d modules  %5d KiB vendor/\n' "$$2" \
	    "$$(awk '/^require \(/{b=1;next} b&&/^\)/{b=0} b{n++} /^require [^(]/{n++} END{print n}' "$$1/go.mod")" \
	    "$$(cd "$$1" && GOFLAGS=-mod=mod $(GO) list -m all | tail -n +2 | wc -l)" "$$(du -sk "$$1/vendor" | cut -f1)"; \
	}; \
	mkdir "$$tmp/c" "$$tmp/ci" "$$tmp/az"; \
	cp testdata/consumer/go.mod testdata/consumer/main.go go.sum "$$tmp/c"; \
	sed -i "s|=> ../..|=> $(CURDIR)|" "$$tmp/c/go.mod"; \
	cp "$$tmp/c/go.mod" "$$tmp/c/main.go" go.sum "$$tmp/ci"; \
	printf 'package main\n\nimport _ "github.com/Azure/azure-sdk-for-go/sdk/azidentity"\n' > "$$tmp/ci/azidentity.go"; \
	printf 'module example.com/az\n\ngo 1.26.0\n' > "$$tmp/az/go.mod"; cp go.sum "$$tmp/az"; \
	printf 'package main\n\nimport (\n\t_ "github.com/Azure/azure-sdk-for-go/sdk/azcore"\n\t_ "github.com/Azure/azure-sdk-for-go/sdk/azidentity"\n)\n\nfunc main() {}\n' > "$$tmp/az/main.go"; \
	azid=$$($(GO) list -m -f '{{.Path}}@{{.Version}}' github.com/Azure/azure-sdk-for-go/sdk/azidentity); \
	(cd "$$tmp/az" && GOFLAGS=-mod=mod $(GO) get "$$azid" >/dev/null 2>&1); \
	echo "footprint (go.mod requires after tidy, modules in go list -m all, size of go mod vendor):"; \
	measure "$$tmp/c" "partnercenter"; \
	measure "$$tmp/ci" "partnercenter + azidentity"; \
	measure "$$tmp/az" "azcore + azidentity alone"

.PHONY: bench
bench: ## Benchmarks of the performance targets.
	$(GO) test -run '^$$' -bench . -benchmem ./...
